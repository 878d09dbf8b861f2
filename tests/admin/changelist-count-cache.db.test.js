// The change list's and the API's counts on every database; on PostgreSQL a count repeated while the server's MVCC snapshot
// is unchanged is answered from the cache without running it (core/db/snapshot-count.ts), and is exact whatever other
// connections write, commit or leave uncommitted.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
process.env.MANOUCHE_TESTING = '1';
const { Sequelize } = require('sequelize');
const { configure, model, DataTypes, admin, getApp, Client, User, countRows, db } = require('manouche');
const { countCacheStats, cacheable, MAX_CACHED_COUNTS } = require('../../dist/core/db/snapshot-count.js');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({ admin: true, APP_LABEL: 'cc', SECRET_KEY: 'count-cache-count-cache-count-cache-count-cache-1', ALLOWED_HOSTS: ['localhost'],
  SESSION_STORE: 'memory', DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:', SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 } });
const Post = model('Post', {
  title: { type: DataTypes.STRING(100), allowNull: false },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
}, { timestamps: false, ordering: ['-id'] });
admin.register(Post, { listDisplay: ['title', 'published'], listFilter: ['published'], searchFields: ['title'], listPerPage: 2 });
getApp();

// Only PostgreSQL caches counts; on SQLite and MariaDB every count runs, which the same tests check.
const postgres = () => db.getDialect() === 'postgres';
// A second connection needs a server: an in-memory SQLite database exists on its own connection only.
const server = () => db.getDialect() !== 'sqlite';
let other;

before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  await Post.bulkCreate(Array.from({ length: 5 }, (_, i) => ({ title: `Post ${i}`, published: i % 2 === 0 })));
  if (server()) {
    const c = db.config;
    other = new Sequelize({ dialect: db.getDialect(), database: c.database, username: c.username, password: c.password, host: c.host, port: c.port, logging: false });
  }
});
after(async () => {
  await other?.close();
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

/** The SQL the database was sent while `fn` ran. */
async function logged(fn) {
  const sql = [];
  db.options.logging = (q) => sql.push(q);
  try { await fn(); } finally { db.options.logging = false; }
  return sql;
}
const countsIn = (sql) => sql.filter((q) => /count\(/i.test(q));
const snapshotReads = (sql) => sql.filter((q) => /pg_current_snapshot/.test(q));
const snapshot = async () => (await db.query('SELECT pg_current_snapshot()::text AS s', { type: 'SELECT', plain: true })).s;
const table = () => other.getQueryInterface().queryGenerator.quoteTable(Post.getTableName());
const insertElsewhere = (title, options) => other.query(`INSERT INTO ${table()} (title, published) VALUES ('${title}', true)`, options);

test('a count repeated while the snapshot is unchanged is not run again (PostgreSQL); elsewhere every count runs', async () => {
  for (const where of [undefined, { published: true }]) {
    const expected = await Post.count({ where });
    if (!postgres()) {
      const sql = await logged(async () => { assert.equal(await countRows(Post, { where }), expected); assert.equal(await countRows(Post, { where }), expected); });
      assert.equal(countsIn(sql).length, 2, sql.join('\n'));
      continue;
    }
    // The snapshot is cluster-wide: a write to another database between the two counts rightly makes the second one run.
    // Bracketing them with two reads of the snapshot tells when nothing was written; that must happen in a few tries.
    let quiet = 0;
    // Other test files write to the same server in parallel: when one does, wait a moment and try again.
    for (let i = 0; i < 400 && quiet < 3; i++) {
      const s0 = await snapshot();
      assert.equal(await countRows(Post, { where }), expected);
      const sql = await logged(async () => assert.equal(await countRows(Post, { where }), expected));
      if (s0 !== await snapshot()) { await new Promise((r) => setTimeout(r, 5 + (i % 7))); continue; }
      quiet++;
      assert.deepEqual(countsIn(sql), [], 'nothing was written: the second count was answered from the cache');
      assert.equal(snapshotReads(sql).length, 1, 'the snapshot read is logged like the count it stands for');
    }
    assert.equal(quiet, 3, 'the cluster never stayed still for two counts');
  }
  if (postgres()) assert.equal(countCacheStats(db).supported, true);
});

test('a row another connection inserts is counted at once', { skip: !server() && 'an in-memory SQLite database has no second connection' }, async () => {
  const n = await countRows(Post);
  const published = await countRows(Post, { where: { published: true } });
  assert.equal(await countRows(Post), n);
  await insertElsewhere('from another connection');
  assert.equal(await countRows(Post), n + 1);
  assert.equal(await countRows(Post, { where: { published: true } }), published + 1);
  await other.query(`DELETE FROM ${table()} WHERE title = 'from another connection'`);
  assert.equal(await countRows(Post), n);
  assert.equal(await countRows(Post, { where: { published: true } }), published);
});

test('a row inserted in another connection\'s open transaction is counted when it commits, not before', { skip: !server() && 'an in-memory SQLite database has no second connection' }, async () => {
  const n = await countRows(Post);
  const t = await other.transaction();
  try {
    await insertElsewhere('uncommitted', { transaction: t });
    // The insert gave that transaction an xid: the snapshot may be unchanged, the cached count is still the answer.
    assert.equal(await countRows(Post), n);
    assert.equal(await countRows(Post), n);
    await t.commit();
  } catch (err) { await t.rollback(); throw err; }
  assert.equal(await countRows(Post), n + 1);
  const rolledBack = await other.transaction();
  await insertElsewhere('rolled back', { transaction: rolledBack });
  assert.equal(await countRows(Post), n + 1);
  await rolledBack.rollback();
  assert.equal(await countRows(Post), n + 1);
  await other.query(`DELETE FROM ${table()} WHERE title = 'uncommitted'`);
  assert.equal(await countRows(Post), n);
});

test('inside a transaction every count runs and sees the transaction\'s own rows', async () => {
  const n = await countRows(Post);
  await countRows(Post);
  const rollback = new Error('rollback');
  await assert.rejects(db.transaction(async () => {
    const sql = await logged(async () => { assert.equal(await countRows(Post), n); assert.equal(await countRows(Post), n); });
    assert.equal(countsIn(sql).length, 2, sql.join('\n'));
    assert.deepEqual(snapshotReads(sql), []);
    await Post.create({ title: 'inside' });
    assert.equal(await countRows(Post), n + 1);
    assert.equal(await countRows(Post, { where: { title: 'inside' } }), 1);
    throw rollback;
  }), (err) => err === rollback);
  assert.equal(await countRows(Post), n);
  assert.equal(await countRows(Post, { where: { title: 'inside' } }), 0);
});

test('the change list shows the exact count after an add and a delete; bad input answers as before', async () => {
  const boss = await User.createSuperuser({ username: 'boss', password: 'correct horse battery', email: 'b@example.com' });
  const client = new Client();
  await client.forceLogin(boss);
  const label = async (qs = '') => {
    const res = await client.get(`/admin/cc/post/${qs}`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    return /class="result-count">([^<]*)</.exec(res.text)[1];
  };
  const n = await Post.count();
  const published = await Post.count({ where: { published: true } });
  assert.equal(await label(), `${n} posts`);
  assert.equal(await label(), `${n} posts`);
  assert.equal(await label('?published__exact=1'), `${published} posts`);
  const added = await client.post('/admin/cc/post/add/', { title: 'Added in the admin', published: 'on' });
  assert.equal(added.status, 302, added.text.slice(0, 300));
  assert.equal(await label(), `${n + 1} posts`);
  assert.equal(await label('?published__exact=1'), `${published + 1} posts`);
  assert.equal(await label('?q=admin'), '1 post');
  const post = await Post.findOne({ where: { title: 'Added in the admin' } });
  const deleted = await client.post(`/admin/cc/post/${post.id}/delete/`, { post: 'yes' });
  assert.equal(deleted.status, 302, deleted.text.slice(0, 300));
  assert.equal(await label(), `${n} posts`);
  assert.equal(await label('?published__exact=1'), `${published} posts`);
  assert.equal(await label('?q=admin'), '0 posts');
  // The last page, a page past the end (twice: the second count may come from the cache), an unknown sort, an undeclared filter.
  const last = Math.ceil(n / 2);
  assert.equal(await label(`?p=${last}`), `${n} posts`);
  for (let i = 0; i < 2; i++) assert.equal((await client.get(`/admin/cc/post/?p=${last + 1}`)).status, 400);
  assert.equal(await label('?o=9'), `${n} posts`);
  assert.equal((await client.get('/admin/cc/post/?title__startswith=P')).status, 400);
});

test('only SQL whose result depends on the rows alone is cached', () => {
  assert.equal(cacheable('SELECT count(*) AS "n" FROM "cc_post"'), true);
  assert.equal(cacheable(`SELECT count(*) AS "count" FROM "cc_post" AS "Post" WHERE ("Post"."published" = true AND CAST("Post"."title" AS TEXT) ILIKE '%now()%' ESCAPE '!')`), true);
  assert.equal(cacheable(`SELECT count(*) AS "count" FROM "cc_post" AS "Post" WHERE "Post"."id" IN (SELECT "postId" FROM "x" WHERE lower("x"."name") = 'current_date')`), true);
  for (const sql of [
    'SELECT count(*) FROM "t" WHERE "t"."at" < now()',
    'SELECT count(*) FROM "t" WHERE "t"."at" < CURRENT_TIMESTAMP',
    'SELECT count(*) FROM "t" WHERE "t"."on" = current_date',
    `SELECT count(*) FROM "t" WHERE "t"."at" < 'now'`,
    `SELECT count(*) FROM "t" WHERE "t"."on" >= ' Today'`,
    'SELECT count(*) FROM "t" WHERE random() < 0.5',
    'SELECT count(*) FROM "t" WHERE my_function("t"."id")',
    'SELECT count(*) FROM "t" WHERE "t"."owner" = user',
  ]) assert.equal(cacheable(sql), false, sql);
  assert.equal(MAX_CACHED_COUNTS, 500);
});

test('the cache holds at most MAX_CACHED_COUNTS counts per database, and forgets the oldest', { skip: !postgres() && 'only PostgreSQL caches counts' }, async () => {
  for (let i = 0; i < MAX_CACHED_COUNTS + 20; i++) await countRows(Post, { where: { id: -i } });
  assert.equal(countCacheStats(db).size, MAX_CACHED_COUNTS);
});
