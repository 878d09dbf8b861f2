// The SQLite driver: sqlite3's callback API over a prebuilt DatabaseSync. What sequelize and users rely on from sqlite3
// (error codes, bound values, BLOBs, lastID/changes) answers the same, and a lock held by another process is waited
// for without blocking the event loop.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { sqliteDriver } = require('../../dist/core/db/sqlite-driver');

const sqlite = sqliteDriver();
const { DatabaseSync } = require('@photostructure/sqlite');

function open(file = ':memory:', mode) {
  return new Promise((resolve, reject) => {
    const db = new sqlite.Database(file, mode ?? (sqlite.OPEN_READWRITE | sqlite.OPEN_CREATE), (err) => (err ? reject(err) : resolve(db)));
  });
}
const call = (db, method, sql, params) => new Promise((resolve, reject) => {
  function done(err, result) { return err ? reject(err) : resolve({ result, statement: this }); }
  if (method === 'exec') db.exec(sql, done);
  else db[method](sql, params ?? [], done);
});
const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-driver-')), 'db.sqlite3');

test('run() answers with a Statement holding lastID and changes, as sequelize reads them', async () => {
  const db = await open();
  await call(db, 'exec', 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, flag BOOLEAN, at INTEGER, data BLOB)');
  const first = await call(db, 'run', 'INSERT INTO t (name) VALUES (?), (?)', ['a', 'b']);
  assert.equal(first.statement.constructor.name, 'Statement');
  assert.equal(first.statement.lastID, 2);
  assert.equal(first.statement.changes, 2);
  const updated = await call(db, 'run', 'UPDATE t SET name = name || $suffix', { $suffix: '!' });
  assert.equal(updated.statement.changes, 2);
});

test('values bind as sqlite3 binds them: booleans 1/0, undefined NULL, a Date its milliseconds, Buffers as BLOBs', async () => {
  const db = await open();
  await call(db, 'exec', 'CREATE TABLE t (id INTEGER PRIMARY KEY, flag BOOLEAN, maybe TEXT, at INTEGER, data BLOB)');
  const when = new Date('2025-01-02T03:04:05.678Z');
  await call(db, 'run', 'INSERT INTO t (flag, maybe, at, data) VALUES (?, ?, ?, ?)', [true, undefined, when, Buffer.from('hi')]);
  await call(db, 'run', 'INSERT INTO t (flag) VALUES (?)', [false]);
  const { result: rows } = await call(db, 'all', 'SELECT flag, maybe, at, data FROM t ORDER BY id');
  assert.deepEqual(rows[0], { flag: 1, maybe: null, at: when.getTime(), data: Buffer.from('hi') });
  assert.ok(Buffer.isBuffer(rows[0].data), 'a BLOB reads as a Buffer');
  assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype, 'rows are plain objects');
  assert.equal(rows[1].flag, 0);
  const { result: one } = await call(db, 'get', 'SELECT count(*) AS n FROM t');
  assert.deepEqual(one, { n: 2 });
});

test('integers past 2^53 read as their exact digits, not a neighbouring number', async () => {
  const db = await open();
  await call(db, 'exec', 'CREATE TABLE t (id BIGINT PRIMARY KEY, small INTEGER)');
  await call(db, 'run', "INSERT INTO t (id, small) VALUES ('9007199254740993', 7)");
  const { result } = await call(db, 'all', 'SELECT id, small FROM t');
  assert.deepEqual(result, [{ id: '9007199254740993', small: 7 }]);
});

test("errors carry sqlite3's code and message, which sequelize turns into its own error classes", async () => {
  const db = await open();
  await call(db, 'exec', 'CREATE TABLE t (name TEXT UNIQUE NOT NULL)');
  await call(db, 'run', 'INSERT INTO t VALUES (?)', ['a']);
  await assert.rejects(call(db, 'run', 'INSERT INTO t VALUES (?)', ['a']), (err) => {
    assert.equal(err.code, 'SQLITE_CONSTRAINT');
    assert.equal(err.errno, 19);
    assert.match(err.message, /^SQLITE_CONSTRAINT: UNIQUE constraint failed: t\.name$/);
    return true;
  });
  await assert.rejects(call(db, 'all', 'SELECT * FROM missing'), { code: 'SQLITE_ERROR', message: 'SQLITE_ERROR: no such table: missing' });
  await assert.rejects(call(db, 'run', 'INSERT INTO t VALUES (?)', [{ not: 'bindable' }]), { code: 'SQLITE_MISMATCH' });
});

