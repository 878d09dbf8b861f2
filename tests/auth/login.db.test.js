// Logging in and out through the accounts/ views: session cookies, fixation, enumeration, redirects, req.user.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase, setCookie } = require('./helpers');
const { configure, route, json, User, loginRequired, permissionRequired, messages, render, template } = require('manouche');
const { Client } = require('manouche/test');

configure({ ...baseSettings(), auth: true, LOGIN_ATTEMPTS_LIMIT: 50 });
route('me/', (req) => json({ authenticated: req.user.isAuthenticated, username: req.user.username ?? '' }), { name: 'me' });
route('private/', loginRequired((req) => json({ secret: req.user.username })), { name: 'private' });
route('notes/', (req) => { req.session.visits = (req.session.visits ?? 0) + 1; return json({ visits: req.session.visits }); });
route('flash/', (req) => { messages.success(req, 'Saved <b>it</b>.'); return json({ ok: true }); });
template.add('page.html', '{% for m in messages %}<p class="{{ m.tags }}">{{ m.message }}</p>{% endfor %}|{{ user.username }}');
route('page/', (req) => render(req, 'page.html'));
useTestDatabase();

const PASSWORD = 'violet-tractor-93!';
const sessionCookie = (res) => setCookie(res, 'sessionid');
const sidOf = (res) => /^sessionid=([^;]*)/.exec(sessionCookie(res) ?? '')?.[1];

async function loginForm(client, fields, path = '/accounts/login/') {
  await client.get(path);
  return client.post(path, fields);
}

test('the login page has a form with the CSRF token; a good login redirects and sets the session cookie', async () => {
  await User.createUser({ username: 'ann', password: PASSWORD });
  const c = new Client();
  const page = await c.get('/accounts/login/');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="csrfmiddlewaretoken" value="[a-zA-Z0-9]{64}"/);
  assert.match(page.text, /name="username"/);
  const res = await c.post('/accounts/login/', { username: 'ann', password: PASSWORD });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/');
  const cookie = sessionCookie(res);
  assert.ok(cookie, 'a session cookie is set');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.match(cookie, /Expires=/);
  assert.doesNotMatch(cookie, /Secure/);
  assert.deepEqual((await c.get('/me/')).json(), { authenticated: true, username: 'ann' });
  const user = await User.findOne({ where: { username: 'ann' } });
  assert.ok(user.lastLogin instanceof Date, 'lastLogin is set');
});

