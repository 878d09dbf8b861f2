// The command line as a user meets it: `node app.js [command]` in a child process, its output and exit codes.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { runNode } = require('./fixtures/h3-helpers');

const APP = path.join(__dirname, 'fixtures', 'h3-basic', 'app.js');
const BIN = path.join(__dirname, '..', '..', 'dist', 'bin.js');
const cwd = path.dirname(APP);

test('node app.js alone lists the commands grouped by app, app commands with their help', async () => {
  const res = await runNode(APP, [], { cwd });
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Type 'node app\.js help <command>' for help on a specific command\./);
  assert.match(res.stdout, /\[h3_basic\]\n(?:    .*\n)*    print-hello\s+Says hello\./);
  assert.match(res.stdout, /\[manouche\]\n(?:    .*\n)*    runserver\s/);
  for (const name of ['check', 'dev', 'help', 'routes', 'runserver', 'serve', 'startapp', 'count-to']) {
    assert.match(res.stdout, new RegExp(`^    ${name}\\b`, 'm'), `${name} is listed`);
  }
  assert.ok(res.stdout.indexOf('[h3_basic]') < res.stdout.indexOf('[manouche]'), 'groups are sorted');
});

test('help is the same listing; --commands prints only names', async () => {
  const listing = await runNode(APP, ['help'], { cwd });
  assert.equal(listing.code, 0);
  assert.match(listing.stdout, /Available commands:/);
  const names = await runNode(APP, ['help', '--commands'], { cwd });
  assert.equal(names.code, 0);
  const lines = names.stdout.trim().split('\n');
  assert.ok(lines.includes('print-hello') && lines.includes('runserver'));
  assert.deepEqual(lines, [...lines].sort());
});

test('help <command> shows its usage, arguments and options', async () => {
  const res = await runNode(APP, ['help', 'print-hello'], { cwd });
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Usage: node app\.js print-hello \[options\] \[name\]/);
  assert.match(res.stdout, /Says hello\./);
  assert.match(res.stdout, /--shout\s+say it loudly/);
  const builtin = await runNode(APP, ['help', 'runserver'], { cwd });
  assert.match(builtin.stdout, /Usage: node app\.js runserver \[options\] \[addrport\]/);
  assert.match(builtin.stdout, /--noreload/);
  const viaFlag = await runNode(APP, ['print-hello', '--help'], { cwd });
  assert.equal(viaFlag.code, 0);
  assert.match(viaFlag.stdout, /--shout/);
});

test('an unknown command exits 1 with a did-you-mean', async () => {
  const res = await runNode(APP, ['print-helo'], { cwd });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^Unknown command: 'print-helo'\. Did you mean print-hello\?\nType 'node app\.js help' for usage\.\n$/);
  const migrat = await runNode(APP, ['migrat'], { cwd });
  assert.equal(migrat.code, 1);
  assert.match(migrat.stderr, /^Unknown command: 'migrat'\. Did you mean migrate\?/);
  const far = await runNode(APP, ['zzzzzz'], { cwd });
  assert.equal(far.code, 1);
  assert.match(far.stderr, /Unknown command: 'zzzzzz'\.\n/);
  assert.doesNotMatch(far.stderr, /Did you mean/);
  const helpUnknown = await runNode(APP, ['help', 'routs'], { cwd });
  assert.equal(helpUnknown.code, 1);
  assert.match(helpUnknown.stderr, /Unknown command: 'routs'\. Did you mean routes\?/);
});

test('a bad option or a missing argument exits 1 with a clear message and no stack', async () => {
  const bad = await runNode(APP, ['print-hello', '--loud'], { cwd });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /error: unknown option '--loud'/);
  assert.match(bad.stderr, /run 'node app\.js help print-hello' for usage/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const missing = await runNode(APP, ['count-to'], { cwd });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error: missing required argument 'n'/);
  const extra = await runNode(APP, ['routes', 'extra'], { cwd });
  assert.equal(extra.code, 1);
  assert.match(extra.stderr, /too many arguments/);
});

test('function commands get (cmd, options, ...args) and write through cmd.stdout', async () => {
  const res = await runNode(APP, ['print-hello', 'Ada', '--shout'], { cwd });
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, 'Hello, Ada!\nHELLO\n');
});

test('a class command is named from its class and writes with this.stdout / this.stderr', async () => {
  const res = await runNode(APP, ['count-to', '3'], { cwd });
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, '1\n2\n3\n');
  assert.match(res.stderr, /done/);
});

test('CommandError prints its message without a stack and exits with its returncode', async () => {
  const res = await runNode(APP, ['fail-politely'], { cwd });
  assert.equal(res.code, 3);
  assert.match(res.stderr, /CommandError: Nothing to do here\./);
  assert.doesNotMatch(res.stderr, /\n\s+at /);
});

