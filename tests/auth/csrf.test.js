// CSRF protection (SPEC §7): Django's cookie + token scheme, the Origin/Referer checks, csrfExempt, the 403 answer.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, setCookie } = require('./helpers');
const { configure, route, json, html, csrfExempt, getApp, template } = require('manouche');
const { Client } = require('manouche/test');
const { maskSecret, unmaskToken } = require('../../dist/sessions/csrf');

configure({ ...baseSettings(), sessions: true, CSRF_TRUSTED_ORIGINS: ['https://partner.example', 'https://*.trusted.example'] });
template.add('form.html', '<form method="post">{{ csrfInput() }}</form><i>{{ csrfToken }}</i>');
route('form/', (req) => require('manouche').render(req, 'form.html'), { name: 'form' });
route('submit/', (req) => json({ ok: true, method: req.method }), { name: 'submit' });
route('hook/', csrfExempt((req) => json({ exempt: true })), { name: 'hook' });
route('token/', (req) => html(req.csrfToken()), { name: 'token' });
// Behind a TLS-terminating proxy: X-Forwarded-Proto says https (used for the Referer checks).
getApp().set('trust proxy', true);

const SECRET = 'abcdefghijABCDEFGHIJ0123456789xy';
const strict = () => new Client({ enforceCsrfChecks: true });
const cookie = (secret = SECRET) => ({ cookie: `csrftoken=${secret}` });

async function reason(res) {
  assert.equal(res.status, 403, res.text);
  return res.text;
}

test('a page with a form sets the csrftoken cookie: 32 characters, a year, SameSite=Lax, readable by scripts', async () => {
  const res = await strict().get('/form/');
  const c = setCookie(res, 'csrftoken');
  assert.match(c, /^csrftoken=[a-zA-Z0-9]{32};/);
  assert.match(c, /Max-Age=31449600/);
  assert.match(c, /SameSite=Lax/);
  assert.doesNotMatch(c, /HttpOnly/);
  assert.match(res.text, /<input type="hidden" name="csrfmiddlewaretoken" value="[a-zA-Z0-9]{64}">/);
});

test('tokens in pages are masked: different on every render, all unmasking to the cookie secret', async () => {
  const c = strict();
  const a = (await c.get('/token/', { headers: cookie() })).text;
  const b = (await c.get('/token/', { headers: cookie() })).text;
  assert.equal(a.length, 64);
  assert.notEqual(a, b);
  assert.equal(unmaskToken(a), SECRET);
  assert.equal(unmaskToken(b), SECRET);
});

test('POST without the cookie: 403 "CSRF cookie not set."', async () => {
  const text = await reason(await strict().post('/submit/', { csrfmiddlewaretoken: maskSecret(SECRET) }));
  assert.match(text, /CSRF verification failed\. Request aborted\./);
  assert.match(text, /CSRF cookie not set\./);
});

test('POST with the cookie but no token: 403 "CSRF token missing."', async () => {
  assert.match(await reason(await strict().post('/submit/', { a: 1 }, { headers: cookie() })), /CSRF token missing\./);
});

test('a masked form token and the raw secret in X-CSRFToken are both accepted', async () => {
  let res = await strict().post('/submit/', { csrfmiddlewaretoken: maskSecret(SECRET) }, { headers: cookie() });
  assert.equal(res.status, 200);
  res = await strict().post('/submit/', {}, { headers: { ...cookie(), 'X-CSRFToken': SECRET } });
  assert.equal(res.status, 200);
  res = await strict().post('/submit/', { x: 1 }, { json: true, headers: { ...cookie(), 'X-CSRFToken': maskSecret(SECRET) } });
  assert.equal(res.status, 200);
});