test('unknown user, wrong password and inactive account get the same answer', async () => {
  await User.createUser({ username: 'bob', password: PASSWORD });
  await User.createUser({ username: 'sleepy', password: PASSWORD, isActive: false });
  const answers = [];
  for (const fields of [{ username: 'nobody', password: PASSWORD }, { username: 'bob', password: 'wrong-password-1' }, { username: 'sleepy', password: PASSWORD }]) {
    const res = await loginForm(new Client(), fields);
    answers.push([res.status, res.text.replace(/value="[^"]*"/g, '')]);
    assert.equal(sessionCookie(res), undefined, 'no session for a failed login');
  }
  assert.equal(answers[0][0], 200);
  assert.match(answers[0][1], /Please enter a correct username and password\. Note that both fields may be case-sensitive\./);
  assert.deepEqual(answers[1], answers[0]);
  assert.deepEqual(answers[2], answers[0]);
});

test('login rotates the session id (no fixation) and keeps the anonymous session\'s data', async () => {
  await User.createUser({ username: 'carl', password: PASSWORD });
  const c = new Client();
  const before = await c.get('/notes/');
  const anonymousSid = sidOf(before);
  assert.ok(anonymousSid);
  const res = await loginForm(c, { username: 'carl', password: PASSWORD });
  const loggedSid = sidOf(res);
  assert.ok(loggedSid);
  assert.notEqual(loggedSid, anonymousSid);
  assert.deepEqual((await c.get('/notes/')).json(), { visits: 2 });
  // The pre-login id is dead: an attacker who planted it gets nothing.
  const attacker = new Client();
  const seen = await attacker.get('/me/', { headers: { cookie: `sessionid=${anonymousSid}` } });
  assert.deepEqual(seen.json(), { authenticated: false, username: '' });
});

test('login rotates the CSRF secret', async () => {
  await User.createUser({ username: 'dora', password: PASSWORD });
  const c = new Client();
  const page = await c.get('/accounts/login/');
  const before = /^csrftoken=([^;]*)/.exec(setCookie(page, 'csrftoken'))[1];
  const res = await c.post('/accounts/login/', { username: 'dora', password: PASSWORD });
  const after = /^csrftoken=([^;]*)/.exec(setCookie(res, 'csrftoken') ?? '')?.[1];
  assert.ok(after && after !== before, 'a new csrftoken cookie at login');
});

test('next redirects only within the site', async () => {
  await User.createUser({ username: 'eve', password: PASSWORD });
  const ok = ['/private/', '/a/b/?x=1&y=2', 'https://localhost/private/'];
  const bad = ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', 'http://localhost@evil.example/',
    '\\\\evil.example', ' //evil.example', 'https:evil.example', '/%0a/evil', 'data:text/html,<x>', '\t//evil.example', '///evil.example'];
  for (const next of ok) {
    const res = await loginForm(new Client(), { username: 'eve', password: PASSWORD, next }, `/accounts/login/?next=${encodeURIComponent(next)}`);
    assert.equal(res.status, 302, next);
    assert.equal(res.headers.location, next === 'https://localhost/private/' ? next : next, next);
  }
  for (const next of bad) {
    const res = await loginForm(new Client(), { username: 'eve', password: PASSWORD, next }, `/accounts/login/?next=${encodeURIComponent(next)}`);
    assert.equal(res.status, 302, next);
    assert.ok(res.headers.location === '/' || res.headers.location.startsWith('/%0a'), `${next} → ${res.headers.location}`);
  }
});

test('logout is POST only, ends the session and clears the cookie', async () => {
  await User.createUser({ username: 'fay', password: PASSWORD });
  const c = new Client();
  const login = await loginForm(c, { username: 'fay', password: PASSWORD });
  const sid = sidOf(login);
  assert.equal((await c.get('/accounts/logout/')).status, 405);
  assert.equal((await c.get('/me/')).json().authenticated, true, 'a GET does not log out');
  const out = await c.post('/accounts/logout/');
  assert.equal(out.status, 200);
  assert.match(out.text, /Logged out/);
  assert.equal((await c.get('/me/')).json().authenticated, false);
  const replay = await new Client().get('/me/', { headers: { cookie: `sessionid=${sid}` } });
  assert.equal(replay.json().authenticated, false, 'the old session id is dead');
});

test('loginRequired redirects to LOGIN_URL with next, or answers 401 JSON to an API client', async () => {
  const res = await new Client().get('/private/?a=1');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/accounts/login/?next=/private/%3Fa%3D1');
  const api = await new Client().get('/private/', { headers: { accept: 'application/json' } });
  assert.equal(api.status, 401);
  assert.deepEqual(api.json(), { error: 'Authentication credentials were not provided.' });
  await User.createUser({ username: 'gus', password: PASSWORD });
  const c = new Client();
  await loginForm(c, { username: 'gus', password: PASSWORD });
  assert.deepEqual((await c.get('/private/')).json(), { secret: 'gus' });
  const back = await loginForm(new Client(), { username: 'gus', password: PASSWORD, next: '/private/?a=1' });
  assert.equal(back.headers.location, '/private/?a=1');
});

test('messages are shown once, escaped, then gone', async () => {
  const c = new Client();
  await c.get('/flash/');
  const first = await c.get('/page/');
  assert.match(first.text, /<p class="success">Saved &lt;b&gt;it&lt;\/b&gt;\.<\/p>/);
  const second = await c.get('/page/');
  assert.doesNotMatch(second.text, /Saved/);
});

test('malformed, forged and truncated session cookies are ignored: anonymous, never a 500', async () => {
  await User.createUser({ username: 'hal', password: PASSWORD });
  const c = new Client();
  const sid = sidOf(await loginForm(c, { username: 'hal', password: PASSWORD }));
  const decoded = decodeURIComponent(sid);
  const forged = [decoded.slice(0, -3), decoded.replace(/\.[^.]+$/, '.AAAA'), `s:${'x'.repeat(32)}.${decoded.split('.')[1]}`,
    decoded.replace(/^s:/, ''), '%', '%E0%A4%A', 's:', 's:.', '""', 'a'.repeat(8000), `other; sessionid=${sid}x`];
  for (const value of forged) {
    const res = await new Client().get('/me/', { headers: { cookie: `sessionid=${value}` } });
    assert.ok(res.status === 200 || res.status === 400 || res.status === 431, `${value.slice(0, 40)} → ${res.status}`);
    if (res.status === 200) assert.equal(res.json().authenticated, false, value.slice(0, 40));
  }
});

test('concurrent logins of one user each get their own session', async () => {
  await User.createUser({ username: 'ivy', password: PASSWORD });
  const clients = Array.from({ length: 6 }, () => new Client());
  const results = await Promise.all(clients.map((c) => loginForm(c, { username: 'ivy', password: PASSWORD })));
  const sids = results.map(sidOf);
  assert.ok(results.every((r) => r.status === 302), results.map((r) => r.status).join(','));
  assert.equal(new Set(sids).size, sids.length);
  for (const c of clients) assert.equal((await c.get('/me/')).json().username, 'ivy');
});

test('logging in as another user on the same browser starts from an empty session (nothing of the first user\'s leaks)', async () => {
  await User.createUser({ username: 'jon', password: PASSWORD });
  await User.createUser({ username: 'kim', password: PASSWORD });
  const c = new Client();
  await loginForm(c, { username: 'jon', password: PASSWORD });
  await c.get('/notes/');
  assert.deepEqual((await c.get('/notes/')).json(), { visits: 2 });
  await loginForm(c, { username: 'kim', password: PASSWORD });
  assert.deepEqual((await c.get('/me/')).json(), { authenticated: true, username: 'kim' });
  assert.deepEqual((await c.get('/notes/')).json(), { visits: 1 });
});
