// runserver and serve as processes: banner, request log, reload on change, clean Ctrl-C, port in use, graceful
// shutdown with workers.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { runNode, startNode, freePort } = require('./fixtures/h3-helpers');

const BASIC = path.join(__dirname, 'fixtures', 'h3-basic', 'app.js');
const SERVER = path.join(__dirname, 'fixtures', 'h3-server', 'app.js');
const STARTED = /Starting development server at http:\/\/127\.0\.0\.1:(\d+)\//;

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('runserver prints the Django banner, logs each request and stops cleanly on Ctrl-C', async (t) => {
  const srv = startNode(BASIC, ['runserver', '0', '--noreload']);
  t.after(() => srv.kill());
  const [, port] = await srv.waitFor(STARTED);
  assert.match(srv.output, /Performing system checks\.\.\.\n\nSystem check identified no issues \(0 silenced\)\.\n/);
  assert.match(srv.output, /\n[A-Z][a-z]+ \d{1,2}, \d{4} - \d{2}:\d{2}:\d{2}\n/);
  assert.match(srv.output, /Quit the server with CONTROL-C\./);
  const res = await fetch(`http://127.0.0.1:${port}/items/4/`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id: 4 });
  await srv.waitFor(/\[\d{2}\/[A-Z][a-z]{2}\/\d{4} \d{2}:\d{2}:\d{2}\] "GET \/items\/4\/ HTTP\/1\.1" 200 8\n/);
  await fetch(`http://127.0.0.1:${port}/missing/`);
  await srv.waitFor(/"GET \/missing\/ HTTP\/1\.1" 404 \d+/);
  srv.child.kill('SIGINT');
  const { code } = await srv.exited;
  assert.equal(code, 0);
  assert.doesNotMatch(srv.output, /\n\s+at /, 'no stack on Ctrl-C');
});

test('runserver on a port in use exits 1 with a clear message (with and without the reloader)', async () => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address();
  try {
    for (const extra of [['--noreload'], []]) {
      const res = await runNode(BASIC, ['runserver', String(port), ...extra]);
      assert.equal(res.code, 1, res.stdout + res.stderr);
      assert.match(res.stderr, new RegExp(`Error: That port is already in use \\(127\\.0\\.0\\.1:${port}\\)`));
      assert.doesNotMatch(res.stderr, /\n\s+at /);
    }
  } finally {
    blocker.close();
  }
});

test('runserver refuses an invalid address', async () => {
  const res = await runNode(BASIC, ['runserver', 'nowhere:port']);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /"nowhere:port" is not a valid port number or address:port pair\./);
});

test('runserver refuses to start without ALLOWED_HOSTS when DEBUG is false, as Django does', async () => {
  const res = await runNode(SERVER, ['runserver', '0', '--noreload'], { env: { H3_NO_HOSTS: '1' } });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /You must set ALLOWED_HOSTS in configure\(\) if DEBUG is false/);
  assert.doesNotMatch(res.stdout, /Starting development server/);
});

