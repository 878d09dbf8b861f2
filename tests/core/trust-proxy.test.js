// TRUST_PROXY: behind a trusted proxy, req.ip and req.secure come from X-Forwarded-*; from anyone else they are ignored.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { configure, route, run } = require('manouche');
const { Client } = require('manouche/test');

configure({ DEBUG: true, DATABASE_URL: 'sqlite::memory:', TRUST_PROXY: 'loopback' });
route('whoami/', (req) => ({ ip: req.ip, secure: req.secure }));
const app = run();

test('a request through a loopback proxy is seen with the client address and scheme the proxy forwarded', async () => {
  const res = await new Client(app).get('/whoami/', { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
  assert.deepEqual(res.json(), { ip: '203.0.113.7', secure: true });
});

test('without forwarded headers the peer address is used', async () => {
  const res = await new Client(app).get('/whoami/');
  assert.deepEqual(res.json(), { ip: '127.0.0.1', secure: false });
});