test('a file opened without OPEN_CREATE must exist; a closed database refuses work', async () => {
  const file = tmpFile();
  await assert.rejects(open(file, sqlite.OPEN_READWRITE), { code: 'SQLITE_CANTOPEN' });
  assert.ok(!fs.existsSync(file));
  const db = await open(file);
  await new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
  await assert.rejects(call(db, 'all', 'SELECT 1'), { code: 'SQLITE_MISUSE' });
});

test('query after query, awaited in a loop, lets timers and I/O run between them', async () => {
  const db = await open();
  await call(db, 'exec', 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, 1);
  const started = Date.now();
  let n = 0;
  while (Date.now() - started < 60) {
    await call(db, 'run', 'INSERT INTO t (name) VALUES (?)', [`row ${n}`]);
    await call(db, 'all', 'SELECT count(*) AS n FROM t');
    n += 1;
  }
  clearInterval(timer);
  // 60 ms of back-to-back queries: a 1 ms timer must have fired along the way (it never did when answers came by
  // process.nextTick, which froze every other request for as long as such a loop ran).
  assert.ok(ticks >= 5, `timers ran ${ticks} times during ${n} queries`);
  const { result } = await call(db, 'all', 'SELECT count(*) AS n FROM t');
  assert.equal(result[0].n, n);
});

test("a write waits for another process's lock between turns of the event loop, in order, then succeeds", async () => {
  const file = tmpFile();
  const db = await open(file);
  db.configure('busyTimeout', 5000);
  await call(db, 'exec', 'PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER)');
  const other = new DatabaseSync(file); // another process, as far as SQLite's locks go
  other.exec('BEGIN IMMEDIATE');
  let ticks = 0;
  const ticker = setInterval(() => { ticks += 1; }, 5);
  const order = [];
  const begin = call(db, 'all', 'BEGIN IMMEDIATE TRANSACTION;').then(() => order.push('begin'));
  const first = call(db, 'run', 'INSERT INTO t VALUES (1)').then(() => order.push(1));
  const second = call(db, 'run', 'INSERT INTO t VALUES (2)').then(() => order.push(2));
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.deepEqual(order, [], 'nothing was written while the lock was held');
  other.exec('COMMIT');
  await Promise.all([begin, first, second]);
  await call(db, 'exec', 'COMMIT');
  clearInterval(ticker);
  assert.deepEqual(order, ['begin', 1, 2]);
  assert.ok(ticks >= 10, `the event loop kept turning while the write waited (${ticks} ticks)`);
  const { result } = await call(db, 'all', 'SELECT n FROM t ORDER BY rowid');
  assert.deepEqual(result.map((r) => r.n), [1, 2]);
  other.close();
});

test('past the busy timeout the write fails with SQLITE_BUSY and the connection stays usable', async () => {
  const file = tmpFile();
  const db = await open(file);
  db.configure('busyTimeout', 100);
  await call(db, 'exec', 'PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER)');
  const other = new DatabaseSync(file);
  other.exec('BEGIN IMMEDIATE');
  const started = Date.now();
  await assert.rejects(call(db, 'run', 'INSERT INTO t VALUES (1)'), (err) => err.code === 'SQLITE_BUSY' && /database is locked/.test(err.message));
  assert.ok(Date.now() - started >= 90, 'it waited for the busy timeout');
  // sequelize sends BEGIN through all(), where the driver's error comes without its result code
  await assert.rejects(call(db, 'all', 'BEGIN IMMEDIATE TRANSACTION;'), { code: 'SQLITE_BUSY', errno: 5 });
  const { result } = await call(db, 'all', 'SELECT count(*) AS n FROM t');
  assert.deepEqual(result, [{ n: 0 }], 'reads go on beside the lock (WAL)');
  other.exec('ROLLBACK');
  await call(db, 'run', 'INSERT INTO t VALUES (1)');
  other.close();
});
