// Without TRUST_PROXY, a forged X-Forwarded-For cannot change req.ip (per-address login throttling relies on it).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { configure, route, run } = require('manouche');
const { Client } = require('manouche/test');

configure({ DEBUG: true, DATABASE_URL: 'sqlite::memory:' });
route('whoami/', (req) => ({ ip: req.ip, secure: req.secure }));
const app = run();

test('forwarded headers from an untrusted peer are ignored', async () => {
  const res = await new Client(app).get('/whoami/', { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
  assert.deepEqual(res.json(), { ip: '127.0.0.1', secure: false });
});