test('wrong tokens: incorrect, bad length, bad characters — each says which', async () => {
  const other = 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
  assert.match(await reason(await strict().post('/submit/', { csrfmiddlewaretoken: maskSecret(other) }, { headers: cookie() })), /CSRF token from POST incorrect\./);
  assert.match(await reason(await strict().post('/submit/', {}, { headers: { ...cookie(), 'X-CSRFToken': other } })), /CSRF token from the &#39;X-Csrftoken&#39; HTTP header incorrect\./);
  assert.match(await reason(await strict().post('/submit/', { csrfmiddlewaretoken: 'short' }, { headers: cookie() })), /CSRF token from POST has incorrect length\./);
  assert.match(await reason(await strict().post('/submit/', { csrfmiddlewaretoken: '!'.repeat(64) }, { headers: cookie() })), /has invalid characters\./);
});

test('a malformed csrftoken cookie counts as no cookie (and a new one is issued), never a 500', async () => {
  for (const bad of ['%%%', 'x', '"quoted"', 'a'.repeat(5000), '\u00e9t\u00e9'.repeat(11)]) {
    const res = await strict().post('/submit/', { csrfmiddlewaretoken: 'x'.repeat(64) }, { headers: { cookie: `csrftoken=${encodeURIComponent(bad)}` } });
    assert.equal(res.status, 403);
    assert.match(res.text, /CSRF cookie not set\./);
  }
  const res = await strict().get('/form/', { headers: { cookie: 'csrftoken=garbage' } });
  assert.match(setCookie(res, 'csrftoken'), /^csrftoken=[a-zA-Z0-9]{32};/);
});

test('PUT, PATCH and DELETE are checked too; GET, HEAD and OPTIONS never are', async () => {
  for (const m of ['put', 'patch', 'delete']) {
    assert.equal((await strict()[m]('/submit/', {}, { headers: cookie() })).status, 403, m);
  }
  for (const m of ['get', 'head', 'options']) assert.notEqual((await strict()[m]('/submit/')).status, 403, m);
});

test('csrfExempt(view) lets a webhook POST without any token', async () => {
  const res = await strict().post('/hook/', { event: 'paid' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { exempt: true });
});

test('a foreign Origin is refused even with a valid token; the reason names it, escaped', async () => {
  const headers = { ...cookie(), 'X-CSRFToken': SECRET };
  const text = await reason(await strict().post('/submit/', {}, { headers: { ...headers, origin: 'https://evil.example' } }));
  assert.match(text, /Origin checking failed - https:\/\/evil\.example does not match any trusted origins\./);
  assert.match(await reason(await strict().post('/submit/', {}, { headers: { ...headers, origin: 'null' } })), /Origin checking failed - null/);
  const xss = await reason(await strict().post('/submit/', {}, { headers: { ...headers, origin: 'https://<script>x' } }));
  assert.doesNotMatch(xss, /<script>x/);
  // Same site, another port or scheme: refused.
  assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, origin: 'http://localhost:8080' } })).status, 403);
  assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, origin: 'https://localhost' } })).status, 403);
});

test('the own origin and CSRF_TRUSTED_ORIGINS (exact or *.subdomain) are accepted', async () => {
  const headers = { ...cookie(), 'X-CSRFToken': SECRET };
  for (const origin of ['http://localhost', 'https://partner.example', 'https://a.trusted.example', 'https://x.y.trusted.example']) {
    assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, origin } })).status, 200, origin);
  }
  for (const origin of ['http://partner.example', 'https://trusted.example.evil', 'https://eviltrusted.example']) {
    assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, origin } })).status, 403, origin);
  }
});

test('over HTTPS without Origin, the Referer must be present, HTTPS and same-site (or trusted)', async () => {
  const headers = { ...cookie(), 'X-CSRFToken': SECRET, 'x-forwarded-proto': 'https' };
  assert.match(await reason(await strict().post('/submit/', {}, { headers })), /Referer checking failed - no Referer\./);
  assert.match(await reason(await strict().post('/submit/', {}, { headers: { ...headers, referer: 'http://localhost/form/' } })), /Referer is insecure while host is secure\./);
  assert.match(await reason(await strict().post('/submit/', {}, { headers: { ...headers, referer: 'https://evil.example/' } })), /Referer checking failed - https:\/\/evil\.example\/ does not match any trusted origins\./);
  assert.match(await reason(await strict().post('/submit/', {}, { headers: { ...headers, referer: 'not a url' } })), /Referer is malformed\./);
  assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, referer: 'https://localhost/form/' } })).status, 200);
  assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, referer: 'https://a.trusted.example/x' } })).status, 200);
  assert.equal((await strict().post('/submit/', {}, { headers: { ...headers, origin: 'https://localhost' } })).status, 200);
});

test('an API client gets the reason as JSON', async () => {
  const res = await strict().post('/submit/', { a: 1 }, { json: true, headers: { accept: 'application/json' } });
  assert.equal(res.status, 403);
  assert.deepEqual(res.json(), { error: 'CSRF verification failed. Request aborted. CSRF cookie not set.', code: 'E_CSRF_FAILED', reason: 'CSRF cookie not set.' });
});

test('the default Client sends the token like a browser, so ordinary tests just work', async () => {
  const res = await new Client().post('/submit/', { a: 1 });
  assert.equal(res.status, 200);
});

test('check --deploy warns that memory sessions are lost on restart and not shared between workers', async () => {
  const { runChecks } = require('../../dist/core/conf/state');
  const ids = (await runChecks({ deploy: true })).map((m) => m.id);
  assert.ok(ids.includes('sessions.W001'), ids.join(','));
  assert.ok(!(await runChecks({ deploy: false })).some((m) => m.id === 'sessions.W001'));
});
