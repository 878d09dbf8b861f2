// Drives demo/library/app.js (the API demo) as a client would: a token from `createtoken`, reads and writes over the
// API, the OpenAPI document and docs page; then the file's own tests pass through its `test` command.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

process.env.MANOUCHE_TESTING = '1';
process.env.SECRET_KEY = 'library-acceptance-test-key';
const APP = path.join(__dirname, '..', '..', 'demo', 'library', 'app.js');
require(APP);
const { callCommand, User, Permission, Client } = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); await closeAll(); });

test('seed, then a librarian with a createtoken key adds, edits and deletes a book; visitors only read', async () => {
  const quiet = { stdout: { write() {} }, stderr: { write() {} } };
  assert.equal(await callCommand('seed', [], quiet), 0);
  const user = await User.createUser({ username: 'lib', password: 'correct horse battery' });
  await user.setUserPermissions(await Permission.findAll({ where: { appLabel: 'library' } }));
  let out = '';
  assert.equal(await callCommand('createtoken', ['lib', '--name', 'acceptance'], { stdout: { write(s) { out += s; } }, stderr: quiet.stderr }), 0);
  const key = out.trim();
  assert.match(key, /^[0-9a-f]{40}$/);
  const headers = { authorization: `Token ${key}` };
  const visitor = new Client();

  const list = (await visitor.get('/api/books/?search=darkness&expand=author')).json();
  assert.equal(list.count, 1);
  assert.equal(list.results[0].author.name, 'Ursula K. Le Guin');
  const authorId = list.results[0].authorId;

  const created = await visitor.post('/api/books/', { title: 'Lavinia', isbn: '9780151014248', authorId, genre: 'novel' }, { json: true, headers });
  assert.equal(created.status, 201, created.text);
  const id = created.json().id;
  assert.equal(created.json().addedById, user.id);
  const patched = await visitor.patch(`/api/books/${id}/`, { price: '12.00', available: false }, { json: true, headers });
  assert.deepEqual([patched.json().price, patched.json().available], ['12.00', false]);
  assert.deepEqual((await visitor.get('/api/stats/?genre=novel')).json(), { books: 3, available: 2 });
  assert.equal((await visitor.delete(`/api/books/${id}/`)).status, 401);
  assert.equal((await visitor.delete(`/api/books/${id}/`, undefined, { headers })).status, 204);
  assert.equal((await visitor.get('/api/books/?available=false')).json().count, 0);
});

test('the OpenAPI document is valid 3.1 and the docs page points at it', async () => {
  const visitor = new Client();
  const doc = (await visitor.get('/api/openapi.json')).json();
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors));
  assert.ok(doc.paths['/api/books/{pk}/'].patch);
  assert.deepEqual(Object.keys(doc.components.schemas.Book.properties.author.properties), ['id', 'name', 'born']);
  assert.match((await visitor.get('/api/docs/')).text, /data-url="\/api\/openapi.json"/);
});

test("the demo's own tests pass (node demo/library/app.js test)", () => {
  const res = spawnSync(process.execPath, [APP, 'test'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, MANOUCHE_TESTING: '' } });
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /# pass 3/);
});
