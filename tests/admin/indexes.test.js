// Indexes for big change lists: `dbIndex: true` gives a migration that adds one, and `check --deploy` names each
// field the change list sorts, filters or prefix-searches by that no index leads; on SQLite it reads the database's
// own indexes for the NOCASE index a '^'/'=' search needs (admin.W405; PostgreSQL's W404: search-indexes.db.test.js).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setupBlog, useTestDatabase } = require('./helpers');

const { m } = setupBlog();
const Entry = m.model('Entry', {
  headline: { type: m.DataTypes.STRING(100), allowNull: false, dbIndex: true },
  slug: { type: m.DataTypes.STRING(100), allowNull: false, unique: true },
  rank: { type: m.DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  kind: { type: m.DataTypes.STRING(20), allowNull: false, defaultValue: 'news' },
  mood: { type: m.DataTypes.STRING(20), allowNull: true, field: 'mood_col', dbIndex: true },
  summary: { type: m.DataTypes.TEXT, allowNull: false, defaultValue: '' },
}, { ordering: ['-rank', 'headline'] });
Entry.belongsTo(m.User, { as: 'owner', foreignKey: { name: 'ownerId', allowNull: true } });
m.admin.register(Entry, { listFilter: ['kind', 'mood', 'slug'], searchFields: ['^headline', '=kind', 'rank', 'summary', '^owner__username'] });
m.run();
useTestDatabase();

const ROOT = path.join(__dirname, '..', '..');

test('dbIndex: true gives the model an index that makemigrations writes (column names, as the database sees them)', async () => {
  const { modelToState, ProjectState } = require(path.join(ROOT, 'dist/core/db/migrations/state'));
  const { detectChanges, nonInteractive } = require(path.join(ROOT, 'dist/core/db/migrations/autodetector'));
  const state = modelToState('blog', Entry);
  assert.deepEqual(state.indexes.map((i) => [i.name, i.fields]), [['blog_entry_headline', ['headline']], ['blog_entry_mood_col', ['mood_col']]]);
  const ops = await detectChanges('blog', new ProjectState(), [state], nonInteractive());
  assert.deepEqual(ops[0].indexes.map((i) => i.name), ['blog_entry_headline', 'blog_entry_mood_col']);
  assert.ok(!('dbIndex' in state.fields.headline), 'the column itself is unchanged');
});

test('the test database has the index', async () => {
  const qi = m.db.getQueryInterface();
  const names = (await qi.showIndex('blog_entry')).map((i) => i.name);
  assert.ok(names.includes('blog_entry_headline'), names.join(', '));
});

const { runChecks } = require(path.join(ROOT, 'dist/core/conf/state'));
const { dbVendor } = require(path.join(ROOT, 'dist/core/db/connection'));
/** The admin.W40x warnings `check --deploy` gives Entry, as `id message`, sorted. */
async function entryWarnings(deploy = true) {
  return (await runChecks({ deploy })).filter((c) => /^admin\.W40/.test(c.id) && c.obj === 'blog.Entry');
}
const text = (warnings) => warnings.map((c) => `${c.id} ${c.msg}`).sort();
const W = (id, option, name) => `admin.${id} ${option} refers to '${name}' of Entry, which has no index: on a large table every change list page scans it.`;
const nocase = (name) => `admin.W405 searchFields refers to '${name}' of Entry, which no COLLATE NOCASE index leads: on a large table every '^' or '=' search scans it.`;
const trigram = (name) => `admin.W404 searchFields refers to '${name}' of Entry, which no trigram index covers: on a large table every search scans it.`;

test('check --deploy warns about an unindexed ordering, filter or prefix/exact search field; plain check does not', async () => {
  const warnings = await entryWarnings();
  const expected = [W('W401', 'ordering', 'rank'), W('W402', 'listFilter', 'kind')];
  // Searches are case-insensitive: a plain index answers them on MariaDB/MySQL only (W403); SQLite needs a NOCASE index
  // for '^'/'=' (W405: not for 'rank', a number, nor 'summary', a contains search); PostgreSQL a trigram index for every
  // mode (W404). A lookup through a relation ('^owner__username') is never named.
  const vendor = dbVendor();
  if (vendor === 'mariadb' || vendor === 'mysql') expected.push(W('W403', 'searchFields', 'kind'));
  if (vendor === 'sqlite') expected.push(nocase('headline'), nocase('kind'));
  if (vendor === 'postgres') expected.push(trigram('headline'), trigram('kind'), trigram('rank'), trigram('summary'));
  assert.deepEqual(text(warnings), expected.sort());
  assert.ok(warnings.every((c) => c.level === 'warning'));
  assert.ok(warnings.filter((c) => /^admin\.W40[123]$/.test(c.id)).every((c) => /dbIndex: true/.test(c.hint)));
  assert.deepEqual(await entryWarnings(false), []);
});

/** The runSql operations of a hint, as a migration would run them. */
function hintSql(hint) {
  return [...hint.matchAll(/sql: '((?:[^'\\]|\\.)*)', reverseSql: '((?:[^'\\]|\\.)*)'/g)].map(([, sql, reverseSql]) => ({ sql, reverseSql }));
}

test('SQLite: the W405 hint is a runSql migration whose index answers the search and silences the warning', { skip: dbVendor() !== 'sqlite' && 'SQLite only' }, async () => {
  const warning = (await entryWarnings()).find((c) => c.id === 'admin.W405' && /'kind'/.test(c.msg));
  assert.match(warning.hint, /makemigrations --empty/);
  const ops = hintSql(warning.hint);
  assert.deepEqual(ops, [{ sql: 'CREATE INDEX blog_entry_kind_nocase ON blog_entry (kind COLLATE NOCASE)', reverseSql: 'DROP INDEX blog_entry_kind_nocase' }]);
  // The admin's own '=kind' search, as the change list sends it.
  const { searchWhere } = require(path.join(ROOT, 'dist/admin/changelist-search'));
  const where = await searchWhere(Entry, ['=kind'], 'news', new Map());
  let sql;
  await Entry.findAll({ where, attributes: ['id'], logging: (s) => { sql = s.replace(/^Executing \([^)]*\): /, ''); } });
  const plan = async () => (await m.db.query(`EXPLAIN QUERY PLAN ${sql}`, { type: 'SELECT' })).map((r) => r.detail).join('; ');
  assert.match(await plan(), /SCAN Entry/);
  try {
    await m.db.query(ops[0].sql);
    assert.match(await plan(), /SEARCH Entry USING (COVERING )?INDEX blog_entry_kind_nocase/);
    assert.deepEqual(text(await entryWarnings()), [W('W401', 'ordering', 'rank'), W('W402', 'listFilter', 'kind'), nocase('headline')].sort());
  } finally {
    await m.db.query(ops[0].reverseSql);
  }
  // A plain (BINARY) index does not count: 'headline' has one (dbIndex: true) and is still named; so does a partial one.
  await m.db.query("CREATE INDEX blog_entry_kind_partial ON blog_entry (kind COLLATE NOCASE) WHERE kind <> ''");
  try {
    assert.ok((await entryWarnings()).some((c) => c.id === 'admin.W405' && /'kind'/.test(c.msg)));
  } finally {
    await m.db.query('DROP INDEX blog_entry_kind_partial');
  }
});

test('SQLite: a table the database does not have yet gets no W405, and the check does not throw', { skip: dbVendor() !== 'sqlite' && 'SQLite only' }, async () => {
  await m.db.query('ALTER TABLE blog_entry RENAME TO blog_entry_away');
  try {
    assert.deepEqual(text(await entryWarnings()), [W('W401', 'ordering', 'rank'), W('W402', 'listFilter', 'kind')]);
  } finally {
    await m.db.query('ALTER TABLE blog_entry_away RENAME TO blog_entry');
  }
});
