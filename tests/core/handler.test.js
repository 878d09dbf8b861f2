// The request pipeline: Host check, security headers, body parsing and limits, uploads, middleware order.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');
const { configure, route, use, getApp } = require('manouche');
const { state } = require('../../dist/core/conf/state');

const order = [];
configure({
  SECRET_KEY: 'handler-tests',
  ALLOWED_HOSTS: ['example.com', '.example.org'],
  DATABASE_URL: 'sqlite::memory:',
  DATA_UPLOAD_MAX_MEMORY_SIZE: 1000,
  FILE_UPLOAD_MAX_SIZE: 2000,
  MIDDLEWARE: [(req, res, next) => { order.push('settings'); next(); }],
});
state.batteryMiddleware.push((req, res, next) => { order.push('battery'); next(); });
use((req, res, next) => { order.push('use'); next(); });
use(async (req, res, next) => { if (req.query.stop) { res.status(418).end('stopped by middleware'); return; } next(); });
use((req, res, next) => { if (req.query.fail) return next(new Error('middleware failed')); next(); });
// Hooks this response's writeHead the way on-headers does for express-session's cookie.
use((req, res, next) => {
  if (req.query.hook) {
    const previous = res.writeHead;
    res.writeHead = function hooked(...args) { this.setHeader('set-cookie', 'sessionid=abc; HttpOnly'); return previous.apply(this, args); };
  }
  next();
});

route('echo/', (req) => { order.push('view'); return { body: req.body ?? null, files: (req.files || []).map((f) => ({ ...f, buffer: f.buffer.toString() })) }; });

const app = getApp();
app.get('/express-only', (req, res) => res.json({ express: true }));
const host = 'example.com';
const call = (opts) => inject(app, { headers: { host, ...(opts.headers || {}) }, ...opts, headers: { host, ...(opts.headers || {}) } });

test('middleware order: settings.MIDDLEWARE → use() (before resolution) → battery → view', async () => {
  order.length = 0;
  assert.equal((await call({ method: 'GET', url: '/echo/' })).statusCode, 200);
  assert.deepEqual(order, ['settings', 'use', 'battery', 'view']);
  order.length = 0;
  assert.equal((await call({ method: 'GET', url: '/no-such-page/' })).statusCode, 404);
  assert.deepEqual(order, ['settings', 'use'], 'a 404 passes through MIDDLEWARE and use(), not through the batteries');
});

test('middleware may answer itself (the view is not run) or fail with next(err) (500)', async (t) => {
  order.length = 0;
  const r = await call({ method: 'GET', url: '/echo/?stop=1' });
  assert.equal(r.statusCode, 418);
  assert.equal(r.payload, 'stopped by middleware');
  assert.ok(!order.includes('view'));
  t.mock.method(console, 'error', () => {});
  assert.equal((await call({ method: 'GET', url: '/echo/?fail=1' })).statusCode, 500);
});