test('any other error prints its stack and exits 1', async () => {
  const res = await runNode(APP, ['crash'], { cwd });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /TypeError: boom\n\s+at /);
});

test('a returned number is the exit code', async () => {
  assert.equal((await runNode(APP, ['exit-code', '--code', '4'], { cwd })).code, 4);
  assert.equal((await runNode(APP, ['exit-code', '--code', '0'], { cwd })).code, 0);
});

test('prompting outside a terminal is a CommandError, not a hang', async () => {
  const res = await runNode(APP, ['ask'], { cwd, input: 'Ada\n' });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /CommandError: Cannot ask "Name:": stdin is not a terminal/);
});

test('in a terminal, prompt reads a line and hides passwords (backspace works)', async () => {
  // util-linux's `script` gives the command a pseudo-terminal, as a user's shell would.
  const child = spawn('script', ['-qec', `${JSON.stringify(process.execPath)} app.js ask`, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const seen = (text) => new Promise((resolve) => {
    const check = () => { if (out.includes(text)) { child.stdout.off('data', check); resolve(); } };
    child.stdout.on('data', check);
    check();
  });
  child.stdout.on('data', (d) => { out += d; });
  await seen('Name: ');
  child.stdin.write('Ada\r');
  await seen('Password: ');
  child.stdin.write('hunter22\x7fX\r');
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, out);
  assert.match(out, /got Ada and a 8-character secret ending in X/);
  assert.doesNotMatch(out, /hunter/, 'the password is not echoed');
});

// Runs the fixture app in a pseudo-terminal (util-linux `script`), as a user's shell would; resolves with what it printed.
function runInTerminal(args, env) {
  const command = [process.execPath, 'app.js', ...args].map((a) => JSON.stringify(a)).join(' ');
  const childEnv = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stdin.end();
  return new Promise((resolve) => child.on('close', () => resolve(out)));
}

test('stdout in a terminal is colored, except with NO_COLOR', async () => {
  const colored = await runInTerminal(['print-hello', '--shout'], { NO_COLOR: undefined, FORCE_COLOR: undefined });
  assert.match(colored, /\x1b\[32;1mHELLO\x1b\[0m/);
  const plain = await runInTerminal(['print-hello', '--shout'], { NO_COLOR: '1', FORCE_COLOR: undefined });
  assert.match(plain, /^HELLO\r?$/m);
  assert.doesNotMatch(plain, /\x1b\[/);
});

test('stdout through a pipe is never colored, even with FORCE_COLOR (node --test sets it in a terminal)', async () => {
  const piped = await runNode(APP, ['print-hello', '--shout'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  assert.match(piped.stdout, /^HELLO$/m);
  assert.doesNotMatch(piped.stdout, /\x1b\[/, 'a pipe is not a TTY');
});

test('--version prints the package version', async () => {
  const res = await runNode(APP, ['--version'], { cwd });
  assert.equal(res.code, 0);
  assert.equal(res.stdout.trim(), require('../../package.json').version);
});

test('npx manouche: help lists only the commands that need no app file', async () => {
  const res = await runNode(BIN, [], { cwd });
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Usage: npx manouche <command>/);
  assert.match(res.stdout, /^    startapp\b/m);
  assert.doesNotMatch(res.stdout, /runserver/);
  const other = await runNode(BIN, ['runserver'], { cwd });
  assert.equal(other.code, 1);
  assert.match(other.stderr, /Unknown command: 'runserver'\.\nType 'npx manouche help' for usage\./);
  const near = await runNode(BIN, ['startap', 'x'], { cwd });
  assert.equal(near.code, 1);
  assert.match(near.stderr, /Did you mean startapp\?/);
});

test('check and runserver refuse to go on when a system check reports an error', async () => {
  const env = { H3_CHECK_ERROR: '1' };
  const check = await runNode(APP, ['check'], { cwd, env });
  assert.equal(check.code, 1);
  assert.match(check.stderr, /SystemCheckError: System check identified some issues:\n\nERRORS:\n\?: \(h3\.E001\) The fixture was asked to fail its checks\.\n\tHINT: Unset H3_CHECK_ERROR\./);
  const server = await runNode(APP, ['runserver', '0', '--noreload'], { cwd, env });
  assert.equal(server.code, 1);
  assert.match(server.stderr, /\(h3\.E001\)/);
  assert.doesNotMatch(server.stdout, /Starting development server/);
});

test('a closed pipe (node app.js help | head -1) is not an error', async () => {
  const child = spawn(process.execPath, [APP, 'help'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader goes away before the command writes
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event/);
  assert.equal(code, 0);
});
