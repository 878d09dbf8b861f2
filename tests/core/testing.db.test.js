// `node app.js test` on each supported database (DATABASE_URL from the suite): a fresh test database, clean per test.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const appFile = path.join(__dirname, 'fixtures', 'h2-dbapp', 'app.js');

/** A database of its own on the same server, so that this run's test database clashes with no other suite's. */
function ownDatabaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url || url.startsWith('sqlite')) return '';
  const parsed = new URL(url);
  parsed.pathname = '/manouche_h2runner';
  return parsed.href;
}

test('`node app.js test` runs database tests on a fresh test database and cleans it between tests', () => {
  const env = { ...process.env, DATABASE_URL: ownDatabaseUrl() };
  delete env.NODE_TEST_CONTEXT;
  const res = spawnSync(process.execPath, [appFile, 'test'], { cwd: path.dirname(appFile), encoding: 'utf8', env, timeout: 120_000 });
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /^# pass 3$/m);
  assert.match(res.stdout, /^# fail 0$/m);
});
