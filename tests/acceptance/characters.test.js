// Drives demo/characters/app.js (the REST seed) as a user would: in process with the Client, and through its own `test` command.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

process.env.SECRET_KEY = 'characters-acceptance-test-key';
const app = require('../../demo/characters/app.js');
const { Client } = require('manouche/test');

const client = new Client(app);

test('/ redirects to /characters/ with a 302', async () => {
  const res = await client.get('/');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/characters/');
});

test('the list is JSON with both characters', async () => {
  const res = await client.get('/characters/');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.deepEqual(res.json(), {
    data: [
      { id: 1, name: 'Rick Sanchez', age: 70 },
      { id: 2, name: 'Morty Smith', age: 14 },
    ],
  });
});

test('a detail answers with its character', async () => {
  const res = await client.get('/characters/2/');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { data: { id: 2, name: 'Morty Smith', age: 14 } });
});

test('an unknown character is a JSON 404 naming the id', async () => {
  const res = await client.get('/characters/3/');
  assert.equal(res.status, 404);
  assert.deepEqual(res.json(), { error: 'Character with id 3 does not exist.' });
});

test('a path without its trailing slash is a 301 to the slash URL, query kept', async () => {
  const res = await client.get('/characters/2');
  assert.equal(res.status, 301);
  assert.equal(res.headers.location, '/characters/2/');
  const withQuery = await client.get('/characters/2?format=json');
  assert.equal(withQuery.status, 301);
  assert.equal(withQuery.headers.location, '/characters/2/?format=json');
});

test('a non-numeric id matches no pattern (404), and following the redirect lands on the data', async () => {
  assert.equal((await client.get('/characters/rick/')).status, 404);
  const followed = await client.get('/characters/1', { follow: true });
  assert.equal(followed.status, 200);
  assert.equal(followed.url, '/characters/1/');
  assert.deepEqual(followed.redirectChain, [['/characters/1/', 301]]);
});

test('`node demo/characters/app.js test` runs the three tests written in the file, and passes', () => {
  const file = path.join(__dirname, '..', '..', 'demo', 'characters', 'app.js');
  const res = spawnSync(process.execPath, [file, 'test'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 });
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /^# pass 3$/m);
  assert.match(res.stdout, /^# fail 0$/m);
});
