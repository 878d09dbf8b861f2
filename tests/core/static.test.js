// Static and media files: STATIC_DIRS then the framework's folders, validators and 304, no traversal, MEDIA_URL.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const inject = require('light-my-request');
const { configure, getApp, route } = require('manouche');
const { state } = require('../../dist/core/conf/state');

const fixtures = path.join(__dirname, 'fixtures');
configure({
  SECRET_KEY: 'static-tests',
  ALLOWED_HOSTS: ['*'],
  DATABASE_URL: 'sqlite::memory:',
  STATIC_DIRS: [path.join(fixtures, 'h1-static')],
  MEDIA_ROOT: path.join(fixtures, 'h1-media'),
});
state.frameworkStaticDirs.push(path.join(fixtures, 'h1-static-framework'));
route('page/', () => 'page');

const app = getApp();
const get = (url, headers = {}) => inject(app, { method: 'GET', url, headers });

test('STATIC_URL serves STATIC_DIRS with type, ETag, Last-Modified and security headers', async () => {
  const r = await get('/static/css/site.css');
  assert.equal(r.statusCode, 200);
  assert.match(r.headers['content-type'], /^text\/css/);
  assert.equal(r.payload, 'body { color: red; }\n');
  assert.ok(r.headers.etag);
  assert.ok(r.headers['last-modified']);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});

test('a fresh ETag or If-Modified-Since gives 304', async () => {
  const first = await get('/static/css/site.css');
  assert.equal((await get('/static/css/site.css', { 'if-none-match': first.headers.etag })).statusCode, 304);
  assert.equal((await get('/static/css/site.css', { 'if-modified-since': first.headers['last-modified'] })).statusCode, 304);
});

test("the app's STATIC_DIRS come before the framework's static folders", async () => {
  assert.equal((await get('/static/shared.txt')).payload, 'app wins\n');
  assert.equal((await get('/static/admin/base.js')).payload, 'admin.js\n');
  assert.equal((await get('/static/missing.css')).statusCode, 404);
});

test('regression: no path traversal and no dotfiles out of static folders', async () => {
  for (const url of ['/static/../static.test.js', '/static/%2e%2e/static.test.js', '/static/..%2fstatic.test.js',
    '/static/css/%2e%2e/%2e%2e/h1-media/photo.txt', '/static/.env']) {
    const r = await get(url);
    assert.notEqual(r.statusCode, 200, url);
    assert.doesNotMatch(r.payload, /SECRET=1|require\(|uploaded/, url);
  }
});

test('MEDIA_URL serves MEDIA_ROOT', async () => {
  const r = await get('/media/photo.txt');
  assert.equal(r.statusCode, 200);
  assert.equal(r.payload, 'uploaded\n');
});

test('only GET and HEAD are served; routes still work next to static files', async () => {
  assert.equal((await inject(app, { method: 'HEAD', url: '/static/css/site.css' })).statusCode, 200);
  assert.equal((await inject(app, { method: 'POST', url: '/static/css/site.css' })).statusCode, 404);
  assert.equal((await get('/page/')).payload, 'page');
});