test('runserver reloads when the app file changes, and Ctrl-C stops parent and child', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-reload-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(dir, 'node_modules', 'manouche'), 'dir');
  const source = (v) => `const { configure, route, run } = require('manouche');
configure({ DEBUG: true, SECRET_KEY: 'reload-test', DATABASE_URL: 'sqlite::memory:' });
route('', () => ({ version: ${v}, pid: process.pid }));
module.exports = run();
`;
  const app = path.join(dir, 'app.js');
  fs.writeFileSync(app, source(1));
  const srv = startNode(app, ['runserver', '0'], { cwd: dir });
  t.after(() => srv.kill());
  await srv.waitFor(/Watching for file changes in /);
  const [, port1] = await srv.waitFor(STARTED);
  const first = await (await fetch(`http://127.0.0.1:${port1}/`)).json();
  assert.equal(first.version, 1);
  assert.notEqual(first.pid, srv.child.pid, 'the server runs in a child process');

  fs.writeFileSync(path.join(dir, 'db.sqlite3'), 'not code');
  fs.writeFileSync(app, source(2));
  await srv.waitFor(/app\.js changed, reloading\./);
  const [, port2] = await srv.waitFor(STARTED);
  const second = await (await fetch(`http://127.0.0.1:${port2}/`)).json();
  assert.equal(second.version, 2);
  assert.notEqual(second.pid, first.pid);
  assert.doesNotMatch(srv.output, /db\.sqlite3 changed/);

  // A mistake in the file stops the child; the reloader waits for the fix instead of exiting.
  fs.writeFileSync(app, 'this is not javascript(');
  await srv.waitFor(/The server stopped \(exit code 1\)\. Waiting for a file change to restart it\./);
  fs.writeFileSync(app, source(3));
  const [, port3] = await srv.waitFor(STARTED);
  const third = await (await fetch(`http://127.0.0.1:${port3}/`)).json();
  assert.equal(third.version, 3);

  srv.child.kill('SIGINT');
  const { code } = await srv.exited;
  assert.equal(code, 0);
  assert.equal(alive(third.pid), false, 'the child server stopped too');
  assert.doesNotMatch(srv.output.slice(srv.output.lastIndexOf('Starting development server')), /\n\s+at /, 'no stack on Ctrl-C');
});

test('runserver reloads into a standby that loaded the packages, not the app; a JSON change starts afresh', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-standby-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(dir, 'node_modules', 'manouche'), 'dir');
  // Each run of the app file logs its pid, whether express was in the process before the app asked for it, and
  // whether it runs as the main module (what `require.main === module` code relies on).
  const source = (v) => `const preloaded = Object.keys(require.cache).some((f) => f.includes('/node_modules/express/'));
require('node:fs').appendFileSync(__dirname + '/runs.log', JSON.stringify({ v: ${v}, pid: process.pid, preloaded, main: require.main === module }) + '\\n');
const { configure, route, run } = require('manouche');
configure({ DEBUG: true, SECRET_KEY: 'standby-test', DATABASE_URL: 'sqlite::memory:' });
route('', () => ({ version: ${v}, pid: process.pid, settings: require('./settings.json').name }));
module.exports = run();
`;
  const runs = () => fs.readFileSync(path.join(dir, 'runs.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const app = path.join(dir, 'app.js');
  fs.writeFileSync(path.join(dir, 'settings.json'), '{ "name": "one" }');
  fs.writeFileSync(app, source(1));
  const srv = startNode(app, ['runserver', '0'], { cwd: dir });
  t.after(() => srv.kill());
  const [, port1] = await srv.waitFor(STARTED);
  const first = await (await fetch(`http://127.0.0.1:${port1}/`)).json();
  assert.equal(first.version, 1);
  await new Promise((r) => setTimeout(r, 1500)); // the standby starts and loads the packages meanwhile
  assert.deepEqual(runs().map((r) => r.v), [1, 1], 'the reloader and the server ran the app; the standby did not');

  fs.writeFileSync(app, source(2));
  const [, port2] = await srv.waitFor(STARTED);
  const second = await (await fetch(`http://127.0.0.1:${port2}/`)).json();
  assert.equal(second.version, 2);
  const reloaded = runs()[2];
  assert.deepEqual({ ...reloaded, pid: undefined }, { v: 2, pid: undefined, preloaded: true, main: true });
  assert.equal(reloaded.pid, second.pid);

  // settings.json may be read by a package as it loads: a JSON change restarts in a fresh process.
  await new Promise((r) => setTimeout(r, 1500));
  fs.writeFileSync(path.join(dir, 'settings.json'), '{ "name": "two" }');
  await srv.waitFor(/settings\.json changed, reloading\./);
  const [, port3] = await srv.waitFor(STARTED);
  const third = await (await fetch(`http://127.0.0.1:${port3}/`)).json();
  assert.equal(third.settings, 'two');
  assert.deepEqual({ ...runs()[3], pid: undefined }, { v: 2, pid: undefined, preloaded: false, main: true });

  srv.child.kill('SIGINT');
  assert.equal((await srv.exited).code, 0);
  await new Promise((r) => setTimeout(r, 200));
  const leftovers = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir); } catch { return false; }
  });
  assert.deepEqual(leftovers, [], 'no server or standby process is left');
});

