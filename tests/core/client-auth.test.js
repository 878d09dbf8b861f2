// The Client against the real sessions/auth batteries: login(), forceLogin(), logout(), and CSRF on real forms.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const warnings = []; // every warning of this process: a run of tests must print none
process.on('warning', (w) => warnings.push(w));
process.env.MANOUCHE_TESTING = '1'; // the test database: in-memory SQLite, migrated by the lifecycle hooks
const { configure, route, render, redirect, template, messages, User } = require('manouche');
const { Client } = require('manouche/test');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({
  auth: true, DEBUG: true, SECRET_KEY: 'client-auth-test-key', DATABASE_URL: 'sqlite::memory:',
  SESSION_STORE: 'memory', SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 },
});

template.add('form.html', '<form method="post">{{ csrfInput() }}</form>');
template.add('inbox.html', '<ul>{% for m in messages %}<li class="{{ m.tags }}">{{ m.message }}</li>{% endfor %}</ul>');
route('save/', (req) => { messages.success(req, 'Saved <b>it</b>.'); return redirect('/inbox/'); }, { methods: ['POST'] });
route('inbox/', (req) => render(req, 'inbox.html'));
route('whoami/', (req) => ({ user: req.user.isAuthenticated ? req.user.username : null }));
route('form/', (req) => (req.method === 'POST' ? { posted: true } : render(req, 'form.html')), { methods: ['GET', 'POST'] });

let ann;
before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  ann = await User.createUser({ username: 'ann', password: 'correct-horse-42' });
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

test('login() is true for good credentials and the next requests are that user; logout() ends it', async () => {
  const client = new Client();
  assert.equal(await client.login({ username: 'ann', password: 'wrong-password' }), false);
  assert.deepEqual((await client.get('/whoami/')).json(), { user: null });
  assert.equal(await client.login({ username: 'ann', password: 'correct-horse-42' }), true);
  assert.deepEqual((await client.get('/whoami/')).json(), { user: 'ann' });
  await client.logout();
  assert.deepEqual((await client.get('/whoami/')).json(), { user: null });
});

test('forceLogin() logs a user in without the password', async () => {
  const client = new Client();
  await client.forceLogin(ann);
  assert.deepEqual((await client.get('/whoami/')).json(), { user: 'ann' });
});

test('a default Client passes CSRF on POST like a browser; enforceCsrfChecks gets the 403', async () => {
  assert.equal((await new Client().post('/form/', { a: '1' })).status, 200);
  const strict = await new Client({ enforceCsrfChecks: true }).post('/form/', { a: '1' });
  assert.equal(strict.status, 403);
});

test('with enforceCsrfChecks, the token from the rendered form (csrfInput) and its cookie make the POST pass', async () => {
  const client = new Client({ enforceCsrfChecks: true });
  const page = await client.get('/form/');
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text)?.[1];
  assert.ok(token, page.text);
  assert.ok(client.cookies.get(state.settings.CSRF_COOKIE_NAME), 'the page set the CSRF cookie');
  const res = await client.post('/form/', { csrfmiddlewaretoken: token });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json(), { posted: true });
});

test('a message added before a redirect shows, escaped, on the page the Client follows to, then only once', async () => {
  const client = new Client();
  const res = await client.post('/save/', {}, { follow: true });
  assert.deepEqual(res.redirectChain, [['/inbox/', 302]]);
  assert.equal(res.text, '<ul><li class="success">Saved &lt;b&gt;it&lt;/b&gt;.</li></ul>');
  assert.equal((await client.get('/inbox/')).text, '<ul></ul>');
});

test('requests through sessions printed no deprecation warning from the in-process injection', async () => {
  const client = new Client();
  await client.login({ username: 'ann', password: 'correct-horse-42' });
  await client.get('/whoami/');
  await client.post('/form/', {});
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(warnings.map((w) => `${w.code}: ${w.message}`), []);
});
