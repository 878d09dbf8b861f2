// Commands from code: the registry (command(), BaseCommand, registerCommand), callCommand(), check, routes, startapp.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { configure, command, BaseCommand, CommandError, route, registerCheck, View } = require('manouche');
const { registerCommand, callCommand, getCommand, allCommands, buildParser } = require('../../dist/core/management/commands/registry.js');
const { parseAddrPort } = require('../../dist/core/management/servers.js');
const { isWatchedFile } = require('../../dist/core/management/autoreload.js');
const { runNode, startNode } = require('./fixtures/h3-helpers');

configure({ DEBUG: true, SECRET_KEY: 'commands-test-secret', DATABASE_URL: 'sqlite::memory:' });

/** A context that captures what a command writes. */
function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    ctx: { stdout: { write: (s) => { out.stdout += s; } }, stderr: { write: (s) => { out.stderr += s; } }, isTTY: false },
  };
}

test('command(name, fn, opts) registers under the app label and returns fn', async () => {
  const fn = (cmd, options, who) => { cmd.stdout.write(`hi ${who} ${options.times}\n`); };
  const returned = command('greet', fn, { help: 'Greets.', addArguments: (p) => { p.argument('<who>'); p.option('--times <n>', 'how many', '1'); } });
  assert.equal(returned, fn);
  assert.equal(getCommand('greet').app, 'core');
  assert.equal(getCommand('greet').help, 'Greets.');
  const { ctx, out } = capture();
  assert.equal(await callCommand('greet', ['Ada', '--times', '2'], ctx), 0);
  assert.equal(out.stdout, 'hi Ada 2\n');
});

test('command(name, opts) is a decorator-style registrar; command(fn) is named from the function', async () => {
  const deco = command('deco-cmd', { help: 'Decorated.' });
  const fn = (cmd) => { cmd.stdout.write('decorated\n'); return 5; };
  assert.equal(deco(fn), fn);
  function printGoodbye(cmd) { cmd.stdout.write('bye\n'); }
  command(printGoodbye);
  function clear_cache() {}
  command(clear_cache);
  assert.ok(getCommand('print-goodbye'));
  assert.ok(getCommand('clear-cache'));
  const { ctx, out } = capture();
  assert.equal(await callCommand('deco-cmd', [], ctx), 5, 'a returned number is the exit code');
  assert.equal(out.stdout, 'decorated\n');
});

test('command(Class) names a BaseCommand subclass from its class and runs addArguments/handle', async () => {
  class PrintHelloCommand extends BaseCommand {
    static help = 'Prints hello.';
    addArguments(parser) { parser.option('--name <name>', 'who', 'Node'); }
    handle(options) { this.stdout.write(`Hello, ${options.name}!\n`); this.stderr.write(this.style.success('ok')); }
  }
  assert.equal(command(PrintHelloCommand), PrintHelloCommand);
  const spec = getCommand('print-hello');
  assert.equal(spec.help, 'Prints hello.');
  const { ctx, out } = capture();
  assert.equal(await callCommand('print-hello', ['--name', 'Django'], ctx), 0);
  assert.equal(out.stdout, 'Hello, Django!\n');
  assert.equal(out.stderr, 'ok', 'no color on a stream that is not a TTY, whatever FORCE_COLOR says');
  class HTTPStatusCommand extends BaseCommand { handle() {} }
  command(HTTPStatusCommand);
  assert.ok(getCommand('http-status'));
});

test('registering a name twice throws E_DUPLICATE_COMMAND', () => {
  command('once', () => {});
  assert.throws(() => command('once', () => {}), (err) => err.code === 'E_DUPLICATE_COMMAND' && /"once" is already registered/.test(err.message));
  assert.throws(() => registerCommand({ name: 'check', app: 'x', help: '', handle() {} }), { code: 'E_DUPLICATE_COMMAND' });
});

test('callCommand: a CommandError is reported on stderr with its code; an unknown name throws CommandError', async () => {
  command('refuse', () => { throw new CommandError('No way.', 2); });
  const { ctx, out } = capture();
  assert.equal(await callCommand('refuse', [], ctx), 2);
  assert.equal(out.stderr, 'CommandError: No way.\n');
  await assert.rejects(callCommand('nope-not-here'), CommandError);
  const bad = capture();
  assert.equal(await callCommand('greet', ['Ada', '--nope'], bad.ctx), 1);
  assert.match(bad.out.stderr, /unknown option '--nope'/);
});