test('ALLOWED_HOSTS: exact names and .domain wildcards pass, others get 400 naming the host', async () => {
  assert.equal((await call({ method: 'GET', url: '/echo/', headers: { host: 'example.com:8000' } })).statusCode, 200);
  assert.equal((await call({ method: 'GET', url: '/echo/', headers: { host: 'example.org' } })).statusCode, 200);
  assert.equal((await call({ method: 'GET', url: '/echo/', headers: { host: 'www.EXAMPLE.org' } })).statusCode, 200);
  const bad = await call({ method: 'GET', url: '/echo/', headers: { host: 'evil.com', accept: 'application/json' } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /Invalid HTTP_HOST header: "evil.com"\. You may need to add "evil.com" to ALLOWED_HOSTS/);
  assert.equal((await call({ method: 'GET', url: '/echo/', headers: { host: 'notexample.org' } })).statusCode, 400);
  assert.equal((await call({ method: 'GET', url: '/echo/', headers: { host: 'localhost' } })).statusCode, 400, 'localhost only while testing');
  assert.equal((await call({ method: 'GET', url: '/echo/', headers: { host: 'example.com@evil.com' } })).statusCode, 400);
});

test('security headers on every response, no X-Powered-By', async () => {
  for (const url of ['/echo/', '/nope/', '/express-only']) {
    const r = await call({ method: 'GET', url });
    assert.equal(r.headers['x-frame-options'], 'DENY', url);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(r.headers['referrer-policy'], 'same-origin', url);
    assert.equal(r.headers['x-powered-by'], undefined, url);
  }
});

test('routes added to the express app directly serve what no pattern matched', async () => {
  assert.deepEqual((await call({ method: 'GET', url: '/express-only' })).json(), { express: true });
});

test('JSON and urlencoded bodies are parsed into req.body (repeated form keys become arrays)', async () => {
  const j = await call({ method: 'POST', url: '/echo/', payload: { a: 1, nested: { b: [2] } } });
  assert.deepEqual(j.json().body, { a: 1, nested: { b: [2] } });
  const f = await call({ method: 'POST', url: '/echo/', payload: 'a=1&b=x+y&b=z', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.deepEqual(f.json().body, { a: '1', b: ['x y', 'z'] });
  const put = await call({ method: 'PUT', url: '/echo/', payload: { p: true } });
  assert.deepEqual(put.json().body, { p: true });
});

test('GET requests are not parsed (req.body stays undefined)', async () => {
  assert.equal((await call({ method: 'GET', url: '/echo/' })).json().body, null);
});

test('malformed JSON is a 400 with a clear message', async () => {
  const r = await call({ method: 'POST', url: '/echo/', payload: '{"a":', headers: { 'content-type': 'application/json' } });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error, /^Malformed JSON in request body/);
});

test('regression: __proto__ / constructor / prototype keys are refused with 400, in JSON and forms', async () => {
  for (const payload of ['{"__proto__":{"admin":true}}', '{"a":{"constructor":{"prototype":{}}}}']) {
    const r = await call({ method: 'POST', url: '/echo/', payload, headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 400, payload);
    assert.match(r.json().error, /forbidden key "(__proto__|constructor|prototype)"/);
  }
  const f = await call({ method: 'POST', url: '/echo/', payload: '__proto__=1', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
  assert.equal(f.statusCode, 400);
  assert.equal({}.admin, undefined);
});

test('bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 naming the setting', async () => {
  const r = await call({ method: 'POST', url: '/echo/', payload: JSON.stringify({ big: 'x'.repeat(2000) }), headers: { 'content-type': 'application/json' } });
  assert.equal(r.statusCode, 413);
  assert.match(r.json().error, /DATA_UPLOAD_MAX_MEMORY_SIZE \(1000 bytes\)/);
});

function multipart(parts) {
  const boundary = '----manouche' + Math.random().toString(16).slice(2);
  const chunks = parts.map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"\r\nContent-Type: ${p.type || 'text/plain'}` : ''}\r\n\r\n${p.value}\r\n`);
  return { payload: chunks.join('') + `--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('multipart forms fill req.body and req.files', async () => {
  const { payload, headers } = multipart([{ name: 'title', value: 'Hello' }, { name: 'doc', filename: 'a.txt', value: 'file content' }]);
  const r = await call({ method: 'POST', url: '/echo/', payload, headers });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { body: { title: 'Hello' }, files: [{ fieldname: 'doc', filename: 'a.txt', mimeType: 'text/plain', size: 12, buffer: 'file content' }] });
});

test('an uploaded file over FILE_UPLOAD_MAX_SIZE is a 413 naming the file and the setting', async () => {
  const { payload, headers } = multipart([{ name: 'doc', filename: 'big.bin', value: 'y'.repeat(3000) }]);
  const r = await call({ method: 'POST', url: '/echo/', payload, headers: { ...headers, accept: 'application/json' } });
  assert.equal(r.statusCode, 413);
  assert.match(r.json().error, /"big.bin" exceeded FILE_UPLOAD_MAX_SIZE \(2000 bytes\)/);
});

test('a malformed multipart body is a 400', async () => {
  const r = await call({ method: 'POST', url: '/echo/', payload: 'garbage', headers: { 'content-type': 'multipart/form-data', accept: 'application/json' } });
  assert.equal(r.statusCode, 400);
});

test('regression: a request injected through a wrapper function (as the test Client does) keeps its body and express API', async () => {
  route('wrapped/', (req) => ({ q: req.query.q, host: req.get('host') }));
  const r = await inject((req, res) => app(req, res), { method: 'GET', url: '/wrapped/?q=1', headers: { host } });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { q: '1', host });
  const viaRes = await inject((req, res) => app(req, res), { method: 'GET', url: '/express-only', headers: { host } });
  assert.deepEqual(viaRes.json(), { express: true });
  assert.equal(viaRes.headers['x-frame-options'], 'DENY');
});

test('regression: a middleware hooking res.writeHead (express-session via on-headers) runs for manouche\'s responses', async () => {
  route('hooked-json/', () => ({ ok: true }));
  for (const url of ['/echo/?hook=1', '/hooked-json/?hook=1']) {
    const r = await call({ method: 'GET', url });
    assert.equal(r.statusCode, 200, url);
    assert.equal(r.headers['set-cookie'], 'sessionid=abc; HttpOnly', url);
    assert.equal(r.headers['x-frame-options'], 'DENY', url);
    assert.match(r.headers['content-type'], /json/, url);
  }
});
