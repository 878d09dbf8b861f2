// Regression (issue 10): the login throttle could be turned against users. Five failures with unknown usernames from one
// address locked the superuser out; rotating X-Forwarded-For locked an account out everywhere; the 429 had no Retry-After.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase } = require('./helpers');
const { configure, User } = require('manouche');
const { Client } = require('manouche/test');

configure({ ...baseSettings(), auth: true, TRUST_PROXY: true, LOGIN_ATTEMPTS_LIMIT: 3, LOGIN_ATTEMPTS_ADDRESS_LIMIT: 6, LOGIN_ATTEMPTS_WINDOW: 600 });
useTestDatabase();

const PASSWORD = 'violet-tractor-93!';

async function login(username, password, address) {
  const c = new Client();
  const headers = { 'x-forwarded-for': address };
  await c.get('/accounts/login/', { headers });
  return c.post('/accounts/login/', { username, password }, { headers });
}

test('failures with many unknown usernames from an address do not lock a user out of it below the address limit', async () => {
  await User.createUser({ username: 'boss', password: PASSWORD });
  for (let i = 0; i < 5; i++) assert.equal((await login(`nobody${i}`, 'wrong-password', '10.0.0.1')).status, 200);
  assert.equal((await login('boss', PASSWORD, '10.0.0.1')).status, 302);
});

test('failures for a username from rotating addresses never lock it out from an address that never failed', async () => {
  await User.createUser({ username: 'boss', password: PASSWORD });
  for (let i = 0; i < 10; i++) assert.equal((await login('boss', 'wrong-password', `198.51.100.${i}`)).status, 200);
  assert.equal((await login('boss', PASSWORD, '203.0.113.7')).status, 302);
});

test('LOGIN_ATTEMPTS_LIMIT failures lock that (username, address) pair, with Retry-After; elsewhere the user logs in', async () => {
  await User.createUser({ username: 'boss', password: PASSWORD });
  for (let i = 0; i < 3; i++) assert.equal((await login('BOSS', `wrong-${i}`, '10.0.0.2')).status, 200);
  const refused = await login('boss', PASSWORD, '10.0.0.2');
  assert.equal(refused.status, 429);
  assert.match(refused.text, /Too many failed login attempts/);
  const retryAfter = Number(refused.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 600, `Retry-After: ${refused.headers['retry-after']}`);
  assert.equal((await login('boss', PASSWORD, '10.0.0.3')).status, 302);
});

test('an address over LOGIN_ATTEMPTS_ADDRESS_LIMIT is refused for new usernames, but not for users who logged in from it', async () => {
  await User.createUser({ username: 'boss', password: PASSWORD });
  await User.createUser({ username: 'newcomer', password: PASSWORD });
  assert.equal((await login('boss', PASSWORD, '10.0.0.4')).status, 302);
  for (let i = 0; i < 6; i++) await login(`guess${i}`, 'wrong-password', '10.0.0.4');
  const refused = await login('newcomer', PASSWORD, '10.0.0.4');
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.equal((await login('boss', PASSWORD, '10.0.0.4')).status, 302, 'a known user is not locked out by strangers');
  assert.equal((await login('newcomer', PASSWORD, '10.0.0.5')).status, 302);
});
