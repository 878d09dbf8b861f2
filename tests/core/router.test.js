// Routing: Django path() syntax, converters, regex patterns, order, include(), reverse() and the configuration errors.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const express = require('express');
const inject = require('light-my-request');
const m = require('manouche');
const { configure, route, path, include, urlpatterns, reverse, registerConverter, getApp, json, NoReverseMatch, ImproperlyConfigured } = m;

// Calls made before configure(), kept to be checked by the first test.
const tooEarly = [() => route('early/', () => 'x'), () => path('early/', () => 'x')].map((fn) => { try { fn(); } catch (err) { return err; } return undefined; });

test('route() before configure() throws E_NOT_CONFIGURED naming the pattern', () => {
  const [routeErr, pathErr] = tooEarly;
  assert.ok(routeErr instanceof ImproperlyConfigured);
  assert.equal(routeErr.code, 'E_NOT_CONFIGURED');
  assert.match(routeErr.message, /configure\(\) must be called before route\('early\/'\)/);
  assert.match(pathErr.message, /configure\(\) must be called before path\('early\/'\)/);
});

configure({ SECRET_KEY: 'router-tests', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });

const seen = (label) => (req, params) => json({ label, params });
route('', seen('home'), { name: 'home' });
route('blog/<int:year>/', seen('year'), { name: 'year_archive' });
route('blog/<int:year>/<slug:slug>/', seen('post'), { name: 'post' });
route('tags/<tag>/', seen('tag'), { name: 'tag' });
route('u/<uuid:id>/', seen('uuid'), { name: 'uuid' });
route('files/<path:rest>', seen('file'), { name: 'file' });
route(/^articles\/(?<year>[0-9]{4})\/$/, seen('regex'), { name: 'article-year' });
route('old/(?<id>[0-9]+)/$', seen('regex-string'), { regex: true, name: 'old' });
// First match wins: the dynamic pattern registered before the static one takes it.
route('order/<str:x>/', seen('dynamic-first'));
route('order/static/', seen('static-second'));
route('order2/static/', seen('static-first'));
route('order2/<str:x>/', seen('dynamic-second'));
registerConverter('year4', { regex: '[0-9]{4}', toJs: (s) => ({ y: Number(s) }), toUrl: (v) => String(v.y ?? v).padStart(4, '0') });
route('y/<year4:year>/', seen('custom'), { name: 'custom' });
route('only-post/', seen('post-only'), { methods: ['POST'] });
route('get-or-put/', seen('get-put'), { methods: ['get', 'PUT'] });
const decorated = route('decorated/<int:n>/', { name: 'decorated' })(function decoratedView(req, { n }) { return { n }; });
urlpatterns.push(path('pushed/', seen('pushed'), { name: 'pushed' }));
include('api/', [path('items/', seen('api-items'), { name: 'items' }), include('v2/', [path('x/<int:id>/', seen('v2'), { name: 'x' })], { namespace: 'v2' })], { namespace: 'api' });
const router = express.Router();
router.get('/ping', (req, res) => res.json({ pong: true, baseUrl: req.baseUrl, url: req.url, q: req.query.q }));
include('ext/', router);

const app = getApp();
const get = (url, opts = {}) => inject(app, { method: 'GET', url, ...opts });

test('converters: int gives a number, slug/str/uuid/path match their segments', async () => {
  assert.deepEqual((await get('/blog/2020/')).json(), { label: 'year', params: { year: 2020 } });
  assert.deepEqual((await get('/blog/2020/hello-world_2/')).json(), { label: 'post', params: { year: 2020, slug: 'hello-world_2' } });
  assert.deepEqual((await get('/tags/node.js/')).json(), { label: 'tag', params: { tag: 'node.js' } });
  assert.equal((await get('/tags/a/b/')).statusCode, 404, 'str does not hold a slash');
  assert.equal((await get('/blog/abc/')).statusCode, 404, 'int refuses letters');
  const id = '123e4567-e89b-12d3-a456-426614174000';
  assert.deepEqual((await get(`/u/${id}/`)).json().params, { id });
  assert.equal((await get('/u/not-a-uuid/')).statusCode, 404);
  assert.deepEqual((await get('/files/a/b/c.txt')).json().params, { rest: 'a/b/c.txt' });
});

