// HTTP errors outside DEBUG: statuses, the app's 404.html/403.html, JSON for JSON clients, no leaks, logging.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const inject = require('light-my-request');
const { configure, route, getApp, Http404, PermissionDenied, BadRequest, MethodNotAllowed, HttpError } = require('manouche');

configure({
  DEBUG: false,
  SECRET_KEY: 'errors-tests-secret',
  ALLOWED_HOSTS: ['*'],
  DATABASE_URL: 'sqlite::memory:',
  TEMPLATES_DIRS: [path.join(__dirname, 'fixtures', 'h1-templates')],
});

route('missing/<int:id>/', (req, { id }) => { throw new Http404(`No post ${id}`); });
route('denied/', () => { throw new PermissionDenied('Staff only'); });
route('bad/', async () => { throw new BadRequest('page must be a number'); });
route('not-allowed/', () => { throw new MethodNotAllowed(['GET', 'POST']); });
route('teapot/', () => { throw new HttpError('E_HTTP_400', 'I am a teapot', 418); });
route('crash/', () => { throw new Error('database password is hunter2'); });
route('async-crash/', async () => { await null; throw new TypeError('secret detail'); });

const app = getApp();
const get = (url, headers = {}) => inject(app, { method: 'GET', url, headers });
const JSON_ACCEPT = { accept: 'application/json' };

function captureConsole(t) {
  const logged = { error: [], warn: [], info: [], log: [] };
  for (const level of Object.keys(logged)) t.mock.method(console, level, (...a) => logged[level].push(a.join(' ')));
  return logged;
}

test('Http404/PermissionDenied/BadRequest/MethodNotAllowed/HttpError give their status', async (t) => {
  captureConsole(t);
  assert.equal((await get('/missing/3/')).statusCode, 404);
  assert.equal((await get('/denied/')).statusCode, 403);
  assert.equal((await get('/bad/')).statusCode, 400);
  const na = await get('/not-allowed/');
  assert.equal(na.statusCode, 405);
  assert.equal(na.headers.allow, 'GET, POST');
  assert.equal((await get('/teapot/')).statusCode, 418);
});

test('JSON clients get { "error": message }', async () => {
  const r = await get('/missing/3/', JSON_ACCEPT);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(r.json(), { error: 'No post 3' });
  assert.deepEqual((await get('/bad/', JSON_ACCEPT)).json(), { error: 'page must be a number' });
  assert.deepEqual((await inject(app, { method: 'POST', url: '/missing/3/', payload: { a: 1 } })).json(), { error: 'No post 3' },
    'a JSON request without an Accept preference is answered in JSON');
  assert.equal((await get('/missing/3/', { accept: 'text/html,application/json;q=0.9' })).headers['content-type'], 'text/html; charset=utf-8');
});

test("the app's 404.html and 403.html templates are used when they exist", async () => {
  const r = await get('/nowhere/');
  assert.equal(r.statusCode, 404);
  assert.match(r.payload, /<h1>Custom 404<\/h1><p>\/nowhere\/<\/p>/);
  assert.match((await get('/missing/3/')).payload, /Custom 404/);
  const d = await get('/denied/');
  assert.match(d.payload, /<h1>Custom 403<\/h1><p>Staff only<\/p>/);
});

test('without a template, 4xx pages are plain and say what was wrong', async () => {
  const r = await get('/not-allowed/');
  assert.match(r.payload, /<h1>Method Not Allowed \(405\)<\/h1><p>Method Not Allowed \(allowed: GET, POST\)<\/p>/);
});

test('regression: a broken 400.html does not turn the 400 into a 500 (plain page, template error logged)', async (t) => {
  const logged = captureConsole(t);
  const r = await get('/bad/');
  assert.equal(r.statusCode, 400);
  assert.match(r.payload, /<h1>Bad Request \(400\)<\/h1><p>page must be a number<\/p>/);
  assert.match(logged.error.join('\n'), /Error while rendering 400.html/);
});

test('regression: outside DEBUG a 500 leaks neither message nor stack, and is logged with its stack', async (t) => {
  const logged = captureConsole(t);
  for (const url of ['/crash/', '/async-crash/']) {
    const r = await get(url);
    assert.equal(r.statusCode, 500);
    assert.match(r.payload, /<h1>Custom 500<\/h1><p>Sorry! \[\]<\/p>/, "the app's 500.html, given no exception text");
    assert.doesNotMatch(r.payload, /hunter2|secret detail|at .*\.js|Error:/);
    const j = await get(url, JSON_ACCEPT);
    assert.deepEqual(j.json(), { error: 'Server Error' });
  }
  assert.equal(logged.error.length, 4);
  assert.match(logged.error[0], /Internal Server Error: GET \/crash\/\nError: database password is hunter2\n\s+at /);
  assert.match(logged.error[2], /Internal Server Error: GET \/async-crash\/\nTypeError: secret detail/);
});

test('4xx are not logged as errors', async (t) => {
  const logged = captureConsole(t);
  await get('/missing/3/');
  await get('/denied/');
  await get('/nowhere/');
  assert.deepEqual(logged.error, []);
});

test('a request with a bad percent-encoding is a 400, not a crash', async () => {
  assert.equal((await get('/missing/%E0%A4%A/')).statusCode, 400);
});
