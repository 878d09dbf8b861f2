// The test Client: requests in-process, a browser's cookie jar, CSRF like a browser, redirects, and login via the auth bridge.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const express = require('express');
const { configure, route, json, redirect, ImproperlyConfigured } = require('manouche');
const { Client } = require('manouche/test');
const { state } = require('../../dist/core/conf/state');

configure({ DEBUG: true, SECRET_KEY: 'client-test-key', DATABASE_URL: 'sqlite::memory:' });
route('hello/', (req) => json({ path: req.path, query: req.query, host: req.get('host') }), { name: 'hello' });
route('go/', () => redirect('/hello/?from=go'));
route('upload/', (req) => ({
  body: req.body,
  files: (req.files || []).map((f) => ({ field: f.fieldname, name: f.filename, type: f.mimeType, text: f.buffer.toString('utf8') })),
}));

// A bare express app: the Client works with any (req, res) handler, and this one shows exactly what was sent.
const seen = [];
const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(express.json());
app.use(express.text());
app.all('/echo', (req, res) => {
  seen.push(req);
  res.json({ method: req.method, body: req.body, query: req.query, headers: req.headers });
});
app.get('/set', (req, res) => {
  res.cookie('theme', 'dark');
  res.cookie('scoped', 'yes', { path: '/account' });
  res.cookie('short', 'lived', { maxAge: 60_000 });
  res.send('ok');
});
app.get('/forget', (req, res) => {
  res.cookie('theme', '', { maxAge: 0 });
  res.cookie('short', '', { expires: new Date(0) });
  res.send('ok');
});
app.get('/account/cookies', (req, res) => res.send(req.headers.cookie || ''));
app.get('/cookies', (req, res) => res.send(req.headers.cookie || ''));
app.get('/hop/:n', (req, res) => {
  const n = Number(req.params.n);
  res.redirect(n > 0 ? 302 : 301, n > 0 ? `${n - 1}` : '/echo?done=1');
});
app.post('/see-other', (req, res) => res.redirect(303, '/echo'));
app.post('/temporary', (req, res) => res.redirect(307, '/echo'));
app.get('/loop', (req, res) => res.redirect('/loop'));
app.get('/away', (req, res) => res.redirect('https://example.com/elsewhere'));
app.get('/html', (req, res) => res.send('<p>not json</p>'));