test('the empty pattern is the site root', async () => {
  assert.equal((await get('/')).json().label, 'home');
});

test('regex patterns (RegExp or { regex: true }) give named groups as strings', async () => {
  assert.deepEqual((await get('/articles/2021/')).json(), { label: 'regex', params: { year: '2021' } });
  assert.deepEqual((await get('/old/42/')).json(), { label: 'regex-string', params: { id: '42' } });
  assert.equal((await get('/articles/21/')).statusCode, 404);
});

test('first match in registration order wins, static or dynamic', async () => {
  assert.equal((await get('/order/static/')).json().label, 'dynamic-first');
  assert.equal((await get('/order2/static/')).json().label, 'static-first');
  assert.equal((await get('/order2/other/')).json().label, 'dynamic-second');
});

test('registerConverter() adds a converter used for matching and reverse()', async () => {
  assert.deepEqual((await get('/y/1999/')).json().params, { year: { y: 1999 } });
  assert.equal((await get('/y/199/')).statusCode, 404);
  assert.equal(reverse('custom', { year: { y: 7 } }), '/y/0007/');
  assert.throws(() => registerConverter('bad', { regex: '([0-9])' }), /capturing groups/);
  assert.throws(() => registerConverter('bad', { regex: '[0-9' }), /invalid regex/);
});

