#!/usr/bin/env node
// The test command of the README: the whole suite on SQLite, then the database suites (*.db.test.js) on
// PostgreSQL and MariaDB. Under CI (or MANOUCHE_TEST_DATABASES=all) an unreachable database fails the run.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));

function findTests(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (entry.name !== 'fixtures' && entry.name !== 'node_modules') findTests(full, out); }
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

const all = findTests(path.join(root, 'tests')).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
const dbSuites = all.filter((f) => f.endsWith('.db.test.js'));

const SERVER_DATABASES = {
  postgres: process.env.MANOUCHE_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/manouche',
  mariadb: process.env.MANOUCHE_TEST_MARIADB_URL || 'mariadb://root@127.0.0.1:3306/manouche',
};
const wanted = (process.env.MANOUCHE_TEST_DATABASES || (process.env.CI ? 'all' : 'sqlite'))
  .split(',').map((s) => s.trim()).flatMap((s) => (s === 'all' ? ['sqlite', 'postgres', 'mariadb'] : [s]));

function runSuite(label, files, env) {
  if (files.length === 0) return 0;
  process.stdout.write(`\n=== ${label}: ${files.length} test file(s)\n`);
  const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], {
    cwd: root, stdio: 'inherit', env: { ...process.env, ...env },
  });
  return res.status ?? 1;
}

let failed = 0;
if (wanted.includes('sqlite')) failed |= runSuite('sqlite', all, { DATABASE_URL: '' });
for (const name of ['postgres', 'mariadb']) {
  if (wanted.includes(name)) failed |= runSuite(name, dbSuites, { DATABASE_URL: SERVER_DATABASES[name], MANOUCHE_TEST_DB_VENDOR: name });
}
process.exitCode = failed ? 1 : 0;
