// What a command prints when it fails on something the user can fix: the database's own message, the SQL and a hint
// (the stack only with --traceback), and the switch a battery's command needs.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { runNode } = require('./fixtures/h3-helpers');

const APP = path.join(__dirname, 'fixtures', 'w09-dberror', 'app.js');
const cwd = path.dirname(APP);

test('a database error prints the database\'s message, the SQL and a hint to migrate, without a stack', async () => {
  const res = await runNode(APP, ['count-things'], { cwd });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^Database error: SQLITE_ERROR: no such table: w09_dberror_thing$/m);
  assert.match(res.stderr, /^SQL: SELECT count\(\*\) AS `count` FROM `w09_dberror_thing`/m);
  assert.match(res.stderr, /^Hint: .*run `node app\.js migrate`/m);
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack');
});

test('--traceback adds the stack to the same message', async () => {
  const res = await runNode(APP, ['count-things', '--traceback'], { cwd });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /\n\s+at /);
  assert.match(res.stderr, /^Database error: SQLITE_ERROR: no such table/m);
});

test('a battery\'s command in an app without the battery names the configure() switch', async () => {
  const res = await runNode(APP, ['createsuperuser', '--username', 'ada'], { cwd });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /The 'createsuperuser' command comes with the auth battery.*configure\(\{ auth: true \}\)/);
  assert.doesNotMatch(res.stderr, /Unknown command/);
  const sessions = await runNode(APP, ['clearsessions'], { cwd });
  assert.equal(sessions.code, 1);
  assert.match(sessions.stderr, /configure\(\{ sessions: true \}\)/);
  const unknown = await runNode(APP, ['constructor'], { cwd });
  assert.match(unknown.stderr, /^Unknown command: 'constructor'/);
});

const BAD = path.join(__dirname, 'fixtures', 'w09-badsetting', 'app.js');

test('a bad setting stops `node app.js <command>` with one line naming the setting, exit 1 and no stack', async () => {
  const expected = {
    url: /^ImproperlyConfigured \[E_BAD_SETTING\]: Setting DATABASE_URL is invalid: must start with sqlite:, postgres:\/\/, mysql:\/\/ or mariadb:\/\/ \(got "postgres\/\/oops"\)$/m,
    type: /^ImproperlyConfigured \[E_BAD_SETTING\]: Setting ALLOWED_HOSTS is invalid: must be an array/m,
    switch: /^ImproperlyConfigured \[E_UNKNOWN_SWITCH\]: Unknown switch "admn"/m,
  };
  for (const [name, message] of Object.entries(expected)) {
    const res = await runNode(BAD, ['migrate'], { cwd: path.dirname(BAD), env: { FIXTURE_CASE: name } });
    assert.equal(res.code, 1, name);
    assert.match(res.stderr, message);
    assert.doesNotMatch(res.stderr, /\n\s+at /, `${name}: no stack`);
  }
  const traced = await runNode(BAD, ['migrate', '--traceback'], { cwd: path.dirname(BAD), env: { FIXTURE_CASE: 'url' } });
  assert.equal(traced.code, 1);
  assert.match(traced.stderr, /Setting DATABASE_URL is invalid[\s\S]*\n\s+at /, '--traceback shows where');
});

test('a Node.js older than 20.19 is refused at startup with one line saying what to install, exit 1', async () => {
  const preload = path.join(__dirname, 'fixtures', 'fake-node-version.js');
  const old = await runNode(APP, ['check'], { cwd, env: { NODE_OPTIONS: `--require ${preload}`, FAKE_NODE_VERSION: '20.18.3' } });
  assert.equal(old.code, 1);
  assert.equal(old.stderr, 'manouche needs Node.js 20.19 or later; this is 20.18.3. Install a current Node.js (https://nodejs.org/, or `nvm install 22` with nvm), then run `npm rebuild` in the project.\n');
  const floor = await runNode(APP, ['check'], { cwd, env: { NODE_OPTIONS: `--require ${preload}`, FAKE_NODE_VERSION: '20.19.0' } });
  assert.equal(floor.code, 0, floor.stderr);
  const { nodeVersionProblem } = require('../../dist/core/conf/node-version');
  assert.equal(nodeVersionProblem('22.0.0'), null);
  assert.equal(nodeVersionProblem('21.0.0'), null);
  assert.match(nodeVersionProblem('19.9.0'), /needs Node\.js 20\.19 or later; this is 19\.9\.0/);
});

test('a SQLite driver that cannot load stops the app at its first model() with one line and the command that fixes it', async () => {
  const preload = path.join(__dirname, 'fixtures', 'broken-sqlite-driver.js');
  const res = await runNode(APP, ['count-things'], { cwd, env: { NODE_OPTIONS: `--require ${preload}` } });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^ImproperlyConfigured \[E_DRIVER_BROKEN\]: The SQLite driver \(@photostructure\/sqlite\) cannot be loaded: No native build was found for platform=linux.*\. Run: npm rebuild @photostructure\/sqlite\n$/);
});
