// DEBUG pages: the technical 404 (patterns tried), the technical 500 (stack, request, masked settings, escaped).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');
const { configure, route, getApp, Http404 } = require('manouche');

configure({
  DEBUG: true,
  SECRET_KEY: 'debug-page-secret-value',
  DATABASE_URL: 'sqlite::memory:',
  STRIPE_API_KEY: 'sk_live_should_not_show',
  MIDDLEWARE: [function requestLogger(req, res, next) { next(); }],
});

route('', () => 'home', { name: 'home' });
route('blog/<int:year>/', () => 'year', { name: 'year_archive' });
route('posts/<int:id>/', (req, { id }) => { throw new Http404(`No post ${id}`); });
route('explode/', function explodingView() { throw new Error('<script>alert(1)</script> went wrong'); });
route('explode-post/', () => { throw new Error('post failed'); });

const app = getApp();
const get = (url, headers = {}) => inject(app, { method: 'GET', url, headers: { host: 'localhost:8000', ...headers } });

test('DEBUG 404 lists the patterns tried, in order, with their names', async () => {
  const r = await get('/nowhere/');
  assert.equal(r.statusCode, 404);
  assert.match(r.payload, /Page not found/);
  assert.match(r.payload, /<li>&#39;&#39; \[name='home'\]<\/li><li>blog\/&lt;int:year&gt;\/ \[name='year_archive'\]<\/li>/);
  assert.match(r.payload, /The current path, <code>nowhere\/<\/code>, didn't match any of these/);
  assert.match(r.payload, /DEBUG: true/);
});

test('DEBUG 404 raised by a view shows its message', async () => {
  const r = await get('/posts/9/');
  assert.equal(r.statusCode, 404);
  assert.match(r.payload, /No post 9/);
});

test('regression: the DEBUG 404 escapes the requested path', async () => {
  const r = await get('/%3Cimg%20src=x%3E/');
  assert.doesNotMatch(r.payload, /<img src=x>/);
  assert.match(r.payload, /&lt;img src=x&gt;/);
});

test('DEBUG 500 shows the exception, stack, request and settings with secrets masked, all escaped', async (t) => {
  t.mock.method(console, 'error', () => {});
  const r = await get('/explode/?q=<b>', { cookie: 'sessionid=abc123secret', 'x-custom': '<i>hdr</i>' });
  assert.equal(r.statusCode, 500);
  const page = r.payload;
  assert.match(page, /<h1>Error at \/explode\/<\/h1>/);
  assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt; went wrong/);
  assert.doesNotMatch(page, /<script>alert/);
  assert.match(page, /Traceback/);
  assert.match(page, /at (Object\.)?explodingView/);
  assert.match(page, /explodingView \(explode\/\)/);
  assert.match(page, /&lt;i&gt;hdr&lt;\/i&gt;/);
  assert.doesNotMatch(page, /abc123secret/, 'cookies are masked');
  assert.doesNotMatch(page, /debug-page-secret-value/);
  assert.doesNotMatch(page, /sk_live_should_not_show/);
  assert.match(page, /SECRET_KEY<\/th><td><code>\*{20}/);
  assert.match(page, /STRIPE_API_KEY<\/th><td><code>\*{20}/);
});

test('DEBUG 500 shows the posted fields with passwords and tokens masked, and middleware by name', async (t) => {
  t.mock.method(console, 'error', () => {});
  const r = await inject(app, { method: 'POST', url: '/explode-post/', payload: { title: 'visible-title', password: 'hunter2', csrfmiddlewaretoken: 'tok123' }, headers: { host: 'localhost', accept: 'text/html' } });
  assert.equal(r.statusCode, 500);
  assert.match(r.payload, /visible-title/);
  assert.doesNotMatch(r.payload, /hunter2|tok123/);
  assert.match(r.payload, /\[function requestLogger\]/);
});

test('APPEND_SLASH: a POST in DEBUG is a 500 page explaining that the data would be lost', async (t) => {
  t.mock.method(console, 'error', () => {});
  const r = await inject(app, { method: 'POST', url: '/blog/2020?x=1', payload: 'a=1', headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.statusCode, 500);
  assert.match(r.payload, /E_APPEND_SLASH_POST/);
  assert.match(r.payload, /You called this URL via POST, but the URL doesn&#39;t end in a slash and you have APPEND_SLASH set/);
  assert.match(r.payload, /\/blog\/2020\/\?x=1/);
});

test('DEBUG without ALLOWED_HOSTS allows localhost, 127.0.0.1 and [::1] only', async () => {
  for (const host of ['localhost', '127.0.0.1:8000', '[::1]:8000']) assert.equal((await get('/', { host })).statusCode, 200, host);
  assert.equal((await get('/', { host: 'example.com' })).statusCode, 400);
});
