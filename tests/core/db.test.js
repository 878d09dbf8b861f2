// DATABASE_URL parsing, SQLite tuned for concurrent writers (WAL, busy timeout, IMMEDIATE), connection errors that name the URL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT } = require('./fixtures/h4-helpers');

const { parseDatabaseUrl, openDatabase, testDatabaseName } = require(path.join(ROOT, 'dist/core/db/connection'));

test('DATABASE_URL parsing for every supported database', () => {
  assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { vendor: 'sqlite', url: 'sqlite::memory:', storage: ':memory:' });
  assert.equal(parseDatabaseUrl('sqlite:db.sqlite3', '/srv/blog').storage, '/srv/blog/db.sqlite3');
  assert.equal(parseDatabaseUrl('sqlite:/var/data/x.db', '/srv/blog').storage, '/var/data/x.db');
  assert.equal(parseDatabaseUrl('sqlite:///var/data/x.db').storage, '/var/data/x.db');
  assert.deepEqual(parseDatabaseUrl('postgres://bob:s%40cret@db.example:6543/shop'), {
    vendor: 'postgres', url: 'postgres://bob:s%40cret@db.example:6543/shop', host: 'db.example', port: 6543, username: 'bob', password: 's@cret', database: 'shop',
  });
  assert.equal(parseDatabaseUrl('postgresql://h/db').port, 5432);
  assert.equal(parseDatabaseUrl('mysql://root@h/db').vendor, 'mysql');
  const maria = parseDatabaseUrl('mariadb://root@127.0.0.1/app');
  assert.equal(maria.vendor, 'mariadb');
  assert.equal(maria.port, 3306);
  assert.equal(openDatabase(maria).getDialect(), 'mysql', 'MariaDB is reached with the mysql2 driver');
  assert.equal(testDatabaseName({ database: 'shop' }).replace(/_\d+$/, ''), 'test_shop');
});

test('a connection error names the URL with its password masked, and the cause', async () => {
  const db = openDatabase(parseDatabaseUrl('postgres://bob:hunter2@127.0.0.1:1/shop'));
  await assert.rejects(db.query('SELECT 1'), (err) => {
    assert.equal(err.code, 'E_DB_CONNECTION');
    assert.match(err.message, /^Could not connect to the database postgres:\/\/bob:\*{8}@127\.0\.0\.1:1\/shop: .*ECONNREFUSED/);
    assert.ok(!err.message.includes('hunter2'));
    return true;
  });
  await db.close();
  const mysql = openDatabase(parseDatabaseUrl('mariadb://root:pw@127.0.0.1:1/x'));
  await assert.rejects(mysql.query('SELECT 1'), /Could not connect to the database mariadb:\/\/root:\*{8}@127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
  await mysql.close();
});

test('SQLite: WAL, and two processes writing at once both succeed without SQLITE_BUSY or lost writes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h4-wal-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const url = `sqlite:${path.join(dir, 'shared.sqlite3')}`;
  const db = openDatabase(parseDatabaseUrl(url));
  await db.query('CREATE TABLE counter (value INTEGER NOT NULL UNIQUE, writer INTEGER NOT NULL)');
  const [[mode]] = await db.query('PRAGMA journal_mode');
  assert.equal(mode.journal_mode, 'wal');
  await db.close();
  const N = 60;
  const run = () => new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures/h4-writer.js'), url, String(N)], { env: { ...process.env, MANOUCHE_ROOT: ROOT } });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, err }));
  });
  const results = await Promise.all([run(), run()]);
  for (const r of results) assert.equal(r.code, 0, r.err);
  const check = openDatabase(parseDatabaseUrl(url));
  const [rows] = await check.query('SELECT value, writer FROM counter ORDER BY value');
  await check.close();
  assert.deepEqual(rows.map((r) => r.value), Array.from({ length: 2 * N }, (_, i) => i + 1));
  assert.equal(new Set(rows.map((r) => r.writer)).size, 2);
});