test('runserver starts afresh when a package loads one of the app\'s files as it loads (a config file)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-standby-config-'));
  fs.mkdirSync(path.join(dir, 'node_modules', 'app-config'), { recursive: true });
  fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(dir, 'node_modules', 'manouche'), 'dir');
  // Like node-config: the package reads the app's config.js once, when it is first required.
  fs.writeFileSync(path.join(dir, 'node_modules', 'app-config', 'index.js'), "module.exports = require(require('path').join(process.cwd(), 'config.js'));\n");
  fs.writeFileSync(path.join(dir, 'config.js'), "module.exports = { greeting: 'one' };\n");
  const app = path.join(dir, 'app.js');
  fs.writeFileSync(app, `const { configure, route, run } = require('manouche');
const config = require('app-config');
configure({ DEBUG: true, SECRET_KEY: 'standby-config-test', DATABASE_URL: 'sqlite::memory:' });
route('', () => ({ greeting: config.greeting }));
module.exports = run();
`);
  const srv = startNode(app, ['runserver', '0'], { cwd: dir });
  t.after(() => srv.kill());
  const [, port1] = await srv.waitFor(STARTED);
  assert.deepEqual(await (await fetch(`http://127.0.0.1:${port1}/`)).json(), { greeting: 'one' });
  await new Promise((r) => setTimeout(r, 1500)); // a standby would have loaded app-config, and config.js with it
  fs.writeFileSync(path.join(dir, 'config.js'), "module.exports = { greeting: 'two' };\n");
  const [, port2] = await srv.waitFor(STARTED);
  assert.deepEqual(await (await fetch(`http://127.0.0.1:${port2}/`)).json(), { greeting: 'two' });
  srv.child.kill('SIGINT');
  assert.equal((await srv.exited).code, 0);
});

async function startServe(t, args) {
  const port = await freePort();
  const srv = startNode(SERVER, ['serve', '--port', String(port), ...args]);
  t.after(() => srv.kill());
  return { port, srv };
}

test('serve: SIGTERM during a request lets it finish with 200, then exits 0', async (t) => {
  const { port, srv } = await startServe(t, []);
  await srv.waitFor(new RegExp(`Serving at http://127\\.0\\.0\\.1:${port}/ \\(pid \\d+\\)`));
  const fast = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(fast.status, 200);
  assert.doesNotMatch(srv.output, /"GET \/ HTTP/, 'no access log unless asked');
  const pending = fetch(`http://127.0.0.1:${port}/slow/`);
  await srv.waitFor(/slow request started/);
  srv.child.kill('SIGTERM');
  const res = await pending;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { finished: true });
  const { code } = await srv.exited;
  assert.equal(code, 0, srv.output);
  assert.match(srv.output, /Received SIGTERM: finishing requests in progress, then stopping\./);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'no longer accepting connections');
});

test('serve --workers 2: two worker processes share the port, a dead one is replaced, and they shut down gracefully', async (t) => {
  const { port, srv } = await startServe(t, ['--workers', '2', '--access-log']);
  const [, w1] = await srv.waitFor(/Worker (\d+) listening\./);
  const [, w2] = await srv.waitFor(/Worker (\d+) listening\./);
  assert.notEqual(w1, w2);
  const { pid } = await (await fetch(`http://127.0.0.1:${port}/`)).json();
  assert.ok([w1, w2].includes(String(pid)), 'a worker answered, not the primary');
  await srv.waitFor(/"GET \/ HTTP\/1\.1" 200 \d+/);
  const { dying } = await (await fetch(`http://127.0.0.1:${port}/die/`)).json();
  await srv.waitFor(new RegExp(`Worker ${dying} died \\(exit code 3\\); starting a new one\\.`));
  const [, w3] = await srv.waitFor(/Worker (\d+) listening\./);
  const workers = [w1, w2, w3].filter((w) => w !== String(dying));
  assert.equal(workers.length, 2);
  const pending = fetch(`http://127.0.0.1:${port}/slow/`);
  await srv.waitFor(/slow request started/);
  srv.child.kill('SIGTERM');
  const res = await pending;
  assert.equal(res.status, 200);
  const { code } = await srv.exited;
  assert.equal(code, 0, srv.output);
  assert.equal(workers.some((w) => alive(Number(w))), false, 'workers stopped');
});

