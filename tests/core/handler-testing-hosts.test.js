// Under `node app.js test` (MANOUCHE_TESTING=1) the test Client's hosts pass ALLOWED_HOSTS, as Django's 'testserver'.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');

process.env.MANOUCHE_TESTING = '1';
const { configure, route, getApp } = require('manouche');

configure({ SECRET_KEY: 'testing-hosts', ALLOWED_HOSTS: ['example.com'], DATABASE_URL: 'sqlite::memory:' });
route('', () => 'ok');
const app = getApp();

test('localhost and testserver are allowed while testing; other hosts still get 400', async () => {
  for (const host of ['localhost', 'testserver', 'example.com']) {
    assert.equal((await inject(app, { url: '/', headers: { host } })).statusCode, 200, host);
  }
  assert.equal((await inject(app, { url: '/', headers: { host: 'evil.com' } })).statusCode, 400);
});
