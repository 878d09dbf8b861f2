// `check --deploy` and the index a search needs, on every database: PostgreSQL's trigram index (admin.W404, every
// search mode), SQLite's NOCASE index ('^'/'=' only: admin.W405), MariaDB/MySQL's plain index ('^'/'=': admin.W403).
// The first two are read from the database itself, so running the hint's SQL makes the warning go away.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setupBlog, useTestDatabase } = require('./helpers');

const ROOT = path.join(__dirname, '..', '..');
const { m } = setupBlog();
const Article = m.model('Article', {
  title: { type: m.DataTypes.STRING(200), allowNull: false, dbIndex: true },
  refCode: { type: m.DataTypes.STRING(20), allowNull: false, defaultValue: '' },
  body: { type: m.DataTypes.TEXT, allowNull: false, defaultValue: '' },
  views: { type: m.DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
}, { timestamps: false });
Article.belongsTo(m.User, { as: 'author', foreignKey: { name: 'authorId', allowNull: true } });
m.admin.register(Article, { searchFields: ['^title', '=refCode', 'body', '@views', 'author__username', '^author__email'] });
m.run();
useTestDatabase();

const { runChecks } = require(path.join(ROOT, 'dist/core/conf/state'));
const { dbVendor } = require(path.join(ROOT, 'dist/core/db/connection'));
const vendor = dbVendor();
const postgres = vendor === 'postgres';
const sqlite = vendor === 'sqlite';
const mysql = vendor === 'mariadb' || vendor === 'mysql';

/** The search-index warnings (W403–W405) `check --deploy` gives Article. */
async function searchWarnings(deploy = true) {
  return (await runChecks({ deploy })).filter((c) => /^admin\.W40[345]$/.test(c.id) && c.obj === 'blog.Article');
}
/** `W404 title`, … : which warning names which field. */
const named = (warnings) => warnings.map((c) => `${c.id.slice(6)} ${c.msg.match(/'([^']+)'/)[1]}`).sort();
/** The runSql operations of a hint, as a migration would run them. */
function hintOps(hint) {
  return [...hint.matchAll(/\{ type: 'runSql', sql: '((?:[^'\\]|\\.)*)', reverseSql: '((?:[^'\\]|\\.)*)' \}/g)].map(([, sql, reverseSql]) => ({ sql, reverseSql }));
}

test('check --deploy names each search field the database has no index for; a lookup through a relation never; plain check nothing', async () => {
  const expected = postgres ? ['W404 body', 'W404 refCode', 'W404 title', 'W404 views'] // a trigram index answers every mode
    : sqlite ? ['W405 refCode', 'W405 title'] // a contains search scans whatever the indexes ('body', '@views')
      : ['W403 refCode']; // MariaDB/MySQL: a plain index answers '^'/'=' ('title' has one)
  assert.deepEqual(named(await searchWarnings()), expected);
  assert.deepEqual(await searchWarnings(false), []);
});

test('PostgreSQL: the W404 hint is the runSql migration; its trigram index answers the admin\'s search and silences the warning', { skip: !postgres && 'PostgreSQL only' }, async () => {
  const warnings = await searchWarnings();
  const byField = Object.fromEntries(warnings.map((c) => [c.msg.match(/'([^']+)'/)[1], c]));
  assert.equal(byField.title.msg, "searchFields refers to 'title' of Article, which no trigram index covers: on a large table every search scans it.");
  assert.deepEqual(hintOps(byField.title.hint), [
    { sql: 'CREATE EXTENSION IF NOT EXISTS pg_trgm', reverseSql: '' },
    { sql: 'CREATE INDEX blog_article_title_trgm ON blog_article USING gin ((title::text) gin_trgm_ops)', reverseSql: 'DROP INDEX blog_article_title_trgm' },
  ]);
  // A mixed-case column is quoted, as PostgreSQL needs.
  assert.equal(hintOps(byField.refCode.hint)[1].sql, 'CREATE INDEX blog_article_refcode_trgm ON blog_article USING gin (("refCode"::text) gin_trgm_ops)');
  const created = [];
  try {
    for (const field of ['title', 'refCode', 'views']) {
      for (const op of hintOps(byField[field].hint)) { await m.db.query(op.sql); if (op.reverseSql) created.push(op.reverseSql); }
    }
    // A GiST trigram index on the bare column counts too; a plain btree one ('title' has dbIndex) does not.
    await m.db.query('CREATE INDEX blog_article_body_gist ON blog_article USING gist (body gist_trgm_ops)');
    created.push('DROP INDEX blog_article_body_gist');
    assert.deepEqual(named(await searchWarnings()), []);
    // The admin's own '^title' search, as the change list sends it (CAST(title AS TEXT) ILIKE …), uses the index.
    const { searchWhere } = require(path.join(ROOT, 'dist/admin/changelist-search'));
    const where = await searchWhere(Article, ['^title'], 'hello', new Map());
    let sql;
    await Article.findAll({ where, attributes: ['id'], logging: (s) => { sql = s.replace(/^Executing \([^)]*\): /, ''); } });
    const plan = await m.db.transaction(async (transaction) => {
      await m.db.query('SET LOCAL enable_seqscan = off', { transaction });
      return (await m.db.query(`EXPLAIN ${sql}`, { type: 'SELECT', transaction })).map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /Index Scan on blog_article_title_trgm/, plan);
  } finally {
    for (const drop of created.reverse()) await m.db.query(drop);
  }
  assert.deepEqual(named(await searchWarnings()), ['W404 body', 'W404 refCode', 'W404 title', 'W404 views']);
  // A partial trigram index is not counted: the admin's search does not imply its predicate.
  await m.db.query("CREATE INDEX blog_article_title_partial ON blog_article USING gin ((title::text) gin_trgm_ops) WHERE views > 0");
  try {
    assert.ok(named(await searchWarnings()).includes('W404 title'));
  } finally {
    await m.db.query('DROP INDEX blog_article_title_partial');
  }
});

test('SQLite: the W405 hints\' NOCASE indexes silence the warnings', { skip: !sqlite && 'SQLite only' }, async () => {
  const warnings = await searchWarnings();
  const ops = warnings.flatMap((c) => hintOps(c.hint));
  assert.deepEqual(ops.map((o) => o.sql).sort(), [
    'CREATE INDEX blog_article_refcode_nocase ON blog_article ("refCode" COLLATE NOCASE)',
    'CREATE INDEX blog_article_title_nocase ON blog_article (title COLLATE NOCASE)',
  ]);
  try {
    for (const op of ops) await m.db.query(op.sql);
    assert.deepEqual(await searchWarnings(), []);
  } finally {
    for (const op of ops) await m.db.query(op.reverseSql);
  }
});

test('MariaDB/MySQL: W403 asks for dbIndex: true, and nothing is read for W404/W405', { skip: !mysql && 'MariaDB/MySQL only' }, async () => {
  const [w] = await searchWarnings();
  assert.equal(w.msg, "searchFields refers to 'refCode' of Article, which has no index: on a large table every change list page scans it.");
  assert.match(w.hint, /dbIndex: true/);
});

test('a table the database does not have yet (migrations not applied), or a database that cannot be read, gives no W404/W405 and no exception', { skip: mysql && 'W403 reads the models, not the database' }, async () => {
  await m.db.query('ALTER TABLE blog_article RENAME TO blog_article_away');
  try {
    assert.deepEqual(await searchWarnings(), []);
  } finally {
    await m.db.query('ALTER TABLE blog_article_away RENAME TO blog_article');
  }
  const query = m.db.query;
  m.db.query = async () => { throw new Error('connection lost'); };
  try {
    assert.deepEqual(await searchWarnings(), []);
  } finally {
    m.db.query = query;
  }
  assert.equal((await searchWarnings()).length, postgres ? 4 : 2);
});
