// The auth views and decorators as an app uses them: overridable templates, JSON login, class-based views, next on the form.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase } = require('./helpers');
const { configure, route, json, html, View, getApp, User, loginRequired, permissionRequired, template, reverse, login, logout, authenticate, messages } = require('manouche');
const { Client } = require('manouche/test');

configure({ ...baseSettings(), auth: true, LOGIN_REDIRECT_URL: '/home/' });
template.add('registration/logged_out.html', 'Bye from the app{% for m in messages %} [{{ m.message }}]{% endfor %}');
template.add('403_csrf.html', 'Custom CSRF page: {{ reason }}');

class Dashboard extends View {
  get(req) { return json({ dashboard: req.user.username }); }
}
route('dashboard/', loginRequired(Dashboard), { name: 'dashboard' });
route('admin-ish/', permissionRequired(['blog.add_post', 'blog.change_post'])(class extends View { get() { return html('ok'); } }));
// An app's own login endpoint, built on authenticate() and login() (what the SPEC's API offers).
route('api/login/', async (req) => {
  const user = await authenticate(req.body.username, req.body.password, req);
  if (!user) return json({ error: 'invalid credentials' }, { status: 400 });
  await login(req, user);
  return json({ ok: true, username: user.username });
}, { methods: ['POST'] });
route('api/logout/', async (req) => { await logout(req); messages.info(req, 'See you'); return json({ ok: true }); }, { methods: ['POST'] });
route('whoami/', (req) => json({ username: req.user.username || null }));
useTestDatabase();

const PASSWORD = 'violet-tractor-93!';

test('once the app is built (run() does it), the accounts views have Django\'s URL names', () => {
  getApp();
  assert.equal(reverse('login'), '/accounts/login/');
  assert.equal(reverse('logout'), '/accounts/logout/');
  assert.equal(reverse('password_change'), '/accounts/password_change/');
  assert.equal(reverse('password_change_done'), '/accounts/password_change/done/');
});

test('loginRequired and permissionRequired work on class-based views', async () => {
  assert.equal((await new Client().get('/dashboard/')).headers.location, '/accounts/login/?next=/dashboard/');
  const ann = await User.createUser({ username: 'ann', password: PASSWORD });
  const c = new Client();
  await c.forceLogin(ann);
  assert.deepEqual((await c.get('/dashboard/')).json(), { dashboard: 'ann' });
  assert.equal((await c.get('/admin-ish/')).status, 403);
  const root = await User.createSuperuser({ username: 'root', password: PASSWORD, email: '' });
  const r = new Client();
  await r.forceLogin(root);
  assert.equal((await r.get('/admin-ish/')).text, 'ok');
});

test('the login view answers JSON clients with JSON, and goes to LOGIN_REDIRECT_URL by default', async () => {
  await User.createUser({ username: 'bob', password: PASSWORD });
  const c = new Client();
  const bad = await c.post('/accounts/login/', { username: 'bob', password: 'nope-nope-1' }, { json: true, headers: { accept: 'application/json' } });
  assert.equal(bad.status, 400);
  assert.match(bad.json().error, /Please enter a correct username and password/);
  const good = await c.post('/accounts/login/', { username: 'bob', password: PASSWORD }, { json: true, headers: { accept: 'application/json' } });
  assert.deepEqual(good.json(), { ok: true, next: '/home/', user: { id: good.json().user.id, username: 'bob' } });
  const form = await new Client().post('/accounts/login/', { username: 'bob', password: PASSWORD });
  assert.equal(form.headers.location, '/home/');
  assert.deepEqual((await c.get('/whoami/')).json(), { username: 'bob' });
});

test('an app\'s own JSON login with authenticate() and login(); logout() then messages on the fresh session', async () => {
  await User.createUser({ username: 'carl', password: PASSWORD });
  const c = new Client();
  assert.equal((await c.post('/api/login/', { username: 'carl', password: 'wrong-one-1' }, { json: true })).status, 400);
  assert.deepEqual((await c.post('/api/login/', { username: 'carl', password: PASSWORD }, { json: true })).json(), { ok: true, username: 'carl' });
  assert.deepEqual((await c.get('/whoami/')).json(), { username: 'carl' });
  await c.post('/api/logout/', {}, { json: true });
  assert.deepEqual((await c.get('/whoami/')).json(), { username: null });
});

test('the app\'s templates override the framework\'s (registration/*, 403_csrf.html)', async () => {
  await User.createUser({ username: 'dora', password: PASSWORD });
  const c = new Client();
  await c.get('/accounts/login/');
  await c.post('/accounts/login/', { username: 'dora', password: PASSWORD });
  const out = await c.post('/accounts/logout/');
  assert.equal(out.text, 'Bye from the app');
  const csrf = await new Client({ enforceCsrfChecks: true }).post('/accounts/login/', { username: 'dora' });
  assert.equal(csrf.status, 403);
  assert.equal(csrf.text, 'Custom CSRF page: CSRF cookie not set.');
});

test('the login form carries a safe next through the POST, and drops an unsafe one', async () => {
  await User.createUser({ username: 'eve', password: PASSWORD });
  const c = new Client();
  const page = await c.get('/accounts/login/?next=/dashboard/');
  assert.match(page.text, /name="next" value="\/dashboard\/"/);
  const evil = await c.get('/accounts/login/?next=https://evil.example/');
  assert.match(evil.text, /name="next" value=""/);
  const res = await c.post('/accounts/login/?next=/dashboard/', { username: 'eve', password: PASSWORD, next: '/dashboard/' });
  assert.equal(res.headers.location, '/dashboard/');
});
