// Regression (issue 10): concurrent writers on a SQLite file stalled for the busy timeout, then locked for good. A query
// made inside a transaction without { transaction } waited on the lock its own process held.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./fixtures/h4-helpers');

const { parseDatabaseUrl, openDatabase } = require(path.join(ROOT, 'dist/core/db/connection'));

function fileDb(t, options) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w10-sqlite-'));
  const url = `sqlite:${path.join(dir, 'db.sqlite3')}`;
  const db = openDatabase(parseDatabaseUrl(url), options);
  t.after(async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  return { db, url };
}

async function table(db) {
  await db.query('CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)');
  await db.query('CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, item INTEGER NOT NULL)');
}

test('40 transactions at once, each writing outside { transaction } too, all commit, and queries inside join them', async (t) => {
  const { db } = fileDb(t, { busyTimeoutMs: 3000 });
  await table(db);
  // The shape of an admin save: the row in the transaction, then a log entry written without passing it.
  await Promise.all(Array.from({ length: 40 }, (_, i) => db.transaction(async (tx) => {
    await db.query('INSERT INTO item (name) VALUES (?)', { replacements: [`n${i}`], transaction: tx });
    const [[{ id }]] = await db.query('SELECT max(id) AS id FROM item');
    await db.query('INSERT INTO log (item) VALUES (?)', { replacements: [id] });
  })));
  const [[counts]] = await db.query('SELECT (SELECT count(*) FROM item) AS items, (SELECT count(*) FROM log) AS logs, (SELECT count(DISTINCT item) FROM log) AS distinctLogged');
  assert.deepEqual({ ...counts }, { items: 40, logs: 40, distinctLogged: 40 });
  // Only two handles on the file, whatever the number of transactions: the reader and the writer.
  assert.ok(Object.keys(db.connectionManager.connections).length <= 2);
});

test('a failed transaction rolls back what was written inside it without { transaction }; a nested one is a savepoint', async (t) => {
  const { db } = fileDb(t, { busyTimeoutMs: 3000 });
  await table(db);
  await assert.rejects(db.transaction(async () => {
    await db.query("INSERT INTO item (name) VALUES ('lost')");
    throw new Error('undo');
  }), /undo/);
  await db.transaction(async () => {
    await db.query("INSERT INTO item (name) VALUES ('outer')");
    await assert.rejects(db.transaction(async () => {
      await db.query("INSERT INTO item (name) VALUES ('inner')");
      throw new Error('undo inner');
    }), /undo inner/);
  });
  const [rows] = await db.query('SELECT name FROM item');
  assert.deepEqual(rows.map((r) => r.name), ['outer']);
});

test('reads outside a transaction run beside an open writer and see only committed rows', async (t) => {
  const { db } = fileDb(t, { busyTimeoutMs: 3000 });
  await table(db);
  const tx = await db.transaction();
  await db.query("INSERT INTO item (name) VALUES ('pending')", { transaction: tx });
  const [rows] = await db.query('SELECT count(*) AS n FROM item');
  assert.equal(rows[0].n, 0);
  await tx.commit();
  const [after] = await db.query('SELECT count(*) AS n FROM item');
  assert.equal(after[0].n, 1);
});

test('a write that cannot get the lock fails with E_DB_LOCKED after the timeout, and the database stays usable', async (t) => {
  const { db, url } = fileDb(t, { busyTimeoutMs: 200 });
  await table(db);
  // Another process's writer, as sequelize would open it: holds the lock.
  const other = openDatabase(parseDatabaseUrl(url), { busyTimeoutMs: 200 });
  const held = await other.transaction();
  await other.query("INSERT INTO item (name) VALUES ('other')", { transaction: held });
  await assert.rejects(db.query("INSERT INTO item (name) VALUES ('mine')"), (err) => {
    assert.equal(err.code, 'E_DB_LOCKED');
    assert.equal(err.status, 503);
    return true;
  });
  await assert.rejects(db.transaction(async () => db.query("INSERT INTO item (name) VALUES ('mine')")), { code: 'E_DB_LOCKED' });
  // Within the process, a write queued behind an unfinished transaction also gives up, saying what to do.
  const mine = await other.transaction().catch(() => null);
  assert.equal(mine, null, 'the second transaction of the other instance waited and gave up');
  await held.commit();
  await other.close();
  await db.query("INSERT INTO item (name) VALUES ('mine')");
  await db.transaction(async () => db.query("INSERT INTO item (name) VALUES ('again')"));
  const [rows] = await db.query('SELECT name FROM item ORDER BY id');
  assert.deepEqual(rows.map((r) => r.name), ['other', 'mine', 'again']);
});
