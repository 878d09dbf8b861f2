// Function endpoints with zod, valibot and arktype; the OpenAPI 3.1 document (validated); the docs page; the commands.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const m = require('manouche');
const v = require('valibot');
const { type } = require('arktype');

const { configure, model, DataTypes, api, z, User, Client, json } = m;
configure({
  DEBUG: true, SECRET_KEY: 'api-endpoint-tests-key-0123456789-abcdefghijklmnopqrstuvwxyz', ALLOWED_HOSTS: ['localhost'],
  SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 }, SESSION_STORE: 'memory', APP_LABEL: 'shop', DATABASE_URL: 'sqlite::memory:', auth: true, api: true,
});
const { state, closeAll } = require(path.resolve(__dirname, '../../dist/core/conf/state'));
const { createToken } = require(path.resolve(__dirname, '../../dist/api'));

const Item = model('Item', {
  name: { type: DataTypes.STRING(40), allowNull: false },
  price: { type: DataTypes.DECIMAL(8, 2), allowNull: false, defaultValue: '0.00' },
  size: { type: DataTypes.ENUM('s', 'm', 'l'), allowNull: true },
});
api.resource(Item, { read: 'public', filterFields: ['size'], orderingFields: ['name'], searchFields: ['name'] });

api.get('stats/', { query: z.object({ days: z.coerce.number().int().min(1).max(365) }), response: z.object({ items: z.number(), days: z.number() }) },
  async (req, { query }) => ({ items: await Item.count(), days: query.days }));
api.post('items/<int:id>/rate/', { body: v.object({ stars: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)) }), auth: 'authenticated', status: 201 },
  async (req, { params, body }) => ({ id: params.id, stars: body.stars, by: req.user.username }));
api.put('echo/', { body: type({ word: 'string', 'times?': 'number' }) }, (req, { body }) => ({ echoed: body.word.repeat(body.times ?? 1) }));
api.get('broken/', { response: z.object({ ok: z.boolean() }) }, () => ({ ok: 'yes' }));
api.get('raw/', {}, () => json({ custom: true }, { status: 202 }));

const app = m.getApp();
const client = new Client(app);
test.before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
test.beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
test.after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); await closeAll(); });

test('a zod query schema coerces and validates; the answer is JSON', async () => {
  await Item.create({ name: 'cup' });
  const res = await client.get('/api/stats/?days=7');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { items: 1, days: 7 });
  const bad = await client.get('/api/stats/?days=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.json().code, 'E_API_INVALID');
  assert.deepEqual(Object.keys(bad.json().errors), ['days']);
  assert.equal((await client.get('/api/stats/')).status, 400);
});

test('a valibot body schema, path converters, auth: authenticated, a custom status', async () => {
  assert.equal((await client.post('/api/items/3/rate/', { stars: 4 }, { json: true })).status, 401);
  const user = await User.createUser({ username: 'rater', password: 'correct horse battery' });
  const headers = { authorization: `Token ${await createToken(user)}` };
  const ok = await client.post('/api/items/3/rate/', { stars: 4 }, { json: true, headers });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.json(), { id: 3, stars: 4, by: 'rater' });
  const bad = await client.post('/api/items/3/rate/', { stars: 9 }, { json: true, headers });
  assert.equal(bad.status, 400);
  assert.ok(bad.json().errors.stars.length > 0);
  const notJson = await client.post('/api/items/3/rate/', { stars: 4 }, { headers });
  assert.equal(notJson.status, 415);
  assert.equal((await client.get('/api/items/3/rate/', { headers })).status, 405);
});

test('an arktype body schema; a handler may return its own Response', async () => {
  const res = await client.put('/api/echo/', { word: 'ab', times: 2 }, { json: true });
  assert.deepEqual(res.json(), { echoed: 'abab' });
  const bad = await client.put('/api/echo/', { word: 3 }, { json: true });
  assert.equal(bad.status, 400);
  assert.ok(bad.json().errors.word);
  const raw = await client.get('/api/raw/');
  assert.equal(raw.status, 202);
  assert.deepEqual(raw.json(), { custom: true });
});

test('in DEBUG, an answer its response schema refuses is a 500 naming the endpoint', async () => {
  const orig = console.error;
  console.error = () => {};
  try {
    const res = await client.get('/api/broken/');
    assert.equal(res.status, 500);
    assert.match(res.json().error, /GET broken\/ returned a value its response schema refuses: ok:/);
  } finally { console.error = orig; }
});

