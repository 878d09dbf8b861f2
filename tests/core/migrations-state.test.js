// The pieces of the migration format that need no database: type strings, narrowing, state replay, file writing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { DataTypes } = require('sequelize');
const { ROOT } = require('./fixtures/h4-helpers');

const { typeToString, parseType, ProjectState, fieldFromAttribute } = require(path.join(ROOT, 'dist/core/db/migrations/state'));
const { isNarrowing, applyToState } = require(path.join(ROOT, 'dist/core/db/migrations/operations'));
const { jsLiteral } = require(path.join(ROOT, 'dist/core/db/migrations/writer'));
const { suggestName, orderByReferences } = require(path.join(ROOT, 'dist/core/db/migrations/autodetector'));

test('types round-trip through their migration strings', () => {
  const cases = [
    [DataTypes.STRING, 'STRING(255)'], [DataTypes.STRING(40), 'STRING(40)'], [DataTypes.TEXT, 'TEXT'], [DataTypes.TEXT('long'), "TEXT('long')"],
    [DataTypes.INTEGER, 'INTEGER'], [DataTypes.INTEGER.UNSIGNED, 'INTEGER.UNSIGNED'], [DataTypes.BIGINT, 'BIGINT'], [DataTypes.BOOLEAN, 'BOOLEAN'],
    [DataTypes.DATE, 'DATE'], [DataTypes.DATE(6), 'DATE(6)'], [DataTypes.DATEONLY, 'DATEONLY'], [DataTypes.DECIMAL(10, 2), 'DECIMAL(10,2)'],
    [DataTypes.DOUBLE, 'DOUBLE'], [DataTypes.JSON, 'JSON'], [DataTypes.UUID, 'UUID'], [DataTypes.ENUM('a', "it's"), "ENUM('a','it\\'s')"],
  ];
  for (const [type, text] of cases) {
    assert.equal(typeToString(type), text);
    assert.equal(typeToString(parseType(text)), text, `round trip of ${text}`);
  }
  assert.throws(() => parseType('VARCHAR2(3)'), /unknown field type "VARCHAR2\(3\)": DataTypes\.VARCHAR2 does not exist/);
  assert.throws(() => parseType('STRING(1); process.exit()'), /unknown field type/);
});

test('fields keep only what the database sees: defaults, references, uniqueness', () => {
  assert.deepEqual(fieldFromAttribute({ type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW }), { type: 'DATE', allowNull: false, defaultValue: { fn: 'NOW' } });
  assert.deepEqual(fieldFromAttribute({ type: DataTypes.STRING, defaultValue: () => 'js-side', unique: true }), { type: 'STRING(255)', allowNull: true, unique: true });
  assert.deepEqual(fieldFromAttribute({ type: DataTypes.INTEGER, references: { model: 'auth_user', key: 'id' }, onDelete: 'cascade' }),
    { type: 'INTEGER', allowNull: true, references: { table: 'auth_user', key: 'id' }, onDelete: 'CASCADE' });
});

test('narrowing is detected (shorter strings, text to string, fewer enum values), widening is not', () => {
  assert.equal(isNarrowing('STRING(100)', 'STRING(50)'), true);
  assert.equal(isNarrowing('STRING(50)', 'STRING(100)'), false);
  assert.equal(isNarrowing('TEXT', 'STRING(255)'), true);
  assert.equal(isNarrowing('STRING(255)', 'TEXT'), false);
  assert.equal(isNarrowing('BIGINT', 'INTEGER'), true);
  assert.equal(isNarrowing('INTEGER', 'BIGINT'), false);
  assert.equal(isNarrowing("ENUM('a','b')", "ENUM('a')"), true);
  assert.equal(isNarrowing("ENUM('a')", "ENUM('a','b')"), false);
  assert.equal(isNarrowing('STRING(10)', 'BOOLEAN'), true);
});

