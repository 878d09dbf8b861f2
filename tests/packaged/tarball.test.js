// The package as published: `npm pack`, installed into a folder outside the repository, runs an admin app there.
// manouche's own files come only from the tarball; its declared dependencies are linked from the repository's
// node_modules (no network), and nothing else is, so an undeclared dependency or a file missing from `files` fails here.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runNode, startNode } = require('../core/fixtures/h3-helpers');

const ROOT = path.join(__dirname, '..', '..');
const STARTED = /Starting development server at http:\/\/127\.0\.0\.1:(\d+)\//;
let project; // the user's folder: package.json, app.js, and a core/ folder of their own
let installed; // project/node_modules/manouche, unpacked from the tarball
let files; // every path in the tarball, relative to the package folder

const APP = `const { configure, model, admin, DataTypes, run } = require('manouche');
configure({ DEBUG: true, admin: true });
const Note = model('Note', { title: { type: DataTypes.STRING, allowNull: false } });
admin.register(Note);
module.exports = run();
`;

before(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-packaged-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' });
  const [packed] = JSON.parse(out);
  files = packed.files.map((f) => f.path);
  installed = path.join(project, 'node_modules', 'manouche');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(project, packed.filename), '-C', installed, '--strip-components=1']);
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies)) {
    const link = path.join(project, 'node_modules', dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), link, 'dir');
  }
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'notes', version: '9.9.9', private: true }));
  fs.mkdirSync(path.join(project, 'core'));
  fs.writeFileSync(path.join(project, 'core', 'README.md'), 'The user\'s own core/ folder: manouche must not take it for its own.\n');
  fs.mkdirSync(path.join(project, 'notes'));
  fs.writeFileSync(path.join(project, 'notes', 'app.js'), APP);
});

after(() => fs.rmSync(project, { recursive: true, force: true }));

test('the tarball ships a LICENSE, every battery\'s files, and no source map or install script', () => {
  assert.ok(files.includes('LICENSE'));
  for (const needed of ['dist/index.js', 'dist/index.mjs', 'dist/bin.js', 'admin/templates/admin/login.html', 'admin/static/admin/admin.css',
    'admin/locale/en.json', 'admin/static/admin/jsi18n.js',
    'auth/templates/registration/login.html', 'auth/data/common-passwords.txt.gz',
    'sessions/migrations/0001_initial.js', 'auth/migrations/0001_initial.js', 'admin/migrations/0001_initial.js']) {
    assert.ok(files.includes(needed), `${needed} is in the tarball`);
  }
  assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
  assert.deepEqual(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), [], 'sources stay in the repository');
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  for (const hook of ['prepare', 'preinstall', 'install', 'postinstall']) assert.equal(pkg.scripts?.[hook], undefined, `no ${hook} script`);
  for (const optional of ['pg', 'pg-hstore', 'mysql2', 'redis', 'connect-redis']) {
    assert.equal(pkg.dependencies[optional], undefined, `${optional} is not a dependency`);
    assert.equal(pkg.peerDependenciesMeta?.[optional]?.optional, true, `${optional} is an optional peer dependency`);
  }
});

test('showmigrations and migrate find the batteries\' migrations, from another working directory', async () => {
  const app = path.join(project, 'notes', 'app.js');
  const shown = await runNode(app, ['showmigrations'], { cwd: os.tmpdir() });
  assert.equal(shown.code, 0, shown.stderr);
  for (const label of ['sessions', 'auth', 'admin']) assert.match(shown.stdout, new RegExp(`^${label}\\n \\[ \\] 0001_initial$`, 'm'));
  assert.doesNotMatch(shown.stdout, /^(sessions|auth|admin)\n \(no migrations\)/m);
  const version = await runNode(app, ['--version'], { cwd: project });
  assert.equal(version.stdout.trim(), require('../../package.json').version, 'the version is manouche\'s, not the project\'s 9.9.9');
});

test('dev reaches the admin login with its stylesheet, and the printed password logs in', async (t) => {
  const dev = startNode(path.join(project, 'notes', 'app.js'), ['dev', '0', '--noreload'], { cwd: project });
  t.after(() => dev.kill());
  const [, password] = await dev.waitFor(/password: (\S+)\n/);
  const [, port] = await dev.waitFor(STARTED);
  assert.doesNotMatch(dev.output, /version unknown/);
  const base = `http://127.0.0.1:${port}`;
  const page = await fetch(`${base}/admin/login/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const css = html.match(/<link rel="stylesheet" href="([^"]+admin\.css)"/)[1];
  const sheet = await fetch(base + css);
  assert.equal(sheet.status, 200);
  assert.match(sheet.headers.get('content-type'), /text\/css/);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = html.match(/name="csrfmiddlewaretoken" value="([^"]+)"/)[1];
  const login = await fetch(`${base}/admin/login/`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ csrfmiddlewaretoken: token, username: 'admin', password, next: '/admin/' }),
  });
  assert.equal(login.status, 302, await login.text());
  assert.equal(login.headers.get('location'), '/admin/');
  const session = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const index = await fetch(`${base}/admin/`, { headers: { cookie: `${cookie}; ${session}` } });
  assert.equal(index.status, 200);
  assert.match(await index.text(), /Notes/);
  dev.child.kill('SIGINT');
  assert.equal((await dev.exited).code, 0);
});

test('a DATABASE_URL whose driver is not installed stops at startup with the npm install command', async () => {
  const res = await runNode(path.join(project, 'notes', 'app.js'), ['migrate'], { cwd: project, env: { DATABASE_URL: 'postgres://u:secret@127.0.0.1/notes' } });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /Run: npm install pg pg-hstore/);
  assert.doesNotMatch(res.stderr, /secret/);
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack');
  // The models (and the driver) wait for the database, which `serve` opens after it listens: the driver's absence is
  // still found by configure(), before the server listens.
  const served = await runNode(path.join(project, 'notes', 'app.js'), ['serve', '--port', '0'], { cwd: project, env: { DATABASE_URL: 'postgres://u:secret@127.0.0.1/notes' } });
  assert.equal(served.code, 1);
  assert.match(served.stderr, /Run: npm install pg pg-hstore/);
  assert.doesNotMatch(served.stdout, /Serving at/);
  assert.doesNotMatch(served.stderr, /secret|\n\s+at /);
});
