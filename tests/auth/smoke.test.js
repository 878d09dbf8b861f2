'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase } = require('./helpers');
const { configure, route, json, User, loginRequired } = require('manouche');
const { Client } = require('manouche/test');

configure({ ...baseSettings(), auth: true });
route('me/', loginRequired((req) => json({ username: req.user.username })), { name: 'me' });
useTestDatabase();

test('smoke', async () => {
  await User.createUser({ username: 'ann', password: 'correct horse battery' });
  const c = new Client();
  let res = await c.get('/me/');
  console.log(res.status, res.headers.location);
  res = await c.get('/accounts/login/');
  console.log(res.status, res.text.slice(0, 300));
  res = await c.post('/accounts/login/', { username: 'ann', password: 'correct horse battery' });
  console.log(res.status, res.headers, res.text.slice(0, 300));
  res = await c.get('/me/');
  console.log(res.status, res.text);
});
