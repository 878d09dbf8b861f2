// An app loads only what it uses: require('manouche') alone, the hello app, and an app with models, each in a
// child process that reports which packages ended up in require.cache.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const HEAVY = ['sequelize', '@photostructure/sqlite', 'express', 'express-session', 'passport', 'nunjucks', 'commander', 'busboy', 'light-my-request'];

/** Runs `code` (or an app file with args) in a fresh node; returns the packages it loaded and what it printed. */
function loadedBy(args, cwd = ROOT) {
  const probe = `process.on('exit', () => { const s = new Set(); for (const f of Object.keys(require.cache)) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f); if (m) s.add(m[1]); } require('fs').writeSync(3, JSON.stringify([...s])); });`;
  const res = spawnSync(process.execPath, ['-r', path.join(writeProbe(probe)), ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  assert.equal(res.status, 0, res.stderr);
  return { packages: new Set(JSON.parse(res.output[3])), stdout: res.stdout };
}

let probeFile;
function writeProbe(code) {
  if (!probeFile) {
    probeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-lazy-')), 'probe.js');
    fs.writeFileSync(probeFile, code);
  }
  return probeFile;
}

function appDir(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-lazy-app-'));
  fs.mkdirSync(path.join(dir, 'hello'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'manouche'));
  fs.writeFileSync(path.join(dir, 'hello', 'app.js'), source);
  return dir;
}

test("require('manouche') alone loads none of the heavy packages", () => {
  const { packages } = loadedBy(['-e', "require('manouche')"]);
  for (const name of HEAVY) assert.ok(!packages.has(name), `${name} is loaded`);
});

test("require('manouche') loads the core an app runs at import, not the models, templates, commands or tests", () => {
  const res = spawnSync(process.execPath, ['-e', `require('manouche'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const files = JSON.parse(res.stdout).filter((f) => f.includes(`${path.sep}dist${path.sep}`)).map((f) => path.relative(path.join(ROOT, 'dist'), f));
  for (const file of ['core/conf/configure.js', 'core/urls/router.js', 'core/app.js']) assert.ok(files.includes(file), `${file} is loaded`);
  for (const file of ['core/db/models.js', 'core/db/connection.js', 'core/db/rows.js', 'core/template/engine.js', 'core/http/responses.js',
    'core/management/commands/registry.js', 'core/test/runner.js', 'core/test/client.js']) {
    assert.ok(!files.includes(file), `${file} is loaded`);
  }
});

test('the hello app runs `check` without sequelize, the batteries or a db.sqlite3 file', () => {
  const dir = appDir(`const { configure, route, run } = require('manouche');
configure({ DEBUG: true });
route('', (req) => 'Hello, World!', { name: 'homepage' });
module.exports = run();
`);
  try {
    const { packages, stdout } = loadedBy([path.join(dir, 'hello', 'app.js'), 'check'], dir);
    assert.match(stdout, /System check identified/);
    assert.doesNotMatch(stdout, /migrations/);
    for (const name of ['sequelize', '@photostructure/sqlite', 'express-session', 'passport', 'nunjucks', 'busboy', 'light-my-request']) assert.ok(!packages.has(name), `${name} is loaded`);
    assert.ok(packages.has('express') && packages.has('commander'));
    assert.ok(!fs.existsSync(path.join(dir, 'hello', 'db.sqlite3')), 'no db.sqlite3 was created');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the public names are the same objects, loaded on first read', () => {
  const m = require('manouche');
  const names = Object.keys(m);
  for (const name of ['User', 'Group', 'Permission', 'login', 'logout', 'authenticate', 'loginRequired', 'permissionRequired', 'passport', 'csrfExempt', 'messages', 'admin', 'ModelAdmin', 'DataTypes', 'Model', 'Op', 'model', 'db', 'command', 'BaseCommand', 'callCommand']) {
    assert.ok(names.includes(name), `${name} is exported`);
  }
  const sequelize = require('sequelize');
  assert.equal(m.DataTypes, sequelize.DataTypes);
  assert.equal(m.Model, sequelize.Model);
  assert.equal(m.Op, sequelize.Op);
  assert.equal(m.ModelAdmin, require(path.join(ROOT, 'dist', 'admin')).ModelAdmin);
  assert.equal(m.loginRequired, require(path.join(ROOT, 'dist', 'auth')).loginRequired);
  assert.equal(m.csrfExempt, require(path.join(ROOT, 'dist', 'sessions')).csrfExempt);
  const core = (file) => require(path.join(ROOT, 'dist', 'core', file));
  assert.equal(m.View, core('http/views').View);
  assert.equal(m.Response, core('http/responses').Response);
  assert.equal(m.TemplateDoesNotExist, core('template/engine').TemplateDoesNotExist);
  assert.equal(m.render, core('http/shortcuts').render);
  assert.equal(m.rows, core('db/rows').rows);
  assert.equal(m.BaseCommand, core('management/commands/registry').BaseCommand);
  assert.equal(m.test, core('test/runner').test);
  assert.equal(m.Client, core('test/client').Client);
});

test('an app with a model loads sequelize when the database opens (`migrate`, not `help`), and a command loads only when it runs', () => {
  const dir = appDir(`const { configure, model, DataTypes, run } = require('manouche');
configure({ DEBUG: true, DATABASE_URL: 'sqlite::memory:' });
model('Note', { text: DataTypes.STRING });
module.exports = run();
`);
  try {
    const { packages, stdout } = loadedBy([path.join(dir, 'hello', 'app.js'), 'help', '--commands'], dir);
    assert.ok(!packages.has('sequelize'), 'help loads sequelize');
    assert.match(stdout, /^migrate$/m);
    const migrated = loadedBy([path.join(dir, 'hello', 'app.js'), 'migrate'], dir);
    assert.ok(migrated.packages.has('sequelize'), 'migrate does not load sequelize');
    assert.match(migrated.stdout, /Synchronizing apps without migrations|No migrations to apply/);
    // `help --commands` lists names only: the migration commands' modules (and their code) stay unloaded.
    const files = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(dir, 'hello', 'app.js'))}); process.stdout.write(String(Object.keys(require.cache).filter((f) => /commands.(migrate|shell|dumpdata)\\.js$/.test(f)).length))`], { cwd: dir, encoding: 'utf8' });
    assert.equal(files.stdout.trim(), '0', files.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
