// api.resource(): the request/answer table of SPEC §10, permissions, tokens, CSRF, and every kind of bad input as a JSON 4xx.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const m = require('manouche');

const { configure, model, DataTypes, api, User, Permission, Client } = m;
configure({
  DEBUG: false, SECRET_KEY: 'api-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz', ALLOWED_HOSTS: ['localhost'],
  SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 }, SESSION_STORE: 'memory', APP_LABEL: 'blog',
  DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:', admin: true, api: true, API_PAGE_SIZE: 2, API_MAX_PAGE_SIZE: 10,
});
const { state } = require(path.resolve(__dirname, '../../dist/core/conf/state'));
const { createToken } = require(path.resolve(__dirname, '../../dist/api'));

const Post = model('Post', {
  title: { type: DataTypes.STRING(20), allowNull: false },
  content: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: { args: [0], msg: 'Views cannot be negative.' } } },
  price: { type: DataTypes.DECIMAL(6, 2), allowNull: true },
  kind: { type: DataTypes.ENUM('news', 'essay'), allowNull: false, defaultValue: 'news' },
  slug: { type: DataTypes.STRING(30), allowNull: true, unique: true },
}, { ordering: ['id'] });
Post.belongsTo(User, { as: 'author', foreignKey: { name: 'authorId', allowNull: true }, onDelete: 'SET NULL' });

api.resource(Post, {
  path: 'posts',
  fields: ['id', 'title', 'content', 'published', 'views', 'price', 'kind', 'slug', 'authorId', 'createdAt'],
  readOnlyFields: ['authorId'],
  filterFields: ['published', 'views', 'kind', 'authorId', 'createdAt'],
  searchFields: ['^title', 'content'],
  orderingFields: ['views', 'title', 'createdAt'],
  expand: { author: ['id', 'username'] },
  read: 'public',
  perform: { create: (req, data) => ({ ...data, authorId: req.user.id }) },
});
// A resource with the default rule (view permission for reads) and a throttle.
const Note = model('Note', { text: { type: DataTypes.STRING(50), allowNull: false } });
api.resource(Note, { throttle: '3/minute' });
// Users are served too, so that a leak of `password` would show: it is never a field unless named.
api.resource(User, { path: 'users', read: 'authenticated', filterFields: ['username'], actions: ['list', 'retrieve'] });

const app = m.getApp();

test.before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
test.beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
test.after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); await require(path.resolve(__dirname, '../../dist/core/conf/state')).closeAll(); });

async function userWith(username, perms = [], extra = {}) {
  const user = await User.createUser({ username, password: 'correct horse battery', ...extra });
  if (perms.length) await user.setUserPermissions(await Permission.findAll({ where: { codename: perms } }));
  return user;
}
async function tokenClient(username, perms) {
  const user = await userWith(username, perms);
  const key = await createToken(user, 'tests');
  return { user, key, headers: { authorization: `Token ${key}` } };
}
async function seed(n = 3) {
  for (let i = 1; i <= n; i++) await Post.create({ title: `Post ${i}`, content: i === 2 ? 'about cats' : 'words', published: i % 2 === 1, views: i * 10, price: i === 1 ? '9.50' : null, kind: i === 3 ? 'essay' : 'news' });
}
const client = new Client(app);