test('the OpenAPI document validates against the OpenAPI 3.1 schema and documents everything declared', async () => {
  const res = await client.get('/api/openapi.json');
  assert.equal(res.status, 200);
  const doc = res.json();
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/broken/', '/api/echo/', '/api/items/', '/api/items/{id}/rate/', '/api/items/{pk}/', '/api/raw/', '/api/stats/']);
  const list = doc.paths['/api/items/'].get;
  assert.deepEqual(list.parameters.map((p) => p.name), ['page', 'pageSize', 'fields', 'search', 'ordering', 'size', 'size__in']);
  assert.deepEqual(doc.components.schemas.Item.properties.size, { enum: ['s', 'm', 'l', null] });
  assert.deepEqual(doc.components.schemas.ItemInput.required, ['name']);
  assert.deepEqual(doc.paths['/api/stats/'].get.parameters[0], { name: 'days', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 365 } });
  assert.equal(doc.paths['/api/items/{id}/rate/'].post.requestBody.content['application/json'].schema.description.includes('valibot'), true, 'valibot does not describe itself: documented as untyped');
  assert.deepEqual(doc.paths['/api/echo/'].put.requestBody.content['application/json'].schema.required, ['word']);
  assert.ok(doc.components.securitySchemes.tokenAuth);
  assert.equal(doc.components.responses.E400.content['application/json'].schema.$ref, '#/components/schemas/Error');
});

test('/api/docs/ serves Swagger UI from the package, no CDN; only its own assets', async () => {
  const page = await client.get('/api/docs/');
  assert.equal(page.status, 200);
  assert.match(page.text, /<script src="\/api\/docs\/swagger-ui-bundle\.js">/);
  assert.doesNotMatch(page.text, /https?:\/\//);
  const js = await client.get('/api/docs/swagger-ui-bundle.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  assert.equal((await client.get('/api/docs/package.json')).status, 404);
  assert.equal((await client.get('/api/docs/..%2Fpackage.json')).status, 404);
});

test('node app.js openapi prints the same document; createtoken prints a key once, or says why not', () => {
  const appFile = path.join(__dirname, 'fixtures', 'apiapp', 'app.js');
  const out = spawnSync(process.execPath, [appFile, 'openapi'], { encoding: 'utf8', env: { ...process.env, MANOUCHE_TESTING: '' } });
  assert.equal(out.status, 0, out.stderr);
  const doc = JSON.parse(out.stdout);
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/api/notes/']);
  const dbFile = path.join(require('node:os').tmpdir(), `manouche-apiapp-${process.pid}.sqlite3`);
  const env = { ...process.env, MANOUCHE_TESTING: '', DATABASE_URL: `sqlite:${dbFile}`, MANOUCHE_SUPERUSER_PASSWORD: 'correct horse battery', MANOUCHE_SUPERUSER_USERNAME: 'ann', MANOUCHE_SUPERUSER_EMAIL: 'ann@example.com' };
  try {
    assert.equal(spawnSync(process.execPath, [appFile, 'migrate'], { encoding: 'utf8', env }).status, 0);
    const missing = spawnSync(process.execPath, [appFile, 'createtoken', 'nobody'], { encoding: 'utf8', env });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /user 'nobody' does not exist/);
    assert.equal(spawnSync(process.execPath, [appFile, 'createsuperuser', '--noinput'], { encoding: 'utf8', env }).status, 0);
    const made = spawnSync(process.execPath, [appFile, 'createtoken', 'ann', '--name', 'ci'], { encoding: 'utf8', env });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /^[0-9a-f]{40}\n$/);
    assert.match(made.stderr, /shown only once/);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) require('node:fs').rmSync(dbFile + suffix, { force: true });
  }
});

test('declarations are checked when made, naming the model or endpoint and the mistake', () => {
  assert.throws(() => api.resource(Item, { path: 'x1', fields: ['id', 'nope'] }), /api\.resource\(Item\): fields names "nope", which is not a stored attribute/);
  assert.throws(() => api.resource(Item, { path: 'x2', fields: ['id', 'name'], filterFields: ['price'] }), /filterFields names "price", which is not in fields/);
  assert.throws(() => api.resource(Item, { path: 'x3', searchFields: ['colour'] }), /searchFields: .*'colour'/);
  assert.throws(() => api.resource(Item, { path: 'x4', throttle: 'lots' }), /throttle must look like '100\/minute'/);
  assert.throws(() => api.resource(Item), /the path 'items' is already used by Item/);
  assert.throws(() => api.get('bad/', { query: { days: 1 } }, () => 1), /query must be a Standard Schema/);
  assert.throws(() => api.get('stats/', {}, () => 1), /declared twice/);
});
