// Response and its shortcuts, as values a view returns (and as the pipeline writes them).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');
const { configure, route, getApp, Response, html, text, json, redirect, fileResponse, BadRequest } = require('manouche');

configure({ SECRET_KEY: 'responses-tests', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });

test('json() serializes with a JSON content type; status and headers from init', () => {
  const r = json({ a: [1, 'é'] }, { status: 201, headers: { 'X-Total-Count': '1' } });
  assert.ok(r instanceof Response);
  assert.equal(r.status, 201);
  assert.equal(r.text, '{"a":[1,"é"]}');
  assert.deepEqual(r.headers, { 'x-total-count': '1', 'content-type': 'application/json; charset=utf-8' });
  assert.equal(json(undefined).text, 'null');
});

test('html() and text() set their content types unless init gives one', () => {
  assert.equal(html('<p>').headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(text('x').headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(text('a,b', { headers: { 'Content-Type': 'text/csv' } }).headers['content-type'], 'text/csv');
});

test('redirect() is 302, or 301 with permanent', () => {
  const r = redirect('/next/?a=1');
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, '/next/?a=1');
  assert.equal(redirect('https://example.com/', { permanent: true }).status, 301);
});

test('regression: redirect() refuses javascript: and data: URLs (400)', () => {
  for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>x</script>']) {
    assert.throws(() => redirect(url), (err) => err instanceof BadRequest && err.status === 400, url);
  }
});

test('fileResponse() resolves relative paths from the app folder and can ask for a download', async () => {
  route('download/', () => fileResponse('responses.test.js', { filename: 'copy "of" tests.js' }));
  const res = await inject(getApp(), { method: 'GET', url: '/download/' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-disposition'], 'attachment; filename="copy _of_ tests.js"');
  assert.match(res.payload, /fileResponse\(\) resolves relative paths/);
});

test('a Response with a Buffer body is written byte for byte with its length', async () => {
  const bytes = Buffer.from([0, 1, 2, 255]);
  route('bytes/', () => new Response(bytes, 200, { 'content-type': 'application/octet-stream' }));
  const res = await inject(getApp(), { method: 'GET', url: '/bytes/' });
  assert.equal(res.headers['content-length'], '4');
  assert.deepEqual(res.rawPayload, bytes);
});

test('a view may override a security header through its Response', async () => {
  route('framed/', () => html('<p>embeddable</p>', { headers: { 'X-Frame-Options': 'SAMEORIGIN' } }));
  const res = await inject(getApp(), { method: 'GET', url: '/framed/' });
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});
