// The express middleware people bring, each wired as its README says and asserted by its effect (issue 11): helmet,
// compression, morgan, cors, multer (on a route and in an include()d Router), express-rate-limit, passport-http.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const express = require('express');
const inject = require('light-my-request');
const helmet = require('helmet');
const compression = require('compression');
const morgan = require('morgan');
const cors = require('cors');
const multer = require('multer');
const { rateLimit } = require('express-rate-limit');
const { BasicStrategy } = require('passport-http');
const { useTestDatabase } = require('../auth/helpers');
const m = require('manouche');

const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-eco-'));
fs.writeFileSync(path.join(staticDir, 'big.css'), `body { color: red; }\n`.repeat(200));
const logLines = [];
m.configure({
  SECRET_KEY: 'ecosystem-tests',
  ALLOWED_HOSTS: ['*'],
  DATABASE_URL: 'sqlite::memory:',
  SESSION_STORE: 'memory',
  SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 },
  STATIC_DIRS: [staticDir],
  auth: true,
  MIDDLEWARE: [
    morgan('tiny', { stream: { write: (line) => logLines.push(line.trim()) } }),
    helmet(),
    compression(),
    cors({ origin: 'https://app.example' }),
  ],
});
m.use('/limited', rateLimit({ windowMs: 60_000, limit: 2, standardHeaders: 'draft-8', legacyHeaders: false }));

// The README snippet: HTTP Basic on manouche's own passport instance, behind loginRequired/permissionRequired.
m.passport.use(new BasicStrategy((username, password, done) => {
  m.authenticate(username, password).then((user) => done(null, user ?? false), done);
}));
const basic = m.passport.authenticate('basic', { session: false });
m.route('api/me/', m.loginRequired((req) => ({ username: req.user.username })), { middleware: [basic] });
m.route('api/posts/', m.permissionRequired('blog.change_post')(() => ({ ok: true })), { middleware: [basic] });

const upload = multer({ storage: multer.memoryStorage() });
const received = (req) => ({ title: req.body.title, file: req.file && { name: req.file.originalname, size: req.file.size, text: req.file.buffer.toString() } });
m.route('upload/', (req) => received(req), { methods: ['POST'], middleware: [upload.single('doc')] });
const router = express.Router();
router.post('/upload', upload.single('doc'), (req, res) => res.json(received(req)));
m.include('files/', router);
m.route('things/', () => ({ things: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `thing ${i}` })) }), { methods: ['POST', 'GET'] });
m.route('limited/', () => ({ ok: true }));

const app = m.getApp();
useTestDatabase();
const call = (opts) => inject(app, { method: 'GET', ...opts });
const SECRET = 'abcdefghijABCDEFGHIJ0123456789xy';

function multipart(parts) {
  const boundary = '----eco' + Math.random().toString(16).slice(2);
  const chunks = parts.map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"\r\nContent-Type: text/plain` : ''}\r\n\r\n${p.value}\r\n`);
  return { payload: chunks.join('') + `--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: `csrftoken=${SECRET}` } };
}

test('helmet: its headers on views, 404s and static files, and its values win over the framework defaults', async () => {
  for (const url of ['/things/', '/nope/', '/static/big.css']) {
    const r = await call({ url });
    assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN', url);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', url);
    assert.match(r.headers['content-security-policy'], /default-src 'self'/, url);
  }
});

test('compression: JSON views and static files are gzipped when asked', async () => {
  for (const url of ['/things/', '/static/big.css']) {
    const r = await call({ url, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(r.statusCode, 200, url);
    assert.equal(r.headers['content-encoding'], 'gzip', url);
    assert.ok(zlib.gunzipSync(r.rawPayload).length > r.rawPayload.length, url);
  }
  const things = await call({ url: '/things/', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(JSON.parse(zlib.gunzipSync(things.rawPayload)).things.length, 200);
});

test('morgan: one log line per request, 404s, redirects and static files included', async () => {
  logLines.length = 0;
  for (const url of ['/things/', '/nope/', '/things', '/static/big.css']) await call({ url });
  assert.deepEqual(logLines.map((l) => l.split(' ').slice(0, 3).join(' ')), ['GET /things/ 200', 'GET /nope/ 404', 'GET /things 301', 'GET /static/big.css 200']);
});

test('cors: a preflight to a route with methods is answered by cors; CSRF refusals carry the CORS headers', async () => {
  const pre = await call({ method: 'OPTIONS', url: '/upload/', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
  assert.equal(pre.statusCode, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example');
  assert.match(pre.headers['access-control-allow-methods'], /POST/);
  const refused = await call({ method: 'POST', url: '/things/', payload: {}, headers: { origin: 'https://app.example' } });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.headers['access-control-allow-origin'], 'https://app.example');
});

test('multer on a route: the upload is received (its form token passes CSRF)', async () => {
  const { payload, headers } = multipart([{ name: 'csrfmiddlewaretoken', value: SECRET }, { name: 'title', value: 'Hello' }, { name: 'doc', filename: 'a.txt', value: 'file content' }]);
  const r = await call({ method: 'POST', url: '/upload/', payload, headers });
  assert.equal(r.statusCode, 200, r.payload);
  assert.deepEqual(r.json(), { title: 'Hello', file: { name: 'a.txt', size: 12, text: 'file content' } });
});

test('multer inside an include()d express Router: the upload is received (token in the X-CSRFToken header)', async () => {
  const { payload, headers } = multipart([{ name: 'title', value: 'Routed' }, { name: 'doc', filename: 'b.txt', value: 'routed content' }]);
  const r = await call({ method: 'POST', url: '/files/upload', payload, headers: { ...headers, 'x-csrftoken': SECRET } });
  assert.equal(r.statusCode, 200, r.payload);
  assert.deepEqual(r.json(), { title: 'Routed', file: { name: 'b.txt', size: 14, text: 'routed content' } });
});

test('express-rate-limit on use(path): the third request in the window is a 429 with its RateLimit headers', async () => {
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await call({ url: '/limited/' })).statusCode);
  assert.deepEqual(statuses, [200, 200, 429]);
  assert.match((await call({ url: '/limited/' })).headers['ratelimit-policy'], /q=2/);
  assert.equal((await call({ url: '/things/' })).statusCode, 200, 'other paths are not limited');
});

test('a second passport strategy (HTTP Basic) on manouche\'s passport works with loginRequired and permissionRequired', async () => {
  await m.User.createUser({ username: 'ann', password: 'correct-horse-42' });
  await m.User.createSuperuser({ username: 'root', password: 'correct-horse-43', email: 'root@example.com' });
  const auth = (u, p) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
  const me = await call({ url: '/api/me/', headers: auth('ann', 'correct-horse-42') });
  assert.equal(me.statusCode, 200, me.payload);
  assert.deepEqual(me.json(), { username: 'ann' });
  const wrong = await call({ url: '/api/me/', headers: auth('ann', 'nope') });
  assert.equal(wrong.statusCode, 401);
  assert.match([].concat(wrong.headers['www-authenticate'])[0], /^Basic/);
  assert.equal((await call({ url: '/api/posts/', headers: { ...auth('ann', 'correct-horse-42'), accept: 'application/json' } })).statusCode, 403);
  assert.equal((await call({ url: '/api/posts/', headers: auth('root', 'correct-horse-43') })).statusCode, 200);
});
