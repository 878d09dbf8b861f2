// Views: what a view may return, class-based views, req.res answers, and resolverMatch for the batteries.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');
const { configure, route, getApp, View, Response, html, text, json, redirect, fileResponse } = require('manouche');
const { state } = require('../../dist/core/conf/state');

configure({ SECRET_KEY: 'views-tests', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });

// A stand-in battery middleware: records what the resolver told it, as the CSRF middleware reads it.
const seenByBattery = [];
state.batteryMiddleware.push((req, res, next) => { seenByBattery.push(req.resolverMatch && { ...req.resolverMatch }); next(); });

route('string/', () => '<p>hello</p>');
route('object/', () => ({ a: 1 }));
route('array/', () => [1, 2]);
route('async/', async (req, { n }) => { await new Promise((r) => setTimeout(r, 1)); return { ok: true }; });
route('html/', () => html('<b>x</b>', { status: 201, headers: { 'X-Extra': 'yes' } }));
route('text/', () => text('plain'));
route('json/', () => json({ created: true }, { status: 201 }));
route('redirect/', () => redirect('/target/'));
route('redirect-permanent/', () => redirect('/target/', { permanent: true }));
route('response/', () => new Response('raw', 202, { 'Content-Type': 'text/csv' }));
route('file/', () => fileResponse(__filename));
route('missing-file/', () => fileResponse('does-not-exist.txt'));
route('via-res/', (req) => { req.res.status(203).json({ via: 'res', q: req.query.q }); });
route('return-res/', (req) => req.res.json({ returned: true }));
route('nothing/', function forgetful() {});
route('sync-throw/', () => { throw new Error('boom'); });
route('resolver/<int:id>/', function resolverView(req, params) { return { match: { ...req.resolverMatch, view: req.resolverMatch.view.name }, params }; }, { name: 'resolver' });

class Archive extends View {
  get(req, { year }) { return { method: req.method, year, same: this.params.year === year && this.request === req }; }
  post() { return json({ posted: true }, { status: 201 }); }
}
route('archive/<int:year>/', Archive, { name: 'archive' });
let instances = 0;
class Counter extends View { constructor() { super(); instances += 1; this.hits = 0; } get() { this.hits += 1; return { hits: this.hits }; } }
route('counter/', Counter);

const app = getApp();
const call = (method, url, opts = {}) => inject(app, { method, url, ...opts });

test('a string is HTML 200, an object or array is JSON 200', async () => {
  const s = await call('GET', '/string/');
  assert.equal(s.statusCode, 200);
  assert.equal(s.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(s.payload, '<p>hello</p>');
  const o = await call('GET', '/object/');
  assert.equal(o.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(o.json(), { a: 1 });
  assert.deepEqual((await call('GET', '/array/')).json(), [1, 2]);
  assert.deepEqual((await call('GET', '/async/')).json(), { ok: true });
});

test('response shortcuts carry status, headers and content type', async () => {
  const h = await call('GET', '/html/');
  assert.equal(h.statusCode, 201);
  assert.equal(h.headers['x-extra'], 'yes');
  assert.equal(h.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal((await call('GET', '/text/')).headers['content-type'], 'text/plain; charset=utf-8');
  const j = await call('GET', '/json/');
  assert.equal(j.statusCode, 201);
  assert.deepEqual(j.json(), { created: true });
  const r = await call('GET', '/redirect/');
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, '/target/');
  assert.equal((await call('GET', '/redirect-permanent/')).statusCode, 301);
  const raw = await call('GET', '/response/');
  assert.equal(raw.statusCode, 202);
  assert.equal(raw.headers['content-type'], 'text/csv', 'header names are case-insensitive: no duplicate Content-Type');
  assert.equal(raw.payload, 'raw');
});

test('dynamic responses have Content-Length and no ETag', async () => {
  const o = await call('GET', '/object/');
  assert.equal(o.headers['content-length'], '7');
  assert.equal(o.headers.etag, undefined);
});

test('fileResponse() streams a file with type and validators; a missing file is a 404', async () => {
  const f = await call('GET', '/file/');
  assert.equal(f.statusCode, 200);
  assert.match(f.headers['content-type'], /javascript/);
  assert.ok(f.headers['last-modified']);
  assert.match(f.payload, /fileResponse\(\) streams a file/);
  assert.equal(f.headers['x-frame-options'], 'DENY');
  assert.equal((await call('GET', '/missing-file/')).statusCode, 404);
});

test('a view may answer through req.res (express API) and return nothing, or return res', async () => {
  const r = await call('GET', '/via-res/?q=hi');
  assert.equal(r.statusCode, 203);
  assert.deepEqual(r.json(), { via: 'res', q: 'hi' });
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.deepEqual((await call('GET', '/return-res/')).json(), { returned: true });
});

test('regression: a view that returns undefined without answering is a clear 500 (E_VIEW_RETURNED_NOTHING)', async (t) => {
  const logged = [];
  t.mock.method(console, 'error', (...a) => logged.push(a.join(' ')));
  const r = await call('GET', '/nothing/', { headers: { accept: 'application/json' } });
  assert.equal(r.statusCode, 500);
  assert.match(logged.join('\n'), /E_VIEW_RETURNED_NOTHING|The view forgetful for \/nothing\/ returned undefined/);
});

test('a throwing view never crashes the process: 500, and the next request is served', async (t) => {
  t.mock.method(console, 'error', () => {});
  const crashed = await call('GET', '/sync-throw/');
  assert.equal(crashed.statusCode, 500);
  assert.match(crashed.payload, /<h1>Server Error \(500\)<\/h1>/, 'the plain page when the app has no 500.html');
  assert.doesNotMatch(crashed.payload, /boom/);
  assert.equal((await call('GET', '/string/')).statusCode, 200);
});

test('req.resolverMatch is set before battery middleware runs (CSRF reads the view)', async () => {
  seenByBattery.length = 0;
  const r = await call('GET', '/resolver/7/');
  assert.deepEqual(r.json(), { match: { view: 'resolverView', params: { id: 7 }, name: 'resolver', route: 'resolver/<int:id>/' }, params: { id: 7 } });
  assert.equal(seenByBattery.length, 1);
  assert.equal(seenByBattery[0].view.name, 'resolverView');
  assert.equal(seenByBattery[0].name, 'resolver');
});

test('class-based views: method handlers, HEAD uses get, OPTIONS lists Allow, others 405', async () => {
  assert.deepEqual((await call('GET', '/archive/2020/')).json(), { method: 'GET', year: 2020, same: true });
  assert.equal((await call('POST', '/archive/2020/')).statusCode, 201);
  const head = await call('HEAD', '/archive/2020/');
  assert.equal(head.statusCode, 200);
  assert.equal(head.payload, '');
  const options = await call('OPTIONS', '/archive/2020/');
  assert.equal(options.statusCode, 200);
  assert.equal(options.headers.allow, 'GET, POST, HEAD, OPTIONS');
  const del = await call('DELETE', '/archive/2020/');
  assert.equal(del.statusCode, 405);
  assert.equal(del.headers.allow, 'GET, POST, HEAD, OPTIONS');
});

test('class-based views get a fresh instance per request', async () => {
  assert.deepEqual((await call('GET', '/counter/')).json(), { hits: 1 });
  assert.deepEqual((await call('GET', '/counter/')).json(), { hits: 1 });
  assert.equal(instances, 2);
});
