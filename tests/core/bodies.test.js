// Request bodies, Django's way (issue 10): read only after resolution and the CSRF check, only when nobody else took
// them; field/file limits; big files on disk until the response ends; prototype keys refused however spelled.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const inject = require('light-my-request');
const { configure, route, getApp, csrfExempt } = require('manouche');

process.env.MANOUCHE_TESTING = '1';
const after = [];
configure({
  SECRET_KEY: 'bodies-tests',
  ALLOWED_HOSTS: ['*'],
  DATABASE_URL: 'sqlite::memory:',
  SESSION_STORE: 'memory',
  sessions: true,
  DATA_UPLOAD_MAX_NUMBER_FIELDS: 5,
  DATA_UPLOAD_MAX_NUMBER_FILES: 2,
  FILE_UPLOAD_MAX_MEMORY_SIZE: 1000,
  // What happened to the request body, seen once the response is over.
  MIDDLEWARE: [(req, res, next) => { res.on('finish', () => after.push({ url: req.url, read: req.readableDidRead, body: req.body })); next(); }],
});
const echo = (req) => ({ body: req.body ?? null, files: (req.files || []).map((f) => ({ name: f.filename, size: f.size, onDisk: Boolean(f.path), text: f.buffer.toString() })) });
route('form/', echo, { name: 'form' });
route('open/', csrfExempt((req) => echo(req)));
let diskPath;
route('upload/', csrfExempt((req) => {
  diskPath = req.files[0].path;
  return { exists: fs.existsSync(diskPath), size: req.files[0].size, head: req.files[0].buffer.subarray(0, 3).toString() };
}));
route('preset/', csrfExempt((req) => ({ body: req.body })), { middleware: [(req, res, next) => { req.body = { from: 'middleware' }; next(); }] });
route('consumed/', csrfExempt((req) => ({ body: req.body, raw: req.raw })), {
  middleware: [(req, res, next) => { let raw = ''; req.setEncoding('utf8'); req.on('data', (c) => { raw += c; }); req.on('end', () => { req.raw = raw; next(); }); }],
});

const app = getApp();
const SECRET = 'abcdefghijABCDEFGHIJ0123456789xy';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (url, payload, headers = {}) => inject(app, { method: 'POST', url, payload, headers: { accept: 'application/json', ...headers } });
const last = () => after[after.length - 1];

function multipart(parts) {
  const boundary = '----manouche' + Math.random().toString(16).slice(2);
  const chunks = parts.map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"\r\nContent-Type: text/plain` : ''}\r\n\r\n${p.value}\r\n`);
  return { payload: chunks.join('') + `--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('nothing is read before URL resolution: a POST to an unknown URL is a 404 with its body unread', async () => {
  const { payload, headers } = multipart([{ name: 'f', filename: 'big.bin', value: 'x'.repeat(50000) }]);
  const r = await post('/no-such-page/', payload, headers);
  assert.equal(r.statusCode, 404);
  assert.equal(last().read, false);
  assert.equal(last().body, undefined);
});

test('nothing is read before the CSRF check: a forged POST (no cookie) is refused with its body unread', async () => {
  const r = await post('/form/', 'a=1', FORM);
  assert.equal(r.statusCode, 403);
  assert.equal(last().read, false);
});

test('the CSRF token is read from the form body after resolution (urlencoded and multipart), then the view gets it', async () => {
  const cookie = { cookie: `csrftoken=${SECRET}` };
  const f = await post('/form/', `csrfmiddlewaretoken=${SECRET}&title=Hi`, { ...FORM, ...cookie });
  assert.equal(f.statusCode, 200, f.payload);
  assert.deepEqual(f.json().body, { csrfmiddlewaretoken: SECRET, title: 'Hi' });
  const { payload, headers } = multipart([{ name: 'csrfmiddlewaretoken', value: SECRET }, { name: 'doc', filename: 'a.txt', value: 'hello' }]);
  const m = await post('/form/', payload, { ...headers, ...cookie });
  assert.equal(m.statusCode, 200, m.payload);
  assert.deepEqual(m.json().files, [{ name: 'a.txt', size: 5, onDisk: false, text: 'hello' }]);
  const bad = await post('/form/', 'csrfmiddlewaretoken=wrong&title=Hi', { ...FORM, ...cookie });
  assert.equal(bad.statusCode, 403);
});

test('DATA_UPLOAD_MAX_NUMBER_FIELDS and DATA_UPLOAD_MAX_NUMBER_FILES: more is a 400 naming the setting', async () => {
  const six = 'a=1&b=2&c=3&d=4&e=5&f=6';
  assert.equal((await post('/open/', 'a=1&b=2&c=3&d=4&e=5', FORM)).statusCode, 200);
  const fields = await post('/open/', six, FORM);
  assert.equal(fields.statusCode, 400);
  assert.match(fields.json().error, /DATA_UPLOAD_MAX_NUMBER_FIELDS \(5\)/);
  const mp = multipart('abcdef'.split('').map((n) => ({ name: n, value: '1' })));
  assert.equal((await post('/open/', mp.payload, mp.headers)).statusCode, 400);
  const files = multipart([1, 2, 3].map((i) => ({ name: `f${i}`, filename: `${i}.txt`, value: 'x' })));
  const rf = await post('/open/', files.payload, files.headers);
  assert.equal(rf.statusCode, 400);
  assert.match(rf.json().error, /DATA_UPLOAD_MAX_NUMBER_FILES \(2\)/);
});

test('a file over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file, removed once the response is over', async () => {
  const { payload, headers } = multipart([{ name: 'doc', filename: 'big.txt', value: `abc${'z'.repeat(5000)}` }]);
  const r = await post('/upload/', payload, headers);
  assert.deepEqual(r.json(), { exists: true, size: 5003, head: 'abc' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(fs.existsSync(diskPath), false);
});

test('prototype keys are refused however they are spelled, "\\u005f_proto__" included', async () => {
  for (const payload of ['{"\\u005f_proto__":{"admin":true}}', '{"a":{"c\\u006fnstructor":{}}}', '{"__proto__":1}']) {
    const r = await post('/open/', payload, { 'content-type': 'application/json' });
    assert.equal(r.statusCode, 400, payload);
    assert.match(r.json().error, /forbidden key/);
  }
  assert.equal((await post('/open/', '{"text":"\\u00e9t\\u00e9"}', { 'content-type': 'application/json' })).json().body.text, 'été');
});

test('a body set or consumed by middleware is left alone', async () => {
  assert.deepEqual((await post('/preset/', '{"a":1}', { 'content-type': 'application/json' })).json(), { body: { from: 'middleware' } });
  const c = await post('/consumed/', '{"a":1}', { 'content-type': 'application/json' });
  assert.equal(c.statusCode, 200);
  assert.deepEqual(c.json(), { raw: '{"a":1}' }, 'req.body stays unset: the stream was not ours');
});
