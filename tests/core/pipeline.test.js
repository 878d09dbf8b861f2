// Middleware sees every request (issue 11): MIDDLEWARE/use() before resolution, use(path), route middleware, security
// header defaults as settings, errors from middleware, bad use() arguments refused at startup.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const inject = require('light-my-request');
const { configure, route, use, getApp, ImproperlyConfigured } = require('manouche');

const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-pipeline-'));
fs.writeFileSync(path.join(staticDir, 'site.css'), 'body{}');
const seen = [];
configure({
  SECRET_KEY: 'pipeline-tests',
  ALLOWED_HOSTS: ['*'],
  DATABASE_URL: 'sqlite::memory:',
  STATIC_DIRS: [staticDir],
  X_FRAME_OPTIONS: 'SAMEORIGIN',
  SECURE_CROSS_ORIGIN_OPENER_POLICY: null,
  MIDDLEWARE: [(req, res, next) => { seen.push(`${req.method} ${req.url}`); res.setHeader('x-seen', '1'); next(); }],
});
use('/api', (req, res, next) => { res.setHeader('x-api', `${req.baseUrl}|${req.url}`); next(); });
use(/^\/re\/\d+/, (req, res, next) => { res.setHeader('x-re', `${req.baseUrl}|${req.url}`); next(); });
use('/items/:id', (req, res, next) => { res.setHeader('x-item', req.params.id); next(); });
use([(req, res, next) => { res.setHeader('x-list', 'a'); next(); }], [(req, res, next) => { res.append('x-list', 'b'); next(); }]);
use((req, res, next) => {
  if (req.query.helmet) { res.setHeader('X-Frame-Options', 'DENY'); res.setHeader('Referrer-Policy', 'no-referrer'); }
  if (req.query.throw) throw new Error('middleware threw');
  if (req.query.next) return next(new Error('middleware passed an error'));
  if (req.query.reject) return Promise.reject(new Error('async middleware failed'));
  next();
});
const routeLog = [];
const tag = (name) => (req, res, next) => { routeLog.push(`${name}:${req.resolverMatch.name}`); next(); };
route('api/things/', () => ({ ok: true }), { name: 'things' });
route('only-post/', () => ({ ok: true }), { methods: ['POST'] });
route('page/', () => 'page', { name: 'page' });
route('guarded/', (req) => ({ who: req.who }), { name: 'guarded', middleware: [tag('a'), (req, res, next) => { req.who = 'route-mw'; next(); }, tag('b')] });
route('re/<int:n>/', () => 're');
route('items/<int:id>/', () => 'item');

const app = getApp();
const get = (url, headers = {}) => inject(app, { method: 'GET', url, headers });

test('MIDDLEWARE sees 404s, static files, APPEND_SLASH redirects and 405s, not only matched routes', async () => {
  seen.length = 0;
  const r404 = await get('/nope/');
  assert.equal(r404.statusCode, 404);
  const css = await get('/static/site.css');
  assert.equal(css.statusCode, 200);
  const slash = await get('/page');
  assert.equal(slash.statusCode, 301);
  const r405 = await get('/only-post/');
  assert.equal(r405.statusCode, 405);
  for (const r of [r404, css, slash, r405]) assert.equal(r.headers['x-seen'], '1');
  assert.deepEqual(seen, ['GET /nope/', 'GET /static/site.css', 'GET /page', 'GET /only-post/']);
});

test("use(path, mw) is express's: req.url stripped into req.baseUrl, whole segments only, case-insensitive", async () => {
  assert.equal((await get('/api/things/?x=1')).headers['x-api'], '/api|/things/?x=1');
  assert.equal((await get('/API/things/')).headers['x-api'], '/API|/things/');
  assert.equal((await get('/apix/')).headers['x-api'], undefined);
  assert.equal((await get('/re/12/')).headers['x-re'], '/re/12|/');
  assert.equal((await get('/re/x/')).headers['x-re'], undefined);
  assert.equal((await get('/items/7/')).headers['x-item'], '7', 'a path with parameters goes through express\'s router');
  assert.deepEqual([].concat((await get('/page/')).headers['x-list']), ['a', 'b'], 'lists of middleware, as express takes them');
  // The view still sees the full path: the prefix is given back after the middleware.
  assert.deepEqual((await get('/api/things/')).json(), { ok: true });
});

test('route(…, { middleware }) runs after resolution, for that route only, before the view', async () => {
  routeLog.length = 0;
  assert.deepEqual((await get('/guarded/')).json(), { who: 'route-mw' });
  assert.deepEqual(routeLog, ['a:guarded', 'b:guarded']);
  await get('/page/');
  assert.equal(routeLog.length, 2);
});

test('security headers are defaults: a middleware\'s own values are kept; each is a setting (null leaves it out)', async () => {
  const plain = await get('/page/');
  assert.equal(plain.headers['x-frame-options'], 'SAMEORIGIN');
  assert.equal(plain.headers['referrer-policy'], 'same-origin');
  assert.equal(plain.headers['x-content-type-options'], 'nosniff');
  assert.equal(plain.headers['cross-origin-opener-policy'], undefined);
  for (const url of ['/page/?helmet=1', '/nope/?helmet=1', '/api/things/?helmet=1']) {
    const r = await get(url);
    assert.equal(r.headers['x-frame-options'], 'DENY', url);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', url);
  }
});

test('middleware that throws, calls next(err) or rejects gets the error page (JSON or HTML by Accept), no hang', async (t) => {
  t.mock.method(console, 'error', () => {});
  for (const q of ['throw', 'next', 'reject']) {
    const asJson = await get(`/page/?${q}=1`, { accept: 'application/json' });
    assert.equal(asJson.statusCode, 500, q);
    assert.deepEqual(asJson.json(), { error: 'Server Error' }, q);
    const asHtml = await get(`/nope/?${q}=1`, { accept: 'text/html' });
    assert.equal(asHtml.statusCode, 500, q);
    assert.match(asHtml.headers['content-type'], /html/);
    assert.doesNotMatch(asHtml.payload, /middleware threw|passed an error|async middleware/, 'no detail outside DEBUG');
  }
});

test('use() refuses a path that is not a string or RegExp, and a middleware that is not a function, showing the right form', () => {
  assert.throws(() => use(42, () => {}), (e) => e instanceof ImproperlyConfigured && /use\(\) takes an optional path \(a string like '\/api' or a RegExp\).*use\('\/api', cors\(\)\).*got number 42/.test(e.message));
  assert.throws(() => use('/api', 'cors'), (e) => e instanceof ImproperlyConfigured && /use\("\/api", …\) takes express middleware functions.*got string "cors".*use\("\/api", cors\(\)\)/.test(e.message));
  assert.throws(() => use('/api'), /got nothing/);
  assert.throws(() => use({}), /got object as the path/);
  assert.throws(() => route('x/', () => 'x', { middleware: [null] }), /route\('x\/', view, \{ middleware \}\) takes express middleware functions \(req, res, next\), got null/);
});
