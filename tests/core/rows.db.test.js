// rows(): plain objects with the same JS types as model instances give, on every database, without instances.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { configure, model, DataTypes, Op, rows, rowReader, countRows } = require('manouche');
const ROOT = path.resolve(__dirname, '..', '..');

configure({ DEBUG: true, APP_LABEL: 'rowsapp', SECRET_KEY: 'k'.repeat(50) });
const { state } = require(path.join(ROOT, 'dist/core/conf/state'));

const Item = model('Item', {
  name: { type: DataTypes.STRING(40), allowNull: false },
  active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  price: { type: DataTypes.DECIMAL(8, 2), allowNull: true },
  rank: { type: DataTypes.INTEGER, allowNull: true },
  born: { type: DataTypes.DATEONLY, allowNull: true },
  extra: { type: DataTypes.JSON, allowNull: true },
  shout: { type: DataTypes.VIRTUAL, get() { return String(this.name).toUpperCase(); } },
}, { ordering: ['name'] });

const Label = model('Label', { text: { type: DataTypes.STRING(20), field: 'the_text' }, pinned: { type: DataTypes.BOOLEAN, defaultValue: false } }, { ordering: ['-text'] });
Item.belongsTo(Label, { as: 'label', foreignKey: 'labelId' });
Label.hasMany(Item, { as: 'items', foreignKey: 'labelId' });

test.before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
test.beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
test.after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); });

const when = new Date('2024-05-01T10:20:30.000Z');

async function seed() {
  await Item.create({ name: 'b', active: true, price: '12.50', rank: 2, born: '2000-01-31', extra: { a: [1] }, createdAt: when, updatedAt: when });
  await Item.create({ name: 'a', active: false, price: null, rank: null, born: null, extra: null, createdAt: when, updatedAt: when });
}

test('rows() reads typed plain objects in the model ordering: booleans, dates, exact decimals, JSON', async () => {
  await seed();
  const got = await rows(Item, { attributes: ['name', 'active', 'price', 'rank', 'born', 'extra', 'createdAt'] });
  assert.deepEqual(got, [
    { name: 'a', active: false, price: null, rank: null, born: null, extra: null, createdAt: when },
    { name: 'b', active: true, price: '12.50', rank: 2, born: '2000-01-31', extra: { a: [1] }, createdAt: when },
  ]);
  assert.equal(Object.getPrototypeOf(got[0]), Object.prototype, 'a plain object, not a model instance');
});

test('rows() agrees with findAll().toJSON() on every stored attribute, and skips VIRTUAL ones', async () => {
  await seed();
  const plain = await rows(Item, { where: { name: 'b' } });
  const inst = (await Item.findAll({ where: { name: 'b' } }))[0].toJSON();
  assert.ok(!('shout' in plain[0]));
  for (const key of Object.keys(plain[0])) {
    if (key === 'price') continue; // instances give the driver's value (a number on SQLite); rows() keeps decimals exact
    assert.deepEqual(plain[0][key], inst[key], key);
  }
  assert.equal(plain[0].price, '12.50');
});

test('rows() passes where, order, limit and offset through', async () => {
  await seed();
  const got = await rows(Item, { attributes: ['name'], order: [['name', 'DESC']], limit: 1, offset: 1 });
  assert.deepEqual(got, [{ name: 'a' }]);
});

test('rowReader() is compiled once per model and attribute list, and refuses unknown attributes', () => {
  assert.equal(rowReader(Item, ['id', 'active']), rowReader(Item, ['id', 'active']));
  assert.deepEqual(rowReader(Item, ['id', 'active'])({ id: 3, active: 1 }), { id: 3, active: true });
  assert.throws(() => rowReader(Item, ['password']), /Item has no attribute "password"/);
});