test('list: paginated with a total count, absolute next/previous, typed plain values', async () => {
  await seed(3);
  const res = await client.get('/api/posts/');
  assert.equal(res.status, 200);
  const body = res.json();
  assert.equal(body.count, 3);
  assert.equal(body.previous, null);
  assert.equal(body.next, 'http://localhost/api/posts/?page=2');
  assert.equal(body.results.length, 2);
  const first = body.results[0];
  assert.deepEqual(Object.keys(first), ['id', 'title', 'content', 'published', 'views', 'price', 'kind', 'slug', 'authorId', 'createdAt']);
  assert.equal(first.published, true);
  assert.equal(first.price, '9.50');
  assert.match(first.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const page2 = (await client.get('/api/posts/?page=2')).json();
  assert.deepEqual(page2.results.map((p) => p.title), ['Post 3']);
  assert.equal(page2.previous, 'http://localhost/api/posts/');
  assert.equal(page2.next, null);
});

test('filters: exact, booleans, __in, ranges; search with the admin lookups; ordering; field selection', async () => {
  await seed(3);
  const titles = async (qs) => (await client.get(`/api/posts/?pageSize=10&${qs}`)).json().results.map((p) => p.title);
  assert.deepEqual(await titles('published=true'), ['Post 1', 'Post 3']);
  assert.deepEqual(await titles('published=0'), ['Post 2']);
  assert.deepEqual(await titles('views__gte=20'), ['Post 2', 'Post 3']);
  assert.deepEqual(await titles('views__in=10,30'), ['Post 1', 'Post 3']);
  assert.deepEqual(await titles('kind=essay'), ['Post 3']);
  assert.deepEqual(await titles('createdAt__gte=2000-01-01'), ['Post 1', 'Post 2', 'Post 3']);
  assert.deepEqual(await titles('search=cats'), ['Post 2']);
  assert.deepEqual(await titles('search=ost'), [], '^title is starts-with');
  assert.deepEqual(await titles('ordering=-views'), ['Post 3', 'Post 2', 'Post 1']);
  const res = await client.get('/api/posts/?fields=id,title&pageSize=1');
  assert.deepEqual(res.json().results, [{ id: 1, title: 'Post 1' }]);
});

test('bad query strings are 400s naming the parameter, in one JSON shape; undeclared fields can never be filtered', async () => {
  await seed(1);
  const cases = [
    ['password=x', 'E_API_UNKNOWN_PARAMETER', /"password"/],
    ['content=words', 'E_API_UNKNOWN_PARAMETER', /"content"/],
    ['title__startswith=P', 'E_API_UNKNOWN_PARAMETER', /"title__startswith"/],
    ['published=maybe', 'E_API_BAD_PARAMETER', /"published": must be true or false/],
    ['views=ten', 'E_API_BAD_PARAMETER', /Enter a whole number/],
    ['ordering=content', 'E_API_BAD_PARAMETER', /"content" is not an ordering field/],
    ['fields=id,password', 'E_API_BAD_PARAMETER', /"password" is not a field/],
    ['pageSize=11', 'E_API_BAD_PARAMETER', /at most 10/],
    ['page=0', 'E_API_BAD_PARAMETER', /at least 1/],
    ['page=1&page=2', 'E_API_BAD_PARAMETER', /more than once/],
    ['expand=comments', 'E_API_BAD_PARAMETER', /not an expandable relation/],
  ];
  for (const [qs, code, message] of cases) {
    const res = await client.get(`/api/posts/?${qs}`);
    assert.equal(res.status, 400, qs);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(res.json().code, code, qs);
    assert.match(res.json().error, message, qs);
  }
  assert.equal((await client.get('/api/posts/?page=9')).status, 404);
  const users = new Client(app);
  await users.forceLogin(await userWith('probe'));
  const probe = await users.get('/api/users/?password__startswith=scrypt');
  assert.equal(probe.status, 400);
  const listed = await users.get('/api/users/');
  assert.ok(!('password' in listed.json().results[0]), 'password is not a default field');
});

test('detail: only the fields, expand nests the author with one query; absent and unparsable ids are JSON 404s', async () => {
  const ann = await userWith('ann');
  const p = await Post.create({ title: 'Hello', authorId: ann.id });
  const res = await client.get(`/api/posts/${p.id}/?expand=author&fields=id,title`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { id: p.id, title: 'Hello', author: { id: ann.id, username: 'ann' } });
  const list = (await client.get('/api/posts/?expand=author')).json();
  assert.deepEqual(list.results[0].author, { id: ann.id, username: 'ann' });
  assert.equal(list.results[0].authorId, ann.id);
  const missing = await client.get('/api/posts/999/');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), { error: 'No post with id 999.', code: 'E_API_NOT_FOUND' });
  const bad = await client.get('/api/posts/abc/');
  assert.equal(bad.status, 404);
  assert.match(bad.json().error, /"abc" is not a valid post id/);
});

