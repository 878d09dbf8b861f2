// The migrations manouche ships (sessions, auth, admin, api) match the models they create: no app is ever told to
// run makemigrations for the framework (a missing onUpdate on admin's LogEntry once did just that).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const APP = path.join(__dirname, 'fixtures', 'framework_apps', 'app.js');

for (const label of ['sessions', 'auth', 'admin', 'api']) {
  test(`makemigrations ${label} --check finds the shipped migrations complete`, () => {
    const res = spawnSync(process.execPath, [APP, 'makemigrations', label, '--check', '--dry-run'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.match(res.stdout, new RegExp(`No changes detected in app '${label}'`));
  });
}