test('replaying operations builds the state; a bad operation names what is wrong', () => {
  const s = new ProjectState();
  applyToState(s, 'blog', { type: 'createModel', name: 'Post', table: 'blog_post', fields: { id: { type: 'INTEGER', allowNull: false, primaryKey: true }, title: { type: 'STRING(10)', allowNull: true } } });
  applyToState(s, 'blog', { type: 'renameField', model: 'Post', oldName: 'title', newName: 'headline' });
  applyToState(s, 'blog', { type: 'addIndex', model: 'Post', index: { name: 'i', fields: ['headline'] } });
  applyToState(s, 'blog', { type: 'alterField', model: 'Post', name: 'headline', field: { type: 'TEXT', allowNull: false } });
  assert.deepEqual(Object.keys(s.get('blog', 'post').fields), ['id', 'headline']);
  assert.deepEqual(s.get('blog', 'Post').fields.headline, { type: 'TEXT', allowNull: false });
  applyToState(s, 'blog', { type: 'removeField', model: 'Post', name: 'headline' });
  assert.deepEqual(s.get('blog', 'Post').indexes, [], 'an index goes with its column');
  assert.throws(() => applyToState(s, 'blog', { type: 'removeField', model: 'Post', name: 'nope' }), /blog\.Post has no field nope/);
  assert.throws(() => applyToState(s, 'blog', { type: 'addField', model: 'Ghost', name: 'x', field: { type: 'TEXT', allowNull: true } }), /the model blog\.Ghost does not exist/);
  assert.throws(() => applyToState(s, 'blog', { type: 'createModel', name: 'Post', table: 't', fields: {} }), /already exists/);
  applyToState(s, 'blog', { type: 'deleteModel', name: 'Post' });
  assert.equal(s.models.size, 0);
});

test('migration names and orders follow Django; the writer prints readable literals', () => {
  assert.equal(suggestName([{ type: 'createModel', name: 'Post' }], true), 'initial');
  assert.equal(suggestName([{ type: 'addField', model: 'Post', name: 'slug' }], false), 'post_slug');
  assert.equal(suggestName([{ type: 'removeField', model: 'Post', name: 'slug' }], false), 'remove_post_slug');
  assert.match(suggestName(Array.from({ length: 9 }, (_, i) => ({ type: 'addField', model: 'Post', name: `field${i}` })), false), /^auto_\d{8}_\d{4}$/);
  const comment = { table: 'c', fields: { postId: { references: { table: 'p' } } } };
  const post = { table: 'p', fields: { authorId: { references: { table: 'u' } } } };
  const user = { table: 'u', fields: {} };
  assert.deepEqual(orderByReferences([comment, post, user]).map((m) => m.table), ['u', 'p', 'c']);
  assert.equal(jsLiteral({ type: 'STRING(5)', 'odd-key': "it's", n: [1, 2], d: null }), "{ type: 'STRING(5)', 'odd-key': 'it\\'s', n: [1, 2], d: null }");
});

test('tables that reference each other: the key to the later table is added once both exist', async () => {
  const { detectChanges, nonInteractive } = require(path.join(ROOT, 'dist/core/db/migrations/autodetector'));
  const id = { type: 'INTEGER', allowNull: false, primaryKey: true, autoIncrement: true };
  const author = { app: 'blog', name: 'Author', table: 'blog_author', indexes: [], fields: { id, favoriteId: { type: 'INTEGER', allowNull: true, references: { table: 'blog_post', key: 'id' } } } };
  const post = { app: 'blog', name: 'Post', table: 'blog_post', indexes: [], fields: { id, authorId: { type: 'INTEGER', allowNull: false, references: { table: 'blog_author', key: 'id' } }, parentId: { type: 'INTEGER', allowNull: true, references: { table: 'blog_post', key: 'id' } } } };
  const ops = await detectChanges('blog', new ProjectState(), [author, post], nonInteractive());
  assert.deepEqual(ops.map((o) => [o.type, o.name, Object.keys(o.fields ?? {})]), [
    ['createModel', 'Post', ['id', 'parentId']],
    ['createModel', 'Author', ['id', 'favoriteId']],
    ['addField', 'authorId', []],
  ]);
  const s = new ProjectState();
  for (const op of ops) applyToState(s, 'blog', op);
  assert.deepEqual(s.get('blog', 'Post').fields.authorId, post.fields.authorId);
});

test('hand-written migrations may list a field\'s keys in any order: no spurious alterField', async () => {
  const { detectChanges, nonInteractive } = require(path.join(ROOT, 'dist/core/db/migrations/autodetector'));
  const s = new ProjectState();
  applyToState(s, 'shop', { type: 'createModel', name: 'Order', table: 'shop_order', fields: {
    id: { primaryKey: true, autoIncrement: true, allowNull: false, type: 'INTEGER' },
    total: { allowNull: false, type: 'INTEGER', defaultValue: 0 },
  } });
  const models = [{ app: 'shop', name: 'Order', table: 'shop_order', indexes: [], fields: {
    id: { type: 'INTEGER', allowNull: false, primaryKey: true, autoIncrement: true },
    total: { type: 'INTEGER', allowNull: false, defaultValue: 0 },
  } }];
  assert.deepEqual(await detectChanges('shop', s, models, nonInteractive()), []);
});
