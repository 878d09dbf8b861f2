// Security over real HTTP against a running server: headers, Host check, cookie flags (Secure behind TLS), login flow.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { manage, startServer, stopAllServers, Browser } = require('./http');

const PASSWORD = 'violet-tractor-93!';
let tmp;
let env;
let plain;
let secure;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-sec-'));
  env = { DATABASE_URL: `sqlite:${path.join(tmp, 'db.sqlite3')}` };
  assert.equal(manage(['migrate'], env).status, 0);
  assert.equal(manage(['createsuperuser', '--noinput', '--username', 'boss'], { ...env, MANOUCHE_SUPERUSER_PASSWORD: PASSWORD }).status, 0);
  [plain, secure] = await Promise.all([startServer(env), startServer({ ...env, SESSION_COOKIE_SECURE: '1' })]);
});
after(async () => {
  await stopAllServers();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A raw request, so that the Host header can be anything. */
function raw(port, { method = 'GET', path: p = '/', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, setHost: !('host' in headers) }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('pages carry X-Frame-Options: DENY, X-Content-Type-Options: nosniff, Referrer-Policy: same-origin', async () => {
  for (const p of ['/accounts/login/', '/whoami/', '/nowhere/']) {
    const res = await raw(plain.port, { path: p });
    assert.equal(res.headers['x-frame-options'], 'DENY', p);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', p);
    assert.equal(res.headers['referrer-policy'], 'same-origin', p);
  }
});

test('a Host outside ALLOWED_HOSTS gets 400, never the page', async () => {
  for (const host of ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', '']) {
    const res = await raw(plain.port, { path: '/accounts/login/', headers: { host } });
    assert.equal(res.status, 400, host);
    assert.doesNotMatch(res.body, /csrfmiddlewaretoken/);
  }
});

test('over real HTTP: login sets an HttpOnly, SameSite=Lax session cookie, and req.user follows it', async () => {
  const b = new Browser();
  const res = await b.submit(plain.port, '/accounts/login/', { username: 'boss', password: PASSWORD, next: '/private/' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/private/');
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sessionid='));
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.doesNotMatch(cookie, /; Secure/);
  assert.deepEqual(JSON.parse((await b.get(plain.port, '/private/')).text_), { hello: 'boss' });
});

test('over real HTTP: a cross-site POST (foreign Origin) to the login form is refused with the reason', async () => {
  const b = new Browser();
  const page = await b.get(plain.port, '/accounts/login/');
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text_)[1];
  const res = await b.request(plain.port, 'POST', '/accounts/login/', { form: { csrfmiddlewaretoken: token, username: 'boss', password: PASSWORD }, headers: { origin: 'https://evil.example' } });
  assert.equal(res.status, 403);
  assert.match(res.text_, /Origin checking failed - https:\/\/evil\.example does not match any trusted origins\./);
  assert.equal(b.cookies.sessionid, undefined);
});

test('with SESSION_COOKIE_SECURE, behind a TLS proxy the session cookie is Secure', async () => {
  const b = new Browser();
  const page = await b.get(secure.port, '/accounts/login/', { headers: { 'x-forwarded-proto': 'https' } });
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text_)[1];
  assert.match(page.headers.getSetCookie().find((c) => c.startsWith('csrftoken=')), /; Secure/);
  const res = await b.request(secure.port, 'POST', '/accounts/login/', {
    form: { csrfmiddlewaretoken: token, username: 'boss', password: PASSWORD },
    headers: { 'x-forwarded-proto': 'https', origin: `https://127.0.0.1:${secure.port}` },
  });
  assert.equal(res.status, 302, res.text_);
  assert.match(res.headers.getSetCookie().find((c) => c.startsWith('sessionid=')), /; Secure/);
});