test('methods: other methods get 405 with Allow; GET also allows HEAD', async () => {
  const res = await get('/only-post/');
  assert.equal(res.statusCode, 405);
  assert.equal(res.headers.allow, 'POST');
  assert.equal((await inject(app, { method: 'POST', url: '/only-post/' })).statusCode, 200);
  const head = await inject(app, { method: 'HEAD', url: '/get-or-put/' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.payload, '');
  const del = await inject(app, { method: 'DELETE', url: '/get-or-put/' });
  assert.equal(del.statusCode, 405);
  assert.equal(del.headers.allow, 'GET, PUT, HEAD');
});

test('the decorator form registers the view and returns it', async () => {
  assert.equal(decorated.name, 'decoratedView');
  assert.deepEqual((await get('/decorated/3/')).json(), { n: 3 });
  assert.equal(reverse('decorated', { n: 3 }), '/decorated/3/');
});

test('urlpatterns is live: entries pushed after the app was built are served', async () => {
  assert.equal((await get('/pushed/')).json().label, 'pushed');
  urlpatterns.push(path('late/', seen('late'), { name: 'late' }));
  assert.equal((await get('/late/')).json().label, 'late');
  assert.equal(reverse('late'), '/late/');
  urlpatterns.pop();
  assert.equal((await get('/late/')).statusCode, 404);
});

test('include() mounts a pattern list under a prefix with namespaced names, nested includes too', async () => {
  assert.equal((await get('/api/items/')).json().label, 'api-items');
  assert.deepEqual((await get('/api/v2/x/5/')).json(), { label: 'v2', params: { id: 5 } });
  assert.equal((await get('/v2/x/5/')).statusCode, 404, 'a nested include is only mounted inside its parent');
  assert.equal(reverse('api:items'), '/api/items/');
  assert.equal(reverse('api:v2:x', { id: 5 }), '/api/v2/x/5/');
});

test('include() mounts an express Router with the prefix stripped', async () => {
  const res = await get('/ext/ping?q=1');
  assert.deepEqual(res.json(), { pong: true, baseUrl: '/ext', url: '/ping?q=1', q: '1' });
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal((await get('/ext/nothing')).statusCode, 404);
});

test('reverse() builds URLs and throws NoReverseMatch listing what was tried', () => {
  assert.equal(reverse('home'), '/');
  assert.equal(reverse('year_archive', { year: 2020 }), '/blog/2020/');
  assert.equal(reverse('post', { year: 2020, slug: 'hi' }), '/blog/2020/hi/');
  assert.equal(reverse('article-year', { year: 1999 }), '/articles/1999/');
  assert.equal(reverse('tag', { tag: 'a b' }), '/tags/a%20b/');
  assert.throws(() => reverse('year_archive', { year: 'abc' }), (err) => {
    assert.ok(err instanceof NoReverseMatch);
    assert.equal(err.code, 'E_NO_REVERSE_MATCH');
    assert.match(err.message, /Reverse for "year_archive" with params \{"year":"abc"\} not found\. 1 pattern\(s\) tried: \['blog\/<int:year>\/'\]/);
    return true;
  });
  assert.throws(() => reverse('year_archive', {}), /Expected params: year/);
  assert.throws(() => reverse('items'), /Did you mean: "api:items"\?/);
  assert.throws(() => reverse('nope'), /"nope" is not a route name/);
});

test('configuration errors name the cause and the fix', () => {
  assert.throws(() => route('dup/', seen('x'), { name: 'home' }), (err) => {
    assert.equal(err.code, 'E_DUPLICATE_ROUTE_NAME');
    assert.match(err.message, /"home" is already used by ''/);
    return true;
  });
  assert.throws(() => urlpatterns.push(path('dup2/', seen('x'), { name: 'year_archive' })), /E_DUPLICATE_ROUTE_NAME|already used/);
  assert.throws(() => include('dup3/', [path('a/', seen('a'), { name: 'items' })], { namespace: 'api' }), /"api:items" is already used/);
  assert.throws(() => route('x/<int:id/', seen('x')), (err) => err.code === 'E_BAD_PATTERN' && /missing bracket/.test(err.message));
  assert.throws(() => route('/lead/', seen('x')), (err) => err.code === 'E_BAD_PATTERN' && /write 'lead\/'/.test(err.message));
  assert.throws(() => route('x/<year-1>/', seen('x')), (err) => err.code === 'E_BAD_PATTERN');
  assert.throws(() => route('x/<float:f>/', seen('x')), (err) => {
    assert.equal(err.code, 'E_UNKNOWN_CONVERTER');
    assert.match(err.message, /unknown converter "float".*Known converters: str, int, bigint, slug, uuid, path/);
    return true;
  });
  assert.throws(() => route('(?<a>x', seen('x'), { regex: true }), (err) => err.code === 'E_BAD_PATTERN');
  assert.throws(() => route('x/', 'not a view'), (err) => err.code === 'E_BAD_VIEW');
  assert.throws(() => urlpatterns.push({ pattern: 'x/' }), /is not a URL pattern/);
  assert.throws(() => route('m/', seen('x'), { methods: 'GET' }), /methods must be an array of method names/);
  assert.throws(() => route('n/', seen('x'), { name: 42 }), /name must be a non-empty string/);
});

test('APPEND_SLASH: GET/HEAD redirect (301) to the slash URL, query kept; only when the slash URL matches', async () => {
  const res = await get('/blog/2020?page=2');
  assert.equal(res.statusCode, 301);
  assert.equal(res.headers.location, '/blog/2020/?page=2');
  assert.equal((await inject(app, { method: 'HEAD', url: '/blog/2020' })).statusCode, 301);
  assert.equal((await get('/nothing-here')).statusCode, 404);
  assert.equal((await get('/files/x')).statusCode, 200, 'a path that matches without the slash is not redirected');
});

test('regression: APPEND_SLASH never redirects to another host (//evil.com)', async () => {
  route('<path:a>/', seen('catch'));
  const res = await get('//evil.com');
  assert.equal(res.statusCode, 301);
  assert.ok(!res.headers.location.startsWith('//'), res.headers.location);
  urlpatterns.pop();
});

test('APPEND_SLASH: outside DEBUG every method is redirected (301), as Django\'s CommonMiddleware does', async () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    const res = await inject(app, { method, url: '/blog/2020?x=1', payload: method === 'OPTIONS' ? undefined : { a: 1 } });
    assert.equal(res.statusCode, 301, method);
    assert.equal(res.headers.location, '/blog/2020/?x=1', method);
  }
});