test('writes need credentials (401) and the model permission (403), and change nothing when refused', async () => {
  await seed(1);
  const anon = await client.post('/api/posts/', { title: 'x' }, { json: true });
  assert.equal(anon.status, 401);
  assert.equal(anon.json().code, 'E_API_NOT_AUTHENTICATED');
  assert.equal(anon.headers['www-authenticate'], 'Token');
  const { headers } = await tokenClient('reader', ['view_post']);
  for (const [method, url] of [['post', '/api/posts/'], ['put', '/api/posts/1/'], ['patch', '/api/posts/1/'], ['delete', '/api/posts/1/']]) {
    const res = await client[method](url, { title: 'changed' }, { json: true, headers });
    assert.equal(res.status, 403, `${method} ${url}`);
    assert.equal(res.json().code, 'E_API_PERMISSION_DENIED');
  }
  const wrong = await client.get('/api/notes/', { headers: { authorization: 'Token 0000000000000000000000000000000000000000' } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json().code, 'E_API_BAD_TOKEN');
  assert.equal((await Post.findByPk(1)).title, 'Post 1');
  assert.equal(await Post.count(), 1);
});

test('create with a token: 201, Location, perform sets the author, defaults applied; lastUsed recorded', async () => {
  const { user, headers } = await tokenClient('writer', ['add_post', 'change_post', 'delete_post', 'view_post']);
  const res = await client.post('/api/posts/', { title: 'Fresh', price: 12.5, published: true }, { json: true, headers });
  assert.equal(res.status, 201, res.text);
  const body = res.json();
  assert.equal(res.headers.location, `http://localhost/api/posts/${body.id}/`);
  assert.equal(body.authorId, user.id);
  assert.equal(body.price, '12.50');
  assert.equal(body.kind, 'news');
  assert.equal(body.views, 0);
  const { tokenModel } = require(path.resolve(__dirname, '../../dist/api'));
  const token = await tokenModel().findOne({ where: { userId: user.id } });
  assert.ok(token.lastUsed instanceof Date);
  assert.notEqual(token.keyHash, undefined);
  assert.equal(token.keyHash.length, 64, 'only a SHA-256 of the key is stored');
});

test('invalid input: per-field messages as the admin gives them, nothing stored', async () => {
  const { headers } = await tokenClient('writer', ['add_post', 'change_post']);
  await Post.create({ title: 'Taken', slug: 'taken' });
  const post = async (data) => client.post('/api/posts/', data, { json: true, headers });
  const expect = async (data, errors) => {
    const res = await post(data);
    assert.equal(res.status, 400, JSON.stringify(data));
    assert.equal(res.json().code, 'E_API_INVALID');
    assert.deepEqual(res.json().errors, errors, JSON.stringify(data));
  };
  await expect({}, { title: ['This field is required.'] });
  await expect({ title: '' }, { title: ['This field is required.'] });
  await expect({ title: 'x'.repeat(21) }, { title: ['Ensure this value has at most 20 characters (it has 21).'] });
  await expect({ title: 'ok', views: 'many' }, { views: ['Enter a whole number.'] });
  await expect({ title: 'ok', views: -1 }, { views: ['Views cannot be negative.'] });
  await expect({ title: 'ok', published: 'yes' }, { published: ['Must be a valid boolean.'] });
  await expect({ title: 'ok', kind: 'poem' }, { kind: ['Select a valid choice. poem is not one of the available choices.'] });
  await expect({ title: 'ok', price: '1.234' }, { price: ['Ensure that there are no more than 2 decimal places.'] });
  await expect({ title: 'ok', slug: 'taken' }, { slug: ['Post with this Slug already exists.'] });
  await expect({ title: 'ok', colour: 'red' }, { colour: ['Unknown field.'] });
  await expect({ title: 'ok', authorId: 1 }, { authorId: ['This field is read-only.'] });
  await expect({ title: ['a'] }, { title: ['Not a valid string.'] });
  const arr = await client.post('/api/posts/', [1, 2], { json: true, headers });
  assert.equal(arr.status, 400);
  assert.deepEqual(arr.json().errors, { __all__: ['Expected a JSON object.'] });
  const malformed = await client.post('/api/posts/', '{"title": ', { headers: { ...headers, 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.match(malformed.json().error, /Malformed JSON/);
  const form = await client.post('/api/posts/', { title: 'form' }, { headers });
  assert.equal(form.status, 415);
  assert.equal(form.json().code, 'E_API_UNSUPPORTED_MEDIA_TYPE');
  assert.equal(await Post.count(), 1);
});

test('PUT needs every writable required field, PATCH only those sent; DELETE is a 204', async () => {
  const { headers } = await tokenClient('editor', ['change_post', 'delete_post']);
  const p = await Post.create({ title: 'Before', views: 5 });
  const put = await client.put(`/api/posts/${p.id}/`, { views: 6 }, { json: true, headers });
  assert.equal(put.status, 400);
  assert.deepEqual(put.json().errors, { title: ['This field is required.'] });
  const patch = await client.patch(`/api/posts/${p.id}/`, { views: 7 }, { json: true, headers });
  assert.equal(patch.status, 200);
  assert.equal(patch.json().title, 'Before');
  assert.equal(patch.json().views, 7);
  const replaced = await client.put(`/api/posts/${p.id}/`, { title: 'After' }, { json: true, headers });
  assert.equal(replaced.json().title, 'After');
  const del = await client.delete(`/api/posts/${p.id}/`, undefined, { headers });
  assert.equal(del.status, 204);
  assert.equal(del.text, '');
  assert.equal(await Post.count(), 0);
  assert.equal((await client.delete(`/api/posts/${p.id}/`, undefined, { headers })).status, 404);
});

test('session writes need the CSRF token; token writes do not', async () => {
  const user = await userWith('sess', [], { isSuperuser: true });
  const strict = new Client(app, { enforceCsrfChecks: true });
  await strict.forceLogin(user);
  const refused = await strict.post('/api/posts/', { title: 'csrf' }, { json: true });
  assert.equal(refused.status, 403);
  assert.equal(refused.json().code, 'E_CSRF_FAILED');
  assert.equal(await Post.count(), 0);
  const relaxed = new Client(app);
  await relaxed.forceLogin(user);
  assert.equal((await relaxed.post('/api/posts/', { title: 'csrf' }, { json: true })).status, 201);
  const key = await createToken(user);
  assert.equal((await new Client(app, { enforceCsrfChecks: true }).post('/api/posts/', { title: 'tok' }, { json: true, headers: { authorization: `Token ${key}` } })).status, 201);
});

test('default read rule is the view permission; throttling answers 429 with Retry-After', async () => {
  assert.equal((await client.get('/api/notes/')).status, 401);
  const { headers: noPerm } = await tokenClient('noperm');
  assert.equal((await client.get('/api/notes/', { headers: noPerm })).status, 403);
  const { headers } = await tokenClient('viewer', ['view_note']);
  for (let i = 0; i < 3; i++) assert.equal((await client.get('/api/notes/', { headers })).status, 200);
  const third = await client.get('/api/notes/', { headers });
  assert.equal(third.status, 429);
  assert.match(third.headers['retry-after'], /^\d+$/);
  assert.equal(third.json().code, 'E_API_THROTTLED');
});

test('methods a resource does not offer are JSON 405s with Allow', async () => {
  const user = await userWith('u405', [], { isSuperuser: true });
  const res = await client.delete('/api/users/1/', undefined, { headers: { authorization: `Token ${await createToken(user)}` } });
  assert.equal(res.status, 405);
  assert.equal(res.headers.allow, 'GET');
  assert.equal(res.json().code, 'E_HTTP_405');
});

test('tokens are listed in the admin (prefix, never the key) and revoked by deleting them', async () => {
  const owner = await userWith('owner');
  const key = await createToken(owner, 'laptop');
  const boss = new Client(app);
  await boss.forceLogin(await userWith('boss', [], { isSuperuser: true, isStaff: true }));
  const list = await boss.get('/admin/api/token/');
  assert.equal(list.status, 200);
  assert.match(list.text, new RegExp(key.slice(0, 8)));
  assert.doesNotMatch(list.text, new RegExp(key));
  assert.equal((await boss.get('/admin/api/token/add/')).status, 403);
  const { tokenModel } = require(path.resolve(__dirname, '../../dist/api'));
  const token = await tokenModel().findOne({ where: { userId: owner.id } });
  const del = await boss.post(`/admin/api/token/${token.id}/delete/`, { post: 'yes' });
  assert.equal(del.status, 302);
  const res = await client.get('/api/notes/', { headers: { authorization: `Token ${key}` } });
  assert.equal(res.status, 401, 'a revoked token no longer authenticates');
});
