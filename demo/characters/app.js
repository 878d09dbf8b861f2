// "A Django REST API in a Single File", in manouche: a JSON API of Rick and Morty characters, with its tests.
// Run it:   node demo/characters/app.js runserver      Test it:   node demo/characters/app.js test
const assert = require('node:assert/strict');
const { randomBytes } = require('node:crypto');
const { configure, route, run, json, redirect, test } = require('manouche');

configure({
  DEBUG: process.env.DEBUG === '1',
  ALLOWED_HOSTS: ['*'], // Disable host header validation
  // We aren't using any security features, but manouche requires a key outside DEBUG.
  SECRET_KEY: process.env.SECRET_KEY || randomBytes(32).toString('hex'),
});

class Character {
  constructor(name, age) {
    this.name = name;
    this.age = age;
  }

  asDict(id) {
    return { id, name: this.name, age: this.age };
  }
}

const characters = new Map([
  [1, new Character('Rick Sanchez', 70)],
  [2, new Character('Morty Smith', 14)],
]);

route('', () => redirect('/characters/'));

route('characters/', () => ({
  data: [...characters].map(([id, character]) => character.asDict(id)),
}));

route('characters/<int:characterId>/', (req, { characterId }) => {
  const character = characters.get(characterId);
  if (!character) {
    return json({ error: `Character with id ${characterId} does not exist.` }, { status: 404 });
  }
  return { data: character.asDict(characterId) };
});

test('index redirects to the list', async ({ client }) => {
  const res = await client.get('/');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/characters/');
}, { db: false });

test('list', async ({ client }) => {
  const res = await client.get('/characters/');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json().data[0], { id: 1, name: 'Rick Sanchez', age: 70 });
}, { db: false });

test('detail', async ({ client }) => {
  const res = await client.get('/characters/1/');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json().data, { id: 1, name: 'Rick Sanchez', age: 70 });
}, { db: false });

module.exports = run();
