// `node app.js test`: test() registrations, tests.js and tests/**, the lifecycle hooks, the TAP summary, exit codes.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const fixture = path.join(__dirname, 'fixtures', 'h2-runner');
const appFile = path.join(fixture, 'app.js');

/** Runs `node app.js test [...args]` in the fixture; returns the process result and the lifecycle log. */
function runFixture(args = [], env = {}, nodeArgs = []) {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'h2-runner-')), 'log');
  const childEnv = { ...process.env, H2_LOG: logFile, ...env };
  delete childEnv.NODE_TEST_CONTEXT; // we run under `node --test`: the fixture must not think it is one of its children
  const res = spawnSync(process.execPath, [...nodeArgs, appFile, 'test', ...args], { cwd: fixture, encoding: 'utf8', env: childEnv, timeout: 60_000 });
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n') : [];
  return { ...res, log, all: `${res.stdout}\n${res.stderr}` };
}

test('`node app.js test` runs the file\'s tests, tests.js and tests/**/*.test.{js,mjs}, prints the TAP summary, exits 0', () => {
  const res = runFixture();
  assert.equal(res.status, 0, res.all);
  assert.match(res.stdout, /^# pass 8$/m);
  assert.match(res.stdout, /^# fail 0$/m);
  for (const name of ['db: a test writes a row', 'db: the next test sees a clean database', 'app: the client reaches a route, without a database', 'app: each test gets a fresh client and the database',
    'tests.js: registered with manouche test()', 'esm: loaded as a module, with the Client', 'unit: node:test directly', 'inner works']) {
    assert.match(res.stdout, new RegExp(`^\\s*ok \\d+ - ${name.replace(/[()]/g, '\\$&')}$`, 'm'));
  }
});

test('the lifecycle hooks wrap the run and every test; { db: false } tests are told so', () => {
  const { log, all, status } = runFixture();
  assert.equal(status, 0, all);
  assert.equal(log[0], 'beforeAll');
  assert.equal(log.at(-1), 'afterAll');
  const around = (run) => log.slice(log.indexOf(run) - 1, log.indexOf(run) + 2);
  assert.deepEqual(around('run app: no db'), ['beforeEach db=false', 'run app: no db', 'afterEach db=false']);
  assert.deepEqual(around('run app: db'), ['beforeEach db=true', 'run app: db', 'afterEach db=true']);
  assert.deepEqual(around('run unit: inner'), ['beforeEach db=true', 'run unit: inner', 'afterEach db=true']);
  assert.equal(log.filter((l) => l === 'beforeAll').length, 1);
});

test('a failing test makes the summary say so and the exit code non-zero', () => {
  const res = runFixture([], { H2_FAIL: '1' });
  assert.equal(res.status, 1, res.all);
  assert.match(res.stdout, /^not ok \d+ - app: fails on purpose$/m);
  assert.match(res.stdout, /^# pass 8$/m);
  assert.match(res.stdout, /^# fail 1$/m);
});

test('a test file that fails to load is reported as a failing test, and the other tests still run', () => {
  const res = runFixture([], { H2_BROKEN: '1' });
  assert.equal(res.status, 1, res.all);
  assert.match(res.stdout, /^not ok \d+ - loading tests\/broken\.test\.js$/m);
  assert.match(res.stdout, /broken on purpose/);
  assert.match(res.stdout, /^# pass 8$/m);
  assert.match(res.stdout, /^# fail 1$/m);
});

test('skip and timeout options go to node:test: a skipped test does not run, a slow one fails', () => {
  const res = runFixture(['app:'], { H2_OPTIONS: '1' });
  assert.equal(res.status, 1, res.all);
  assert.match(res.stdout, /^ok \d+ - app: skipped with a reason # SKIP not today$/m);
  assert.match(res.stdout, /^not ok \d+ - app: too slow for its timeout$/m);
  assert.match(res.stdout, /timed out after 50ms/);
  assert.match(res.stdout, /^# skipped 1$/m);
  assert.ok(!res.log.includes('run skipped'));
});

test('a pattern keeps only the tests whose name (or suite name) contains it', () => {
  const unit = runFixture(['unit']);
  assert.equal(unit.status, 0, unit.all);
  assert.match(unit.stdout, /^# pass 2$/m);
  assert.ok(unit.log.includes('run unit: inner'), unit.log.join('\n'));
  assert.ok(!unit.log.includes('run app: db'));
  const one = runFixture(['fresh client']);
  assert.match(one.stdout, /^# pass 1$/m);
  assert.deepEqual(one.log, ['beforeAll', 'beforeEach db=true', 'run app: db', 'afterEach db=true', 'afterAll']);
});

test('when every selected test says { db: false }, no test database is set up', () => {
  const res = runFixture(['without a database']);
  assert.equal(res.status, 0, res.all);
  assert.match(res.stdout, /^# pass 1$/m);
  assert.deepEqual(res.log, ['beforeEach db=false', 'run app: no db', 'afterEach db=false']);
});

test('the summary lines are printed when stdout is a terminal too', () => {
  const res = runFixture(['tests.js'], {}, ['-r', path.join(fixture, 'fake-tty.js')]);
  assert.equal(res.status, 0, res.all);
  assert.match(res.stdout, /^# pass 1$/m);
  assert.match(res.stdout, /^# fail 0$/m);
});

test('a handle left open by a test does not keep the process (and its report) waiting forever', () => {
  const res = runFixture(['timer'], { H2_LINGER: '1' });
  assert.equal(res.status, 0, res.all);
  assert.match(res.stdout, /^# pass 1$/m);
  assert.match(res.stderr, /kept the process alive/);
});

test('test() registers without running: importing the app (or runserver) runs nothing', async () => {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'h2-import-')), 'log');
  process.env.H2_LOG = logFile;
  try {
    require(appFile);
    const { registeredTests } = require('../../dist/core/test/runner');
    assert.deepEqual(registeredTests().map((t) => t.name), ['app: the client reaches a route, without a database',
      'app: each test gets a fresh client and the database', 'db: a test writes a row', 'db: the next test sees a clean database']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fs.existsSync(logFile), false);
  } finally {
    delete process.env.H2_LOG;
  }
});

test('test() refuses a missing name or function with a message showing the call', () => {
  const { test: register } = require('manouche');
  assert.throws(() => register('', () => {}), /test\(name, fn\) needs a name/);
  assert.throws(() => register('no function'), /test\('no function', fn\) needs a function/);
});

test('the test command refuses to run outside a test run, so that tests never touch DATABASE_URL', async () => {
  require(appFile); // configure() has run in this process, not as `node app.js test`
  const { callCommand } = require('../../dist/core/management/commands/registry');
  let stderr = '';
  const code = await callCommand('test', [], { stderr: { write: (s) => { stderr += s; } } });
  assert.equal(code, 1);
  assert.match(stderr, /Tests must run as `node app\.js test`.*never touch DATABASE_URL/);
});

test('an ES module app file runs its tests the same way: `node app.mjs test`', () => {
  const file = path.join(__dirname, 'fixtures', 'h2-esm', 'app.mjs');
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const res = spawnSync(process.execPath, [file, 'test'], { cwd: path.dirname(file), encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /^ok 1 - esm app: the client reaches the route$/m);
  assert.match(res.stdout, /^# pass 1$/m);
});

test('importing manouche loads neither nunjucks nor light-my-request: a server or a JSON app starts without them', () => {
  const script = "require('manouche'); process.stdout.write(String(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](nunjucks|light-my-request)[\\\\/]/.test(f)).length))";
  const res = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8', timeout: 60_000 });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim(), '0');
});
