// manouche's app is express's own: built from express's lib/ without its body parsers, it must be what express()
// returns — the same methods, settings, request and response prototypes — so that express middleware and code that
// extends express.request/express.response work on it.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');

test('createExpressApp() gives what express() gives', () => {
  const express = require('express');
  const { createExpressApp } = require('../../dist/core/http/express');
  const ours = createExpressApp();
  const theirs = express();
  assert.equal(typeof ours, 'function');
  assert.equal(Object.getPrototypeOf(ours.request), express.request);
  assert.equal(Object.getPrototypeOf(ours.response), express.response);
  assert.equal(ours.request.app, ours);
  assert.equal(ours.response.app, ours);
  for (const name of [...Object.keys(express.application), 'on', 'emit', 'once']) {
    assert.equal(ours[name], theirs[name], `app.${name}`);
  }
  const plain = (settings) => Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, typeof v === 'function' ? v.name || 'fn' : v]));
  assert.deepEqual(plain(ours.settings), plain(theirs.settings));
  assert.deepEqual(Object.keys(ours.locals), Object.keys(theirs.locals));
  assert.equal(ours.mountpath, theirs.mountpath);
});

test("the app serves without loading express's body parsers, and code that extends express.response still works", () => {
  const code = `
    const express = require('express/lib/response');
    express.sayHello = function () { return this.send('hello from an extension'); };
    const { configure, route, getApp } = require('manouche');
    configure({ SECRET_KEY: 'x'.repeat(50), ALLOWED_HOSTS: ['*'] });
    route('', (req) => { req.res.sayHello(); });
    const server = getApp().listen(0, '127.0.0.1', async () => {
      const res = await fetch('http://127.0.0.1:' + server.address().port + '/');
      const loaded = Object.keys(require.cache).filter((f) => /node_modules\\/(body-parser|raw-body|iconv-lite)\\//.test(f));
      process.stdout.write(JSON.stringify({ status: res.status, body: await res.text(), loaded }));
      server.close();
    });`;
  const res = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(JSON.parse(res.stdout), { status: 200, body: 'hello from an extension', loaded: [] });
});

test("qs and mime-types load at their first use, not with the app; later requires get the modules themselves", () => {
  const code = `
    const { createExpressApp } = require('./dist/core/http/express');
    const loaded = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
    const qsLoaded = () => loaded('qs') || loaded('mime-db');
    const plain = createExpressApp();
    const extended = createExpressApp().set('query parser', 'extended');
    const afterCreate = qsLoaded();
    // As manouche's responses do: a full content type with setHeader (express's res.json/res.set look the type up in mime-types).
    for (const app of [plain, extended]) app.get('/', (req, res) => res.setHeader('Content-Type', 'application/json').end(JSON.stringify(req.query)));
    plain.get('/png', (req, res) => res.type('png').send(Buffer.from('x')));
    const get = (app, url) => new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', async () => {
        const res = await fetch('http://127.0.0.1:' + server.address().port + url);
        server.close();
        resolve(url === '/png' ? res.headers.get('content-type') : await res.json());
      });
    });
    (async () => {
      const simple = await get(plain, '/?a[b]=1&c=2');
      const afterSimple = qsLoaded();
      const nested = await get(extended, '/?a[b]=1&c=2');
      const png = await get(plain, '/png');
      const qs = require(require.resolve('qs', { paths: [require.resolve('express')] }));
      const mime = require(require.resolve('mime-types', { paths: [require.resolve('express')] }));
      process.stdout.write(JSON.stringify({ afterCreate, simple, afterSimple, nested, png, real: [typeof qs.stringify, mime.lookup('a.css')] }));
    })();`;
  const res = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(JSON.parse(res.stdout), {
    afterCreate: false, simple: { 'a[b]': '1', c: '2' }, afterSimple: false, nested: { a: { b: '1' }, c: '2' }, png: 'image/png',
    real: ['function', 'text/css'],
  });
});