test('BaseCommand without handle() fails with a message naming the class', async () => {
  class EmptyCommand extends BaseCommand {}
  command(EmptyCommand);
  const { ctx, out } = capture();
  assert.equal(await callCommand('empty', [], ctx), 1);
  assert.match(out.stderr, /EmptyCommand must implement handle/);
});

test('check prints Django-style lines and exits 1 only on errors', async () => {
  let mode = 'none';
  registerCheck(() => {
    if (mode === 'warning') return [{ level: 'warning', id: 'core.W001', msg: 'Something is odd.', hint: 'Fix it.' }];
    if (mode === 'error') return [{ level: 'error', id: 'core.E001', msg: 'Something is broken.', obj: 'core.Post' }];
    return [];
  });
  let c = capture();
  assert.equal(await callCommand('check', [], c.ctx), 0);
  assert.equal(c.out.stdout, 'System check identified no issues (0 silenced).\n');
  mode = 'warning';
  c = capture();
  assert.equal(await callCommand('check', [], c.ctx), 0);
  assert.match(c.out.stdout, /WARNINGS:\n\?: \(core\.W001\) Something is odd\.\n\tHINT: Fix it\.\n\nSystem check identified 1 issue \(0 silenced\)\.\n$/);
  c = capture();
  assert.equal(await callCommand('check', ['--fail-level', 'warning'], c.ctx), 1);
  mode = 'error';
  c = capture();
  assert.equal(await callCommand('check', [], c.ctx), 1);
  assert.match(c.out.stderr, /ERRORS:\ncore\.Post: \(core\.E001\) Something is broken\./);
  mode = 'none';
  c = capture();
  assert.equal(await callCommand('check', ['--deploy'], c.ctx), 0, 'deploy warnings are not errors');
  assert.match(c.out.stdout, /\?: \(security\.W018\) You should not have DEBUG set to true in deployment\./);
  assert.match(c.out.stdout, /System check identified \d+ issues \(0 silenced\)\./);
});

test('routes lists every pattern with its name and view', async () => {
  route('', function homepage() { return 'home'; }, { name: 'homepage' });
  route('posts/<int:id>/', function postDetail() { return {}; }, { name: 'post-detail', methods: ['GET', 'POST'] });
  route('archive/', class Archive extends View { get() { return 'a'; } });
  const { ctx, out } = capture();
  assert.equal(await callCommand('routes', [], ctx), 0);
  const lines = out.stdout.trim().split('\n');
  assert.match(lines[0], /^URL\s+NAME\s+VIEW$/);
  assert.match(out.stdout, /^\/\s+homepage\s+homepage$/m);
  assert.match(out.stdout, /^\/posts\/<int:id>\/\s+post-detail\s+postDetail\s+\[GET, POST\]$/m);
  assert.match(out.stdout, /^\/archive\/\s+Archive \(View\)$/m);
  const json = capture();
  await callCommand('routes', ['--json'], json.ctx);
  assert.deepEqual(JSON.parse(json.out.stdout)[0], { url: '/', name: 'homepage', view: 'homepage', methods: [] });
});

test('startapp writes name/app.js and refuses an existing folder or an invalid name', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-startapp-'));
  const { ctx, out } = capture();
  assert.equal(await callCommand('startapp', ['shop', dir], ctx), 0);
  const source = fs.readFileSync(path.join(dir, 'shop', 'app.js'), 'utf8');
  assert.match(source, /require\('manouche'\)/);
  assert.match(source, /module\.exports = run\(\);/);
  assert.match(out.stdout, /Created .*shop\/app\.js/);
  const again = capture();
  assert.equal(await callCommand('startapp', ['shop', dir], again.ctx), 1);
  assert.match(again.out.stderr, /already exists/);
  const bad = capture();
  assert.equal(await callCommand('startapp', ['1-bad name', dir], bad.ctx), 1);
  assert.match(bad.out.stderr, /is not a valid app name/);
  assert.ok(!fs.existsSync(path.join(dir, '1-bad name')));
});

