// Sessions and login throttling on Redis (SESSION_STORE = redis://…): keys with a TTL, login, logout, lockout.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase } = require('./helpers');
const { createClient } = require('redis');

// Databases 10-15 for this file, 1-8 for two-processes.db.test.js: files running side by side never share one.
const DB = 10 + (process.pid % 6);
const { configure, route, json, User } = require('manouche');
const { Client } = require('manouche/test');

configure({ ...baseSettings(), auth: true, SESSION_STORE: `redis://127.0.0.1:6379/${DB}`, SESSION_COOKIE_AGE: 1800, LOGIN_ATTEMPTS_LIMIT: 2 });
route('me/', (req) => json({ username: req.user.username || null }));
useTestDatabase();

const redis = createClient({ url: `redis://127.0.0.1:6379/${DB}` });
const ready = redis.connect().then(() => redis.flushDb());
after(async () => { await redis.flushDb(); await redis.close(); });

const PASSWORD = 'violet-tractor-93!';

async function login(c, username, password) {
  await c.get('/accounts/login/');
  return c.post('/accounts/login/', { username, password });
}

test('a login stores the session in Redis with the cookie age as TTL; logout deletes it', async () => {
  await ready;
  await User.createUser({ username: 'ann', password: PASSWORD });
  const c = new Client();
  assert.equal((await login(c, 'ann', PASSWORD)).status, 302);
  assert.deepEqual((await c.get('/me/')).json(), { username: 'ann' });
  const keys = await redis.keys('manouche:sess:*');
  assert.equal(keys.length, 1);
  const ttl = await redis.ttl(keys[0]);
  assert.ok(ttl > 1700 && ttl <= 1800, `ttl ${ttl}`);
  assert.match(await redis.get(keys[0]), /"passport"/);
  await c.post('/accounts/logout/');
  assert.deepEqual((await c.get('/me/')).json(), { username: null });
  assert.deepEqual(await redis.keys('manouche:sess:*'), [], 'no empty session is left behind');
});

test('the Client bridge (forceLogin) writes its session to Redis too', async () => {
  await ready;
  const bob = await User.createUser({ username: 'bob', password: PASSWORD });
  const c = new Client();
  await c.forceLogin(bob);
  assert.deepEqual((await c.get('/me/')).json(), { username: 'bob' });
  await c.logout();
  assert.deepEqual((await c.get('/me/')).json(), { username: null });
});

test('failed logins are counted in Redis, with the window as TTL', async () => {
  await ready;
  await User.createUser({ username: 'carl', password: PASSWORD });
  for (const p of ['bad-one-1', 'bad-two-2']) assert.equal((await login(new Client(), 'carl', p)).status, 200);
  assert.equal((await login(new Client(), 'carl', PASSWORD)).status, 429);
  assert.equal(await redis.get('manouche:login:pair:127.0.0.1|carl'), '2');
  assert.ok((await redis.ttl('manouche:login:pair:127.0.0.1|carl')) > 0);
  await redis.del(['manouche:login:pair:127.0.0.1|carl', 'manouche:login:addr:127.0.0.1']);
  assert.equal((await login(new Client(), 'carl', PASSWORD)).status, 302);
});
