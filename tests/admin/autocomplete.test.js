// admin:autocomplete: the JSON search behind autocompleteFields — search fields, pages of 20, permissions, bad parameters.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { configure, model, DataTypes, admin, User, Permission, getApp } = require('manouche');
const { Client } = require('manouche/test');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({ admin: true, SECRET_KEY: 'autocomplete-test', DATABASE_URL: 'sqlite::memory:', SESSION_STORE: 'memory', ALLOWED_HOSTS: ['localhost'],
  SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 }, APP_LABEL: 'shop' });

const Maker = model('Maker', { name: { type: DataTypes.STRING(100), allowNull: false } }, { ordering: ['name'] });
const Tag = model('Tag', { label: { type: DataTypes.STRING(50), allowNull: false } });
const Item = model('Item', { title: { type: DataTypes.STRING(100), allowNull: false } });
Item.belongsTo(Maker, { as: 'maker', foreignKey: 'makerId' });
Item.belongsTo(Tag, { as: 'tag', foreignKey: 'tagId' });
admin.register(Maker, { searchFields: ['^name'] });
admin.register(Tag, {});
admin.register(Item, { autocompleteFields: ['maker', 'tag'], listDisplay: ['title', 'maker'], listEditable: ['maker'] });
getApp();

const URL = '/admin/autocomplete/';
const q = (params) => `${URL}?${new URLSearchParams({ app_label: 'shop', model_name: 'item', field_name: 'maker', ...params })}`;
let boss; let clerk;
before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  boss = await User.createSuperuser({ username: 'boss', password: 'x-very-secret-1', email: 'b@example.com' });
  clerk = await User.createUser({ username: 'clerk', password: 'x-very-secret-2', isStaff: true });
  const names = Array.from({ length: 25 }, (_, i) => `Acme ${String(i).padStart(2, '0')}`);
  await Maker.bulkCreate([...names.map((name) => ({ name })), { name: 'Zeta <b>works</b>' }]);
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

test('results are {id, text} pages of 20 in the related model\'s ordering, with pagination.more', async () => {
  const client = new Client();
  await client.forceLogin(boss);
  const first = await client.get(q({ term: 'acme' }));
  assert.equal(first.status, 200);
  const body = first.json();
  assert.equal(body.results.length, 20);
  assert.deepEqual(body.results[0], { id: String((await Maker.findOne({ where: { name: 'Acme 00' } })).id), text: 'Acme 00' });
  assert.equal(body.pagination.more, true);
  const second = (await client.get(q({ term: 'acme', page: '2' }))).json();
  assert.equal(second.results.length, 5);
  assert.equal(second.pagination.more, false);
  const zeta = (await client.get(q({ term: 'ZET' }))).json();
  assert.deepEqual(zeta.results.map((r) => r.text), ['Zeta <b>works</b>']);
  assert.deepEqual((await client.get(q({ term: 'works' }))).json().results, [], '^name is starts-with');
});

test('a field outside autocompleteFields, an unknown model, a target without searchFields or a bad page is refused', async () => {
  const client = new Client();
  await client.forceLogin(boss);
  assert.equal((await client.get(q({ field_name: 'title' }))).status, 404);
  assert.equal((await client.get(q({ model_name: 'nothing' }))).status, 404);
  const tag = await client.get(q({ field_name: 'tag' }));
  assert.equal(tag.status, 404);
  assert.match(tag.json().error, /searchFields/);
  assert.equal((await client.get(q({ page: 'x' }))).status, 400);
  assert.equal((await client.get(q({ term: 'a\0b' }))).status, 400);
});

test('the user needs the related model\'s view permission; anonymous users go to the login page', async () => {
  const anonymous = await new Client().get(q({ term: 'a' }));
  assert.equal(anonymous.status, 302);
  assert.match(anonymous.headers.location, /\/admin\/login\/\?next=/);
  const client = new Client();
  await client.forceLogin(clerk);
  assert.equal((await client.get(q({ term: 'a' }))).status, 403);
  const view = await Permission.findOne({ where: { codename: 'view_maker' } });
  await clerk.addUserPermission?.(view) ?? clerk.setUserPermissions?.([view]);
  const allowed = await client.get(q({ term: '"acme 1"' }));
  assert.equal(allowed.status, 200);
  assert.equal(allowed.json().results.length, 10);
});

test('a listEditable foreign key to a table of more than 1000 rows becomes an autocomplete box, not a 1000-option select', async () => {
  const client = new Client();
  await client.forceLogin(boss);
  const acme = await Maker.findOne({ where: { name: 'Acme 03' } });
  await Item.create({ title: 'Anvil', makerId: acme.id });
  const small = await client.get('/admin/shop/item/');
  assert.match(small.text, /<select name="form-0-makerId"[^>]*>(<option[^>]*>[^<]*<\/option>){27}<\/select>/, 'under the limit: every maker');
  await Maker.bulkCreate(Array.from({ length: 1000 }, (_, i) => ({ name: `Bulk ${i}` })));
  const big = await client.get('/admin/shop/item/');
  assert.match(big.text, /<select name="form-0-makerId"[^>]*data-autocomplete-url="\/admin\/autocomplete\/"[^>]*data-field-name="makerId"/);
  assert.match(big.text, /<option value="\d+" selected>Acme 03<\/option><\/select>/, 'only the current maker is in the page');
  assert.match(big.text, /admin\/autocomplete\.js/);
  const found = await client.get(q({ field_name: 'makerId', term: '"bulk 99"' }));
  assert.deepEqual(found.json().results.map((r) => r.text).slice(0, 2), ['Bulk 99', 'Bulk 990']);
});