test('countRows() counts with and without a condition; statements kept per shape read renamed columns and the default order', async () => {
  await seed();
  assert.equal(await countRows(Item), 2);
  assert.equal(await countRows(Item, { where: { active: true } }), 1);
  await Label.bulkCreate([{ text: 'a' }, { text: 'c' }, { text: 'b' }]);
  for (let i = 0; i < 2; i++) assert.deepEqual(await rows(Label, { attributes: ['text'] }), [{ text: 'c' }, { text: 'b' }, { text: 'a' }]);
  assert.deepEqual(await rows(Label, { attributes: ['text'], order: [['text', 'ASC']], limit: 1, offset: 1 }), [{ text: 'b' }]);
});

test('rows() reads a to-one include with attributes as a nested typed object (null without a related row), in one query', async () => {
  const label = await Label.create({ text: 'red', pinned: true });
  await Item.create({ name: 'b', labelId: label.id });
  await Item.create({ name: 'a' });
  const include = [{ association: 'label', attributes: ['text', 'pinned'], required: false }];
  let queries = 0;
  const got = await rows(Item, { attributes: ['name'], include, order: [['name', 'ASC']], logging: () => { queries++; } });
  assert.deepEqual(got, [{ name: 'a', label: null }, { name: 'b', label: { text: 'red', pinned: true, id: label.id } }]);
  assert.equal(queries, 1);
  // A join for a where or an order (no attributes) still reads nothing of the related row.
  assert.deepEqual(await rows(Item, { attributes: ['name'], include: [{ association: 'label', attributes: [] }], where: { '$label.the_text$': 'red' } }), [{ name: 'b' }]);
  await assert.rejects(rows(Label, { attributes: ['text'], include: [{ association: 'items', attributes: ['name'] }] }), /"items" is a to-many association of Label/);
});

test('rows() with keysFirst reads the same page as a plain OFFSET, with where, order, renamed columns and a nested include', async () => {
  const red = await Label.create({ text: 'red' });
  await Item.bulkCreate(Array.from({ length: 30 }, (_, i) => ({ name: `n${String(i).padStart(2, '0')}`, rank: i % 4, active: i % 3 === 0, labelId: i % 2 ? red.id : null })));
  const base = { attributes: ['id', 'name', 'rank'], include: [{ association: 'label', attributes: ['text'] }], where: { active: false }, order: [['rank', 'DESC'], ['id', 'ASC']], limit: 4 };
  for (const offset of [0, 4, 16, 40]) {
    assert.deepEqual(await rows(Item, { ...base, offset, keysFirst: true }), await rows(Item, { ...base, offset }), `offset ${offset}`);
    // fewMatches: the keys picked among every match first (PostgreSQL), the same page.
    assert.deepEqual(await rows(Item, { ...base, offset, keysFirst: true, fewMatches: true }), await rows(Item, { ...base, offset }), `offset ${offset}, fewMatches`);
  }
  assert.deepEqual(await rows(Item, { ...base, limit: undefined, keysFirst: true, fewMatches: true }), await rows(Item, { ...base, limit: undefined }), 'no limit, fewMatches');
  const page = await rows(Item, { ...base, offset: 4, keysFirst: true });
  assert.equal(page.length, 4);
  assert.ok(page.every((r) => r.rank === 3 || r.rank === 2), 'the second page of the rank DESC ordering');
  // A where on a renamed column, and the model's default ordering.
  await Label.bulkCreate([{ text: 'a' }, { text: 'b' }, { text: 'zzz' }]);
  const labels = await rows(Label, { attributes: ['text'], where: { text: { [Op.ne]: 'zzz' } }, limit: 1, offset: 1, keysFirst: true });
  assert.deepEqual(labels, [{ text: 'b' }]);
  // fewMatches with a where and the default ordering on a renamed column (the_text), from the first page.
  const ne = { attributes: ['text'], where: { text: { [Op.ne]: 'zzz' } }, limit: 2 };
  assert.deepEqual(await rows(Label, { ...ne, keysFirst: true, fewMatches: true }), [{ text: 'red' }, { text: 'b' }]);
  assert.deepEqual(await rows(Label, { ...ne, offset: 2, keysFirst: true, fewMatches: true }), [{ text: 'a' }]);
});