test('the default app is the configured one: requests go in-process, Host is localhost', async () => {
  const res = await new Client().get('/hello/', { query: { q: 'a b', tag: ['x', 'y'] } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { path: '/hello/', query: { q: 'a b', tag: ['x', 'y'] }, host: 'localhost' });
  assert.equal(res.url, '/hello/?q=a+b&tag=x&tag=y');
});

test('headers are a plain object with lower-case names; text and body hold the payload', async () => {
  const res = await new Client(app).get('/echo', { headers: { 'X-Custom': 'v' } });
  assert.equal(Object.getPrototypeOf(res.headers), Object.prototype);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.equal(typeof res.headers['content-length'], 'string');
  assert.equal(res.json().headers['x-custom'], 'v');
  assert.equal(res.text, res.body.toString('utf8'));
});

test('json() on a body that is not JSON throws an error showing the status, type and body', async () => {
  const res = await new Client(app).get('/html');
  assert.throws(() => res.json(), /not JSON \(status 200, content-type text\/html.*<p>not json<\/p>/);
});

test('post() sends a urlencoded form by default, JSON with { json: true } or a JSON content type', async () => {
  const client = new Client(app);
  let res = await client.post('/echo', { title: 'Hi & bye', tags: ['a', 'b'], empty: null });
  assert.match(res.json().headers['content-type'], /^application\/x-www-form-urlencoded/);
  assert.deepEqual(res.json().body, { title: 'Hi & bye', tags: ['a', 'b'] });
  res = await client.post('/echo', { n: 1, nested: { ok: true } }, { json: true });
  assert.equal(res.json().headers['content-type'], 'application/json');
  assert.deepEqual(res.json().body, { n: 1, nested: { ok: true } });
  res = await client.patch('/echo', { n: 2 }, { headers: { 'Content-Type': 'application/json' } });
  assert.deepEqual(res.json().body, { n: 2 });
  res = await client.put('/echo', 'raw text');
  assert.equal(res.json().body, 'raw text');
});

test('a form holding a file is sent as multipart/form-data, fields and files intact', async () => {
  const res = await new Client().post('/upload/', {
    title: 'Report "Q1"',
    tags: ['a', 'b'],
    file: { filename: 'notes.txt', content: Buffer.from('line 1\r\nline 2'), contentType: 'text/plain' },
  });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json().files, [{ field: 'file', name: 'notes.txt', type: 'text/plain', text: 'line 1\r\nline 2' }]);
  assert.equal(res.json().body.title, 'Report "Q1"');
  assert.deepEqual([res.json().body.tags].flat(), ['a', 'b']);
});

test('a full URL is accepted: only its path and query are used', async () => {
  const res = await new Client().get('http://localhost/hello/?x=1');
  assert.deepEqual(res.json().query, { x: '1' });
  assert.equal(res.url, '/hello/?x=1');
});

test('every method is available: get, post, put, patch, delete, head, options', async () => {
  const client = new Client(app);
  for (const method of ['get', 'post', 'put', 'patch', 'delete', 'options']) {
    const res = await client[method]('/echo');
    assert.equal(res.json().method, method.toUpperCase());
  }
  const head = await client.head('/echo');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('unsafe methods carry X-CSRFToken from the csrftoken cookie (made up once if absent) and an Origin', async () => {
  const client = new Client(app);
  const first = (await client.post('/echo', {})).json().headers;
  assert.match(first['x-csrftoken'], /^[a-zA-Z0-9]{32}$/);
  assert.equal(first.origin, 'http://localhost');
  assert.ok(first.cookie.includes(`csrftoken=${first['x-csrftoken']}`));
  const second = (await client.delete('/echo')).json().headers;
  assert.equal(second['x-csrftoken'], first['x-csrftoken']);
  const safe = (await client.get('/echo')).json().headers;
  assert.equal(safe['x-csrftoken'], undefined);
  assert.equal(safe.origin, undefined);
  client.cookies.set('csrftoken', 'fromtheserverfromtheserverfromth');
  assert.equal((await client.put('/echo')).json().headers['x-csrftoken'], 'fromtheserverfromtheserverfromth');
});

test('enforceCsrfChecks sends no token and no Origin; host changes Host and Origin', async () => {
  const strict = (await new Client(app, { enforceCsrfChecks: true }).post('/echo', {})).json().headers;
  assert.equal(strict['x-csrftoken'], undefined);
  assert.equal(strict.origin, undefined);
  const other = (await new Client(app, { host: 'example.com' }).post('/echo', {})).json().headers;
  assert.equal(other.host, 'example.com');
  assert.equal(other.origin, 'http://example.com');
  const optionsOnly = new Client({ enforceCsrfChecks: true });
  assert.equal(optionsOnly.enforceCsrfChecks, true);
  assert.equal((await optionsOnly.get('/hello/')).status, 200);
});

test('cookies are kept, sent back by path, and removed by Max-Age=0 or a past Expires', async () => {
  const client = new Client(app);
  const set = await client.get('/set');
  assert.equal(set.headers['set-cookie'].length, 3);
  assert.equal(await client.get('/cookies').then((r) => r.text), 'theme=dark; short=lived');
  const account = (await client.get('/account/cookies')).text;
  assert.ok(account.startsWith('scoped=yes'), account);
  assert.equal(client.cookies.get('theme'), 'dark');
  await client.get('/forget');
  assert.equal((await client.get('/cookies')).text, '');
  assert.equal((await client.get('/account/cookies')).text, 'scoped=yes');
});

test('{ follow: true } follows redirects (relative Location resolved) and records the chain', async () => {
  const res = await new Client(app).get('/hop/2', { follow: true });
  assert.equal(res.status, 200);
  assert.equal(res.url, '/echo?done=1');
  assert.deepEqual(res.redirectChain, [['/hop/1', 302], ['/hop/0', 302], ['/echo?done=1', 301]]);
  assert.deepEqual(res.json().query, { done: '1' });
  const unfollowed = await new Client(app).get('/hop/2');
  assert.equal(unfollowed.status, 302);
  assert.deepEqual(unfollowed.redirectChain, []);
  const viaApp = await new Client().get('/go/', { follow: true });
  assert.deepEqual(viaApp.json().query, { from: 'go' });
});

test('a 303 after POST becomes a GET without body; a 307 repeats the POST with its body', async () => {
  const client = new Client(app);
  const seeOther = await client.post('/see-other', { a: '1' }, { follow: true, json: true, headers: { 'X-Kept': 'yes' } });
  assert.equal(seeOther.json().method, 'GET');
  assert.equal(seeOther.json().headers['content-type'], undefined);
  assert.equal(seeOther.json().headers['x-kept'], 'yes');
  const temporary = await client.post('/temporary', { a: '1' }, { follow: true });
  assert.equal(temporary.json().method, 'POST');
  assert.deepEqual(temporary.json().body, { a: '1' });
});

test('more than 20 redirects is an error; a redirect to another site is not followed', async () => {
  await assert.rejects(new Client(app).get('/loop', { follow: true }), /Too many redirects \(more than 20\)/);
  const away = await new Client(app).get('/away', { follow: true });
  assert.equal(away.status, 302);
  assert.deepEqual(away.redirectChain, [['https://example.com/elsewhere', 302]]);
});

test('login(), forceLogin() and logout() need the auth battery, and say so', async () => {
  const client = new Client(app);
  await assert.rejects(client.login({ username: 'a', password: 'b' }), (err) => err instanceof ImproperlyConfigured && /configure\(\{ auth: true \}\)/.test(err.message));
  await assert.rejects(client.forceLogin({}), /client\.forceLogin\(\) needs the auth battery/);
  await assert.rejects(client.logout(), /client\.logout\(\) needs the auth battery/);
});

test('login() checks credentials through the auth bridge and keeps the session cookies; logout() ends the session and forgets cookies', async () => {
  const ended = [];
  state.authBridge = {
    async authenticate(username, password) { return username === 'ann' && password === 'right-pass' ? { id: 7 } : null; },
    async sessionCookiesFor(user) { return { sessionid: `session-of-${user.id}` }; },
    async endSession(cookies) { ended.push(cookies); },
  };
  try {
    const client = new Client(app);
    assert.equal(await client.login({ username: 'ann', password: 'wrong' }), false);
    assert.equal((await client.get('/cookies')).text, '');
    assert.equal(await client.login({ username: 'ann', password: 'right-pass' }), true);
    assert.equal((await client.get('/cookies')).text, 'sessionid=session-of-7');
    await client.logout();
    assert.deepEqual(ended, [{ sessionid: 'session-of-7' }]);
    assert.equal((await client.get('/cookies')).text, '');
    await client.forceLogin({ id: 9 });
    assert.equal(client.cookies.get('sessionid'), 'session-of-9');
  } finally {
    delete state.authBridge;
  }
});