test('serve rejects a bad --workers value and a port in use', async () => {
  const bad = await runNode(SERVER, ['serve', '--workers', 'many']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--workers must be a whole number from 1/);
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  try {
    for (const extra of [[], ['--workers', '2']]) {
      const res = await runNode(SERVER, ['serve', '--port', String(blocker.address().port), ...extra]);
      assert.equal(res.code, 1, res.stdout + res.stderr);
      assert.match(res.stderr, /That port is already in use/);
    }
  } finally {
    blocker.close();
  }
});

/** A copy of a fixture app in a temporary folder, with manouche installed as a symlink (as after npm install). */
function copyApp(fixture) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-h3-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(dir, 'node_modules', 'manouche'), 'dir');
  fs.copyFileSync(path.join(__dirname, 'fixtures', fixture, 'app.js'), path.join(dir, 'app.js'));
  return { dir, app: path.join(dir, 'app.js') };
}

test('runserver warns about unapplied migrations; dev migrates, creates admin once, then serves', async (t) => {
  const { dir, app } = copyApp('h3-dev');
  const env = { DATABASE_URL: undefined };

  const before = startNode(app, ['runserver', '0', '--noreload'], { cwd: dir, env });
  t.after(() => before.kill());
  await before.waitFor(STARTED);
  assert.match(before.output, /You have \d+ unapplied migration\(s\)\. Your project may not work properly until you apply the migrations for app\(s\): admin, auth, sessions\.\nRun 'node app\.js migrate' to apply them\./);
  before.child.kill('SIGINT');
  assert.equal((await before.exited).code, 0);

  const dev = startNode(app, ['dev', '0', '--noreload'], { cwd: dir, env });
  t.after(() => dev.kill());
  const [, password] = await dev.waitFor(/Superuser created\.\n  username: admin\n  password: (\S+)\n/);
  // Letters and digits only (Django's alphabet without look-alikes): never a leading '-' that a command line reads as an option.
  assert.match(password, /^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  const [, port] = await dev.waitFor(STARTED);
  assert.ok(fs.existsSync(path.join(dir, 'migrations', '0001_initial.js')), 'makemigrations wrote the app\'s migration');
  assert.doesNotMatch(dev.output, /unapplied migration/);
  const page = await fetch(`http://127.0.0.1:${port}/admin/login/`);
  assert.equal(page.status, 200);
  dev.child.kill('SIGINT');
  assert.equal((await dev.exited).code, 0);

  assert.equal((await runNode(app, ['can-login', 'admin', password], { cwd: dir, env })).code, 0, 'the printed password works');
  assert.equal((await runNode(app, ['can-login', 'admin', 'wrong-password'], { cwd: dir, env })).code, 1);

  const again = startNode(app, ['dev', '0', '--noreload'], { cwd: dir, env });
  t.after(() => again.kill());
  await again.waitFor(STARTED);
  assert.doesNotMatch(again.output, /Superuser created/, 'only when no superuser exists');
  again.child.kill('SIGINT');
  assert.equal((await again.exited).code, 0);
});

test('dev without the auth battery skips the superuser step and serves', async (t) => {
  const { dir, app } = copyApp('h3-basic');
  const dev = startNode(app, ['dev', '0', '--noreload'], { cwd: dir });
  t.after(() => dev.kill());
  const [, port] = await dev.waitFor(STARTED);
  assert.match(dev.output, /No changes detected/);
  assert.doesNotMatch(dev.output, /Superuser|superuser/);
  assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
  dev.child.kill('SIGINT');
  assert.equal((await dev.exited).code, 0);
});
