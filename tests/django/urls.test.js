// Differential: reverse() and resolution against Django 3.2's answers (tests/django/data/urls.json, see record/urls.py).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');
const { configure, route, reverse, getApp, json, NoReverseMatch } = require('manouche');
const data = require('./data/urls.json');

configure({ SECRET_KEY: 'django-urls', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });

const show = (v) => (typeof v === 'bigint' ? { bigint: String(v) } : v);
const echo = (req, params, ...args) => json({
  name: req.resolverMatch.name,
  params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, show(v)])),
  args,
});
// manouche's own converter for the full BIGINT range, checked against Django's `int` answers (before the catch-all).
route('bi/<bigint:v>/', echo, { name: 'bigint' });
for (const p of data.patterns) {
  if (p.regex) route(new RegExp(p.regex), echo, { name: p.name });
  else route(p.route, echo, { name: p.name });
}
const app = getApp();
const get = (url) => inject(app, { method: 'GET', url });

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const BIGINT_MAX = 2n ** 63n - 1n;
/** A recorded value as JS: Django ints become numbers when exact, else bigints. */
const value = (v) => {
  if (v && typeof v === 'object' && 'int' in v) { const b = BigInt(v.int); return b <= SAFE && b >= -SAFE ? Number(b) : b; }
  if (v && typeof v === 'object' && 'uuid' in v) return v.uuid;
  return v;
};
const kwargs = (k) => Object.fromEntries(Object.entries(k).map(([n, v]) => [n, value(v)]));
const attempt = (fn) => { try { return { url: fn() }; } catch (err) { if (err instanceof NoReverseMatch) return { error: 'NoReverseMatch' }; throw err; } };
const answer = (c) => (c.url !== undefined ? { url: c.url } : { error: c.error });
/** `int` gives a number: a value beyond 2^53 is refused where Django (with Python's ints) accepts it. */
const beyondSafe = (c) => c.name === 'int' && typeof c.kwargs.v === 'object' && BigInt(c.kwargs.v.int) > SAFE;

test('reverse() gives Django\'s URL for every recorded call (percent-encoding, decoded check, no leading //)', () => {
  const wrong = [];
  for (const c of data.reverse) {
    if (beyondSafe(c)) continue;
    const got = attempt(() => reverse(c.name, c.args ? c.args.map(value) : kwargs(c.kwargs)));
    if (JSON.stringify(got) !== JSON.stringify(answer(c))) wrong.push({ call: c, got });
  }
  assert.deepEqual(wrong, []);
  assert.ok(data.reverse.length >= 100);
});

test('reverse() never builds a scheme-relative or absolute URL: an open redirect through a <path> value is closed', () => {
  assert.equal(reverse('top', { v: '/evil.example/x' }), '/%2Fevil.example/x');
  assert.equal(reverse('top', { v: '//evil.example' }), '/%2F/evil.example');
  for (const c of data.reverse) if (c.url) assert.ok(!c.url.startsWith('//') && c.url.startsWith('/'), c.url);
});

test('int: numbers beyond 2^53 are refused (never rounded); bigint writes Django\'s digits exactly up to 2^63-1', () => {
  for (const c of data.reverse.filter((x) => x.name === 'int' && typeof x.kwargs.v === 'object')) {
    const big = BigInt(c.kwargs.v.int);
    const viaBigint = attempt(() => reverse('bigint', { v: big }));
    if (big > SAFE) {
      assert.deepEqual(attempt(() => reverse('int', { v: big })), { error: 'NoReverseMatch' }, `int ${big}`);
      assert.deepEqual(attempt(() => reverse('int', { v: Number(big) })), { error: 'NoReverseMatch' }, `int Number(${big})`);
    } else {
      assert.deepEqual(attempt(() => reverse('int', { v: big })), answer(c), `int ${big}n`);
    }
    const expected = big < 0n || big > BIGINT_MAX ? { error: 'NoReverseMatch' } : { url: c.url.replace('/i/', '/bi/') };
    assert.deepEqual(viaBigint, expected, `bigint ${big}`);
  }
  assert.deepEqual(attempt(() => reverse('bigint', { v: 2 ** 60 })), { error: 'NoReverseMatch' }, 'an unsafe number is refused: pass a bigint');
});

test('resolution matches Django\'s for every recorded path; integers stay exact or are a 404', async () => {
  const wrong = [];
  for (const c of data.resolve) {
    const res = await get(encodeURI(c.path));
    let expected;
    const ints = Object.values(c.kwargs ?? {}).filter((v) => v && typeof v === 'object' && 'int' in v);
    if (c.error) expected = 404;
    // `int` refuses the value (as a Django converter raising ValueError): the next pattern, the catch-all, gets it.
    else if (ints.some((v) => BigInt(v.int) > SAFE)) expected = { name: 'top', params: { v: c.path.slice(1) }, args: [] };
    else expected = { name: c.name, params: { ...kwargs(c.kwargs), ...Object.fromEntries(c.args.map((a, i) => [i, value(a)])) }, args: c.args.map(value) };
    const got = res.statusCode === 200 ? res.json() : res.statusCode;
    if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ path: c.path, expected, got });
  }
  assert.deepEqual(wrong, []);
});

test('bigint: the full BIGINT range resolves exactly; beyond it the pattern does not match', async () => {
  assert.deepEqual((await get('/bi/9007199254740993/')).json().params, { v: { bigint: '9007199254740993' } });
  assert.deepEqual((await get('/bi/9223372036854775807/')).json().params, { v: { bigint: '9223372036854775807' } });
  assert.equal((await get('/bi/9223372036854775808/')).json().name, 'top');
  assert.equal((await get('/i/9007199254740993/')).json().name, 'top');
  assert.equal((await get('/i/9007199254740991/')).json().params.v, 9007199254740991);
});

test('round trip: every URL reverse() builds resolves to the same route and values', async () => {
  const wrong = [];
  for (const c of data.reverse) {
    // Dot segments ('/s/../') are removed by every HTTP client (RFC 3986 §5.2.4) before a server sees them, for Django too.
    if (!c.url || beyondSafe(c) || /\/\.\.?(\/|$)/.test(c.url)) continue;
    const res = await get(c.url);
    const body = res.statusCode === 200 ? res.json() : res.statusCode;
    const params = c.args ? Object.fromEntries(c.args.map((a, i) => [i, String(value(a))])) : Object.fromEntries(Object.entries(kwargs(c.kwargs)).map(([k, v]) => [k, v]));
    // The path converter's value comes back as given; int/str values come back converted (0012 → 12).
    const expectParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, c.name === 'int' || (c.name === 'two' && k === 'a') ? Number(v) : v]));
    if (body.name !== c.name || JSON.stringify(body.params) !== JSON.stringify(expectParams)) wrong.push({ url: c.url, expectParams, body });
  }
  assert.deepEqual(wrong, []);
});
