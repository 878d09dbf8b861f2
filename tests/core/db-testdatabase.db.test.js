// `node app.js test` runs on a fresh, migrated test database (in-memory SQLite, test_<name> on a server, dropped after).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { scratchApp, vendor, serverQuery } = require('./fixtures/h4-helpers');

test('node app.js test: migrated test database, clean tables per test, the real database untouched', async (t) => {
  const app = await scratchApp('h4-testdb', 'notes');
  t.after(() => app.cleanup());
  const r = app.run(['test']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /# pass 3/);
  assert.match(r.out, /# fail 0/);
  const name = r.out.match(/test database: (\S+)/)[1];
  if (vendor() === 'sqlite') {
    assert.equal(name, ':memory:');
  } else {
    const dbName = new URL(app.url).pathname.slice(1);
    assert.equal(name, `test_${dbName}`);
    const [rows] = await serverQuery(vendor() === 'postgres'
      ? `SELECT datname AS name FROM pg_database WHERE datname = 'test_${dbName}'`
      : `SHOW DATABASES LIKE 'test_${dbName}'`);
    assert.equal(rows.length, 0, 'the test database is dropped after the run');
  }
  // the real database was never migrated
  assert.match(app.run(['showmigrations']).stdout, /\[ \] 0001_initial/);
});
