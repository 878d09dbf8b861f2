// Drives demo/blog/app.js (django-micro's full-featured example) as a user would: its checked-in migrations build the
// database, its own `seed` command fills it, a visitor reads the site, an editor works in the admin; then the file's
// own tests pass and makemigrations finds nothing missing. Runs on SQLite, PostgreSQL and MariaDB.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

process.env.MANOUCHE_TESTING = '1'; // the framework's test database, never the demo's db.sqlite3
process.env.SECRET_KEY = 'blog-acceptance-test-key';
const APP = path.join(__dirname, '..', '..', 'demo', 'blog', 'app.js');
require(APP);
const { callCommand, User, Client } = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

const quiet = { stdout: { write() {} }, stderr: { write() {} } };

before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
after(async () => {
  for (const h of state.testLifecycle) await h.afterAll?.();
  await closeAll();
});

test('the seed command publishes a post that a visitor finds on the homepage, its page and its tags', async () => {
  assert.equal(await callCommand('seed', [], quiet), 0);
  const visitor = new Client();
  const home = await visitor.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Hello, manouche/);
  const post = await visitor.get('/posts/hello-manouche/');
  assert.equal(post.status, 200);
  assert.match(post.text, /Django’s batteries, in one Node\.js file\./);
  assert.match((await visitor.get('/tags/django/')).text, /Hello, manouche/);
  assert.equal((await visitor.get('/posts/no-such-post/')).status, 404);
  assert.equal((await visitor.get('/posts/hello-manouche')).status, 301, 'APPEND_SLASH');
});

test('an editor logs in to the admin, finds the post by search and filter, and unpublishes it with an action', async () => {
  await User.createSuperuser({ username: 'editor', password: 'correct horse battery', email: 'editor@example.com' });
  const editor = new Client();
  assert.equal(await editor.login({ username: 'editor', password: 'correct horse battery' }), true);
  const index = await editor.get('/admin/');
  assert.match(index.text, /Blog administration/);
  assert.match(index.text, /href="\/admin\/blog\/post\/"/);
  const found = await editor.get('/admin/blog/post/', { query: { q: 'manouche', status__exact: 'published' } });
  assert.equal(found.status, 200);
  assert.match(found.text, /Hello, manouche/);
  assert.match(found.text, /1 post/);
  const id = found.text.match(/name="_selected_action" value="(\d+)"/)[1];
  const done = await editor.post('/admin/blog/post/', { action: 'unpublish', _selected_action: id, index: '0' }, { follow: true });
  assert.equal(done.status, 200);
  assert.equal((await new Client().get('/posts/hello-manouche/')).status, 404, 'a draft is not public');
});

test('the tests written in the demo file pass under `node demo/blog/app.js test`', () => {
  const res = spawnSync(process.execPath, [APP, 'test'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, MANOUCHE_TESTING: '' } });
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /^# pass 3$/m);
  assert.match(res.stdout, /^# fail 0$/m);
});

test('the checked-in migrations match the models (makemigrations --check)', () => {
  const res = spawnSync(process.execPath, [APP, 'makemigrations', '--check', '--dry-run'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, MANOUCHE_TESTING: '' } });
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /No changes detected/);
});
