// The app over real sockets (no light-my-request in this process: it re-parents express's prototypes when it injects).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const express = require('express');
const { configure, route, include, getApp } = require('manouche');

configure({ SECRET_KEY: 'socket-tests', ALLOWED_HOSTS: ['127.0.0.1'], DATABASE_URL: 'sqlite::memory:' });
route('real/', (req) => { req.res.json({ q: req.query.q, ip: typeof req.ip, get: req.get('x-probe') }); });
route('data/', () => ({ data: [1, 2, 3] }));
const router = express.Router();
router.post('/echo', express.json(), (req, res) => res.json({ got: req.body }));
include('ext/', router);
const app = getApp();

// fetch() may not set Host; node's http client may.
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
}

async function withServer(server, fn) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try { return await fn(`http://127.0.0.1:${server.address().port}`); } finally { server.close(); }
}

test('app.listen(): requests are born with express\'s API (req.query, req.get, res.json) and go through the pipeline', async () => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const r = await get(`${base}/real/?q=socket`, { 'x-probe': 'yes' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { q: 'socket', ip: 'string', get: 'yes' });
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['x-powered-by'], undefined);
    const bad = await get(`${base}/data/`, { host: 'evil.com' });
    assert.equal(bad.status, 400);
  } finally {
    server.close();
  }
});

test('http.createServer(app) and http.createServer(app.serverOptions, app) serve the same answers', async () => {
  for (const server of [http.createServer(app), http.createServer(app.serverOptions, app)]) {
    await withServer(server, async (base) => {
      assert.deepEqual(JSON.parse((await get(`${base}/data/`)).body), { data: [1, 2, 3] });
      assert.equal(JSON.parse((await get(`${base}/real/?q=2`)).body).q, '2');
    });
  }
});

test('regression: a mounted Router with its own express.json() sees the body manouche already parsed', async () => {
  await withServer(http.createServer(app.serverOptions, app), async (base) => {
    const r = await fetch(`${base}/ext/echo`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { got: { a: 1 } });
  });
});

test('the app mounted in a parent express app (parent.use(prefix, app)) answers with its patterns and API', async () => {
  const parent = express();
  parent.get('/health', (req, res) => res.json({ ok: true }));
  parent.use('/sub', app);
  await withServer(http.createServer(parent), async (base) => {
    assert.deepEqual(JSON.parse((await get(`${base}/health`)).body), { ok: true });
    assert.deepEqual(JSON.parse((await get(`${base}/sub/data/`)).body), { data: [1, 2, 3] });
    const r = await get(`${base}/sub/real/?q=3`, { 'x-probe': 'p' });
    assert.deepEqual(JSON.parse(r.body), { q: '3', ip: 'string', get: 'p' });
    assert.equal(r.headers['x-frame-options'], 'DENY');
    const slash = await get(`${base}/sub/data?x=1`);
    assert.equal(slash.status, 301);
    assert.equal(slash.headers.location, '/sub/data/?x=1', 'APPEND_SLASH keeps the mount prefix');
  });
});
