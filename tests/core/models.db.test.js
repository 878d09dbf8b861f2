// model(), Model.init with the db handle, metadata (names, ordering, display), required fields, and the test database.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const manouche = require('manouche');
const { ROOT, vendor } = require('./fixtures/h4-helpers');

const { configure, model, db, DataTypes, Model } = manouche;

// Test bodies run after the file's top level (and so after configure()): catch the early errors now.
const early = {};
try { model('Early', {}); } catch (err) { early.model = err; }
try { db.getDialect(); } catch (err) { early.db = err; }
test('model() and db before configure() say what to do', () => {
  assert.equal(early.model?.code, 'E_NOT_CONFIGURED');
  assert.match(early.model.message, /^configure\(\) must be called before model\('Early'\)\. Put configure/);
  assert.equal(early.db?.code, 'E_NOT_CONFIGURED');
});

configure({ DEBUG: true, APP_LABEL: 'shop', SECRET_KEY: 'k'.repeat(50) });
const { state } = require(path.join(ROOT, 'dist/core/conf/state'));
const models = require(path.join(ROOT, 'dist/core/db/models'));
const { dbConfig } = require(path.join(ROOT, 'dist/core/db/connection'));

const BlogPost = model('BlogPost', {
  title: { type: DataTypes.STRING(100), allowNull: false },
  rank: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  summary: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
}, { ordering: ['-rank', 'title'] });
const Category = model('Category', { label: { type: DataTypes.STRING(30), allowNull: true } },
  { tableName: 'categories', verboseName: 'category', verboseNamePlural: 'categories', display: (c) => `#${c.label}` });
// ordering on a model with a belongsToMany: the through table must not inherit it (regression: ORDER BY through.sku)
const Item = model('Item', { sku: { type: DataTypes.STRING(20) } }, { display: 'sku', ordering: ['sku'] });
class Supplier extends Model {}
Supplier.init({ name: { type: DataTypes.STRING(40), allowNull: false } }, { sequelize: db, modelName: 'Supplier' });
Item.belongsTo(Category);
Category.hasMany(Item);
Item.belongsToMany(Supplier, { through: 'shop_item_suppliers' });

test.before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
test.beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
test.after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); });

test('tables are <app_label>_<name lowercased> unless tableName is given', () => {
  assert.equal(BlogPost.getTableName(), 'shop_blogpost');
  assert.equal(Category.getTableName(), 'categories');
  assert.equal(Supplier.getTableName(), 'shop_supplier');
});

test('metadata: app label, names, verbose names like Django, ordering', () => {
  assert.deepEqual(models.getModelMeta(BlogPost), {
    appLabel: 'shop', name: 'BlogPost', modelName: 'blogpost', verboseName: 'blog post', verboseNamePlural: 'blog posts', ordering: ['-rank', 'title'], display: undefined,
  });
  assert.equal(models.getModelMeta(Category).verboseNamePlural, 'categories');
  assert.deepEqual(models.orderingFor(BlogPost), [['rank', 'DESC'], ['title', 'ASC']]);
  assert.deepEqual(models.orderingFor(Supplier), []);
  assert.deepEqual(models.orderingFor(models.allModels().find((m) => m.name === 'shop_item_suppliers')), []);
});

test('allModels/modelsOf see model(), Model.init models and many-to-many through tables', () => {
  const names = models.modelsOf('shop').map((m) => m.name);
  for (const n of ['BlogPost', 'Category', 'Item', 'Supplier', 'shop_item_suppliers']) assert.ok(names.includes(n), `${n} missing from ${names}`);
  assert.equal(models.allModels().length, names.length);
  assert.equal(Supplier.sequelize, require(path.join(ROOT, 'dist/core/db/connection')).getDb(), 'Model.init keeps the real Sequelize, not the handle');
});

test('a second model with the same name is refused', () => {
  assert.throws(() => model('BlogPost', {}), { code: 'E_DUPLICATE_MODEL', message: 'A model named "BlogPost" is already defined in app "shop".' });
});

test('findAll uses the default ordering unless the caller orders', async () => {
  await BlogPost.bulkCreate([{ title: 'b', rank: 1 }, { title: 'a', rank: 1 }, { title: 'c', rank: 5 }]);
  assert.deepEqual((await BlogPost.findAll()).map((p) => p.title), ['c', 'a', 'b']);
  assert.deepEqual((await BlogPost.findAll({ order: [['title', 'DESC']] })).map((p) => p.title), ['c', 'b', 'a']);
});

test('every test starts with empty tables', async () => {
  assert.equal(await BlogPost.count(), 0);
  const p = await BlogPost.create({ title: 'fresh' });
  assert.equal(p.id, 1, 'ids restart');
});

test('a required string refuses the empty string; one with a default does not', async () => {
  await assert.rejects(BlogPost.create({ title: '' }), (err) => {
    assert.equal(err.name, 'SequelizeValidationError');
    assert.deepEqual(err.errors.map((e) => [e.path, e.message]), [['title', 'This field is required.']]);
    return true;
  });
  assert.equal((await BlogPost.create({ title: 'x', summary: '' })).summary, '');
  await assert.rejects(Supplier.create({ name: '' }), /This field is required/);
});

test('displayOf: display option, then name/title/username, then "Model object (pk)"', async () => {
  const c = await Category.create({ label: 'books' });
  const i = await Item.create({ sku: 'A-1', CategoryId: c.id });
  const p = await BlogPost.create({ title: 'Hello' });
  const s = await Supplier.create({ name: 'ACME' });
  const bare = await Category.create({ label: null });
  assert.equal(models.displayOf(c), '#books');
  assert.equal(models.displayOf(i), 'A-1');
  assert.equal(models.displayOf(p), 'Hello');
  assert.equal(models.displayOf(s), 'ACME');
  const Thing = model('Thing', { n: DataTypes.INTEGER });
  assert.equal(models.displayOf(Thing.build({ id: 7 })), 'Thing object (7)');
  assert.equal(typeof models.displayOf(bare), 'string');
});

test('associations work on the test database (synced tables for an app without migrations)', async () => {
  const c = await Category.create({ label: 'tools' });
  const i = await Item.create({ sku: 'T-1', CategoryId: c.id });
  const s = await Supplier.create({ name: 'Bolt' });
  await i.addSupplier(s);
  const loaded = await Item.findByPk(i.id, { include: [Category, Supplier] });
  assert.equal(loaded.Category.label, 'tools');
  assert.deepEqual(loaded.Suppliers.map((x) => x.name), ['Bolt']);
});

test('the test database is in-memory SQLite, or test_<name> on a server', async () => {
  const cfg = dbConfig();
  if (vendor() === 'sqlite') assert.equal(cfg.storage, ':memory:');
  else {
    assert.match(cfg.database, /^test_manouche/);
    const [rows] = await db.query('SELECT 1 AS one');
    assert.equal(Number(rows[0].one), 1);
  }
});
