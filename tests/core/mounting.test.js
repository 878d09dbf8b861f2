// Mounting both ways (issue 11): manouche inside an express app (script prefix on every generated URL, next() for
// what it does not match), and an express Router inside manouche (include()).
'use strict';
const { test, before, after } = require('node:test');
const http = require('node:http');
const assert = require('node:assert/strict');
const express = require('express');
const m = require('manouche');

process.env.MANOUCHE_TESTING = '1';
m.configure({
  SECRET_KEY: 'mounting-tests',
  ALLOWED_HOSTS: ['*'],
  DATABASE_URL: 'sqlite::memory:',
  SESSION_STORE: 'memory',
  admin: true,
});
m.template.add('links.html', '<a href="{{ url(\'about\') }}">about</a> <link href="{{ static(\'site.css\') }}">');
m.route('about/', () => ({ url: m.reverse('about') }), { name: 'about' });
m.route('links/', (req) => m.render(req, 'links.html'), { name: 'links' });
m.route('go/', () => m.redirect(m.reverse('about')));
m.route('private/', m.loginRequired(() => 'secret'), { name: 'private' });
const inner = express.Router();
inner.get('/hello', (req, res) => res.json({ baseUrl: req.baseUrl, url: req.url, originalUrl: req.originalUrl }));
m.include('ext/', inner);

const app = m.getApp();
const outer = express();
outer.get('/before', (req, res) => res.send('outer before'));
outer.use('/blog', app);
outer.get('/after', (req, res) => res.send('outer after'));
outer.get('/blog/outer-only', (req, res) => res.send('outer under the prefix'));
// Real servers: light-my-request re-parents express's shared prototypes, which two express apps cannot share.
const bases = new Map();
before(async () => {
  for (const target of [outer, app]) {
    const server = http.createServer(target);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    bases.set(target, { server, base: `http://127.0.0.1:${server.address().port}` });
  }
});
after(() => { for (const { server } of bases.values()) server.close(); });
async function get(target, url, headers = {}) {
  const r = await fetch(bases.get(target).base + url, { headers, redirect: 'manual' });
  const payload = await r.text();
  return { statusCode: r.status, headers: Object.fromEntries(r.headers), payload, json: () => JSON.parse(payload) };
}

test('mounted at /blog: reverse(), url(), static() and redirects carry the prefix', async () => {
  assert.deepEqual((await get(outer, '/blog/about/')).json(), { url: '/blog/about/' });
  const page = (await get(outer, '/blog/links/')).payload;
  assert.match(page, /href="\/blog\/about\/"/);
  assert.match(page, /href="\/blog\/static\/site.css"/);
  assert.equal((await get(outer, '/blog/go/')).headers.location, '/blog/about/');
  assert.equal((await get(outer, '/blog/about')).headers.location, '/blog/about/', 'APPEND_SLASH');
  // Served at the root, the same app builds root URLs again.
  assert.deepEqual((await get(app, '/about/')).json(), { url: '/about/' });
});

test('mounted: loginRequired and the admin (links, login form, CSS) stay under the prefix', async () => {
  const r = await get(outer, '/blog/private/');
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, '/blog/admin/login/?next=/blog/private/');
  const login = await get(outer, '/blog/admin/login/');
  assert.equal(login.statusCode, 200);
  assert.match(login.payload, /<form action="\/blog\/admin\/login\/"/);
  const css = login.payload.match(/<link rel="stylesheet" href="([^"]+)"/)[1];
  assert.equal(css, '/blog/static/admin/admin.css');
  assert.equal((await get(outer, css)).statusCode, 200);
  assert.match((await get(outer, '/blog/admin/')).headers.location, /^\/blog\/admin\/login\/\?next=/);
});

test('mounted: what no pattern matches goes on to the outer app (routes registered after the mount too)', async () => {
  assert.equal((await get(outer, '/before')).payload, 'outer before');
  assert.equal((await get(outer, '/after')).payload, 'outer after');
  assert.equal((await get(outer, '/blog/outer-only')).payload, 'outer under the prefix');
  assert.equal((await get(outer, '/blog/nothing-here/')).statusCode, 404);
  assert.equal((await get(app, '/nothing-here/')).statusCode, 404, 'served alone, the 404 is manouche\'s');
});

test('an express Router inside manouche sees express\'s req.baseUrl/req.url, also when manouche is mounted', async () => {
  assert.deepEqual((await get(app, '/ext/hello?x=1')).json(), { baseUrl: '/ext', url: '/hello?x=1', originalUrl: '/ext/hello?x=1' });
  assert.deepEqual((await get(outer, '/blog/ext/hello')).json(), { baseUrl: '/blog/ext', url: '/hello', originalUrl: '/blog/ext/hello' });
});