test('npx manouche startapp: the generated app has the admin on and runs its own tests', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-starter-'));
  // As after `npm install manouche`: the package is found in node_modules.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(dir, 'node_modules', 'manouche'), 'dir');
  const bin = path.join(__dirname, '..', '..', 'dist', 'bin.js');
  const made = await runNode(bin, ['startapp', 'blog'], { cwd: dir });
  assert.equal(made.code, 0, made.stderr);
  const res = await runNode(path.join(dir, 'blog', 'app.js'), ['test'], { cwd: path.join(dir, 'blog') });
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /# pass 3/);
  assert.match(res.stdout, /# fail 0/);
  const routes = await runNode(path.join(dir, 'blog', 'app.js'), ['routes'], { cwd: path.join(dir, 'blog') });
  assert.match(routes.stdout, /\/api\/items\/\s+api-items/);
  assert.match(routes.stdout, /^\/admin\//m);
  const dev = startNode(path.join(dir, 'blog', 'app.js'), ['dev', '0', '--noreload'], { cwd: path.join(dir, 'blog') });
  t.after(() => dev.kill());
  await dev.waitFor(/password: \S+\n/);
  const [, port] = await dev.waitFor(/Starting development server at http:\/\/127\.0\.0\.1:(\d+)\//);
  assert.equal((await fetch(`http://127.0.0.1:${port}/admin/login/`)).status, 200);
  assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200, 'the home page queries the migrated table');
  assert.equal(dev.output.match(/password: /g).length, 1, 'the password is printed once');
  assert.ok(fs.existsSync(path.join(dir, 'blog', 'migrations', '0001_initial.js')));
  dev.child.kill('SIGINT');
  assert.equal((await dev.exited).code, 0);
});

test('every core command is registered and listed', () => {
  const names = allCommands().map((c) => c.name);
  for (const name of ['help', 'runserver', 'serve', 'routes', 'check', 'startapp', 'dev']) assert.ok(names.includes(name), name);
  assert.ok(allCommands().filter((c) => ['runserver', 'check'].includes(c.name)).every((c) => c.app === 'manouche'));
});

test('runserver addresses parse like Django\'s', () => {
  assert.deepEqual(parseAddrPort(undefined), { host: '127.0.0.1', port: 8000 });
  assert.deepEqual(parseAddrPort('9000'), { host: '127.0.0.1', port: 9000 });
  assert.deepEqual(parseAddrPort('0:9000'), { host: '0.0.0.0', port: 9000 });
  assert.deepEqual(parseAddrPort('0.0.0.0:8001'), { host: '0.0.0.0', port: 8001 });
  assert.deepEqual(parseAddrPort('[::1]:8002'), { host: '::1', port: 8002 });
  assert.deepEqual(parseAddrPort('localhost:8003'), { host: 'localhost', port: 8003 });
  assert.deepEqual(parseAddrPort('8004', { host: '::1', port: 8000 }), { host: '::1', port: 8004 }, '--ipv6 changes the default host');
  for (const bad of ['abc:xyz', '8000000', '1.2.3.4:', ':']) {
    assert.throws(() => parseAddrPort(bad), (err) => err instanceof CommandError && /is not a valid port number or address:port pair/.test(err.message), bad);
  }
});

test('the reloader watches code, templates and JSON, not the database, media or node_modules', () => {
  for (const f of ['app.js', 'tests.js', 'lib/x.ts', 'templates/index.html', 'fixtures/data.json', 'migrations/0001_initial.js']) assert.ok(isWatchedFile(f), f);
  for (const f of ['db.sqlite3', 'db.sqlite3-journal', 'db.sqlite3-wal', 'node_modules/x/index.js', 'media/a.json', 'static/style.css', 'uploads/x.js']) {
    assert.equal(isWatchedFile(f, ['uploads']), false, f);
  }
});

test('serve --workers takes a count or auto (one per CPU); anything else is refused', () => {
  const parse = (argv) => {
    const { ctx, out } = capture();
    const parser = buildParser(getCommand('serve'), { ...ctx, style: { error: (s) => s } }, 'node app.js');
    try { parser.parse(argv, { from: 'user' }); } catch (err) { return { error: out.stderr, code: err.exitCode }; }
    return parser.opts();
  };
  assert.equal(parse(['--workers', 'auto']).workers, os.availableParallelism());
  assert.equal(parse(['--workers', '3']).workers, 3);
  assert.equal(parse([]).workers, 1);
  const bad = parse(['--workers', '0']);
  assert.equal(bad.code, 1);
  assert.match(bad.error, /--workers must be a whole number from 1 up to 65535, or auto\./);
});
