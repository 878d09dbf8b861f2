// The change list page through the whole framework: columns, search, filters, sorting, pages, 400s, permissions, listEditable.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { configure, model, DataTypes, admin, ModelAdmin, User, Permission, getApp } = require('manouche');
const { Client } = require('manouche/test');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({ admin: true, SECRET_KEY: 'changelist-test', DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:', SESSION_STORE: 'memory', ALLOWED_HOSTS: ['localhost'],
  SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 }, APP_LABEL: 'blog' });

const Post = model('Post', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft', choices: [['draft', 'Draft'], ['live', 'Live']] },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
}, { ordering: ['-id'] });
Post.belongsTo(User, { as: 'author', foreignKey: 'authorId' });

function shout(obj) { return obj.title.toUpperCase(); }
shout.description = 'Loud title';
class PostAdmin extends ModelAdmin {
  listDisplay = ['title', 'author', 'published', 'views', shout, 'isPopular', 'authorPosts'];
  searchFields = ['title', 'author__username'];
  listFilter = ['published', 'status', 'author', 'createdAt'];
  listEditable = ['views'];
  listPerPage = 3;
  listMaxShowAll = 10;
  searchHelpText = 'Title or author <name>';
  isPopular(obj) { return obj.views >= 10; }
  async authorPosts(obj) { return `${await Post.count({ where: { authorId: obj.authorId } })} by author`; }
}
PostAdmin.prototype.isPopular.boolean = true;
PostAdmin.prototype.isPopular.description = 'Popular?';
admin.register(Post, PostAdmin);
getApp();

let ann; let bob; let staff;
const superClient = new Client();
before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  ann = await User.createSuperuser({ username: 'ann', password: 'x-very-secret-1', email: 'ann@example.com' });
  bob = await User.createUser({ username: 'bob', password: 'x-very-secret-2' });
  staff = await User.createUser({ username: 'viewer', password: 'x-very-secret-3', isStaff: true });
  await Post.bulkCreate([
    { title: 'Hello <script>', authorId: ann.id, published: true, views: 12, status: 'live' },
    { title: 'Second', authorId: bob.id, views: 3 },
    { title: 'Third', authorId: ann.id, views: 0 },
    { title: 'Fourth hello', authorId: bob.id, published: true, views: 40, status: 'live' },
  ]);
  await superClient.forceLogin(ann);
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

const URL = '/admin/blog/post/';

test('the list shows a page of rows, a total count, FK strings, boolean icons, callables, escaped', async () => {
  const res = await superClient.get(URL);
  assert.equal(res.status, 200);
  assert.match(res.text, /Select post to change/);
  assert.match(res.text, /4 posts/);
  assert.match(res.text, /Fourth hello/);
  assert.doesNotMatch(res.text, /Hello &lt;script&gt;<\/a>/, 'page 1 holds 3 rows of -id');
  assert.match(res.text, /FOURTH HELLO/);
  assert.match(res.text, />bob<\/td>/);
  assert.match(res.text, /<th scope="col" class="column-shout">\s*<div class="text"><span>Loud title<\/span>/);
  assert.match(res.text, /class="bool-icon yes"/);
  assert.match(res.text, /<span>Popular\?<\/span>/, 'a ModelAdmin method\'s description names its column');
  assert.match(res.text, /<td class="field-authorPosts">2 by author<\/td>/, 'async ModelAdmin methods are awaited');
  assert.match(res.text, /0 of 3 selected/);
  assert.match(res.text, /href="\?p=2"/);
  assert.match(res.text, /class="showall"/);
  const all = await superClient.get(`${URL}?all=`);
  assert.match(all.text, /Hello &lt;script&gt;/);
  assert.doesNotMatch(all.text, /Hello <script>/);
});

test('search across the author FK, filters and sorting narrow and order the list', async () => {
  const res = await superClient.get(`${URL}?q=BOB`);
  assert.match(res.text, /2 results \(<a href="\?">4 total<\/a>\)/);
  assert.match(res.text, /id="searchbar_helptext">Title or author &lt;name&gt;</);
  assert.match(res.text, /Fourth hello/);
  assert.doesNotMatch(res.text, /Third/);
  const live = await superClient.get(`${URL}?status__exact=live&o=4`);
  const order = [...live.text.matchAll(/field-title"><input type="hidden" name="form-\d+-id" value="\d+">(?:<input type="hidden" name="form-\d+-_version"[^>]*>)?<a href="[^"]+">([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(order, ['Hello &lt;script&gt;', 'Fourth hello']);
  assert.match(live.text, /aria-current="true">Live</);
  assert.match(live.text, /Clear all filters/);
  const link = /<a href="([^"]+)">Hello &lt;script&gt;<\/a>/.exec(live.text)[1].replace(/&amp;/g, '&');
  assert.match(link, /\/change\/\?_changelist_filters=status__exact%3Dlive%26o%3D4$/);
});

test('a lookup the admin did not whitelist, a bad value, a bad page, a NUL or a 1500-word search answers 400, not 500', async () => {
  const manyWords = `?q=${Array.from({ length: 1500 }, (_, i) => `w${i}`).join('+')}`;
  for (const qs of ['?password__startswith=a', '?author__password=x', '?published__exact=yes', '?p=0', '?p=99', '?q=%00abc', manyWords]) {
    const res = await superClient.get(`${URL}${qs}`);
    assert.equal(res.status, 400, qs.slice(0, 40));
    assert.match(res.text, /is not allowed|are not allowed|Invalid value|Invalid page|at most 50 words/, qs.slice(0, 40));
  }
  // A page the last count put in the first half is read while the count runs; when the rows are gone meanwhile, it is a 400 too.
  const extra = await Post.bulkCreate(Array.from({ length: 20 }, (_, i) => ({ title: `Extra ${i}`, authorId: bob.id })));
  assert.match((await superClient.get(`${URL}?p=3`)).text, /24 posts/);
  await Post.destroy({ where: { id: extra.map((p) => p.id) } });
  const gone = await superClient.get(`${URL}?p=3`);
  assert.equal(gone.status, 400);
  assert.match(gone.text, /Invalid page \(3\)/);
});

test('listEditable saves every row in one go, or none with per-row errors', async () => {
  const page = await superClient.get(`${URL}?o=-4`);
  const ids = [...page.text.matchAll(/name="form-(\d+)-id" value="(\d+)"/g)].map((m) => m[2]);
  assert.equal(ids.length, 3);
  const bad = await superClient.post(`${URL}?o=-4`, { 'form-TOTAL_FORMS': '3', 'form-0-id': ids[0], 'form-0-views': '7', 'form-1-id': ids[1], 'form-1-views': 'lots', 'form-2-id': ids[2], 'form-2-views': '1', _save: 'Save' });
  assert.equal(bad.status, 200);
  assert.match(bad.text, /Please correct the errors below/);
  assert.match(bad.text, /Enter a whole number/);
  assert.match(bad.text, /value="lots"/);
  const nul = await superClient.post(`${URL}?o=-4`, { 'form-TOTAL_FORMS': '1', 'form-0-id': ids[0], 'form-0-views': '4\u00002', _save: 'Save' });
  assert.match(nul.text, /Null characters are not allowed/);
  assert.equal((await Post.findByPk(ids[0])).views, 40, 'nothing saved while a row is invalid');
  const ok = await superClient.post(`${URL}?o=-4`, { 'form-TOTAL_FORMS': '3', 'form-0-id': ids[0], 'form-0-views': '41', 'form-1-id': ids[1], 'form-1-views': '12', 'form-2-id': ids[2], 'form-2-views': '3', _save: 'Save' }, { follow: true });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /1 post was changed successfully/);
  assert.equal((await Post.findByPk(ids[0])).views, 41);
});

// Regression (issue 10): 50 parallel listEditable saves of one row all said "changed successfully"; 49 were silently lost.
test('parallel listEditable saves of one row from pages opened together: one is saved, the others are told, nothing is lost silently', async () => {
  const page = await superClient.get(`${URL}?o=-4`);
  const [, id, version] = /name="form-0-id" value="(\d+)"><input type="hidden" name="form-0-_version" value="([^"]+)"/.exec(page.text);
  const post = (views, v) => superClient.post(`${URL}?o=-4`, { 'form-TOTAL_FORMS': '1', 'form-0-id': id, 'form-0-_version': v, 'form-0-views': String(views), _save: 'Save' });
  const saves = await Promise.all(Array.from({ length: 10 }, (_, i) => post(100 + i, version)));
  const winner = saves.findIndex((r) => r.status === 302);
  assert.ok(winner >= 0);
  const refused = saves.filter((r) => r.status !== 302);
  assert.equal(refused.length, 9);
  for (const r of refused) assert.match(r.text, /was changed by someone else after you opened this page/);
  assert.equal((await Post.findByPk(id)).views, 100 + winner);
  // The refused page carries the current version: saving it again overwrites knowingly.
  const current = /name="form-0-_version" value="([^"]+)"/.exec(refused[0].text)[1];
  assert.equal((await post(7, current)).status, 302);
  assert.equal((await Post.findByPk(id)).views, 7);
});

test('actions: nothing selected warns; delete selected asks first, then deletes and says how many', async () => {
  const none = await superClient.post(URL, { action: 'deleteSelected', index: '0' }, { follow: true });
  assert.match(none.text, /Items must be selected in order to perform actions on them/);
  const extra = await Post.bulkCreate([{ title: 'Doomed one' }, { title: 'Doomed two' }]);
  const pks = extra.map((p) => String(p.id));
  // Regression: on a searched list the where joins the author (author__username), the selected rows must too.
  const confirm = await superClient.post(`${URL}?q=doomed`, { action: 'deleteSelected', index: '0', _selected_action: pks });
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /Are you sure you want to delete the selected posts/);
  assert.match(confirm.text, /Post: <a href="\/admin\/blog\/post\/\d+\/change\/">Doomed one<\/a>/);
  assert.equal(await Post.count({ where: { id: pks } }), 2);
  const done = await superClient.post(`${URL}?q=doomed`, { action: 'deleteSelected', post: 'yes', _selected_action: pks }, { follow: true });
  assert.match(done.text, /Successfully deleted 2 posts/);
  assert.equal(await Post.count({ where: { id: pks } }), 0);
});

test('a staff user without permissions gets 403; with view only, no actions, no inputs, no add link', async () => {
  const client = new Client();
  await client.forceLogin(staff);
  assert.equal((await client.get(URL)).status, 403);
  const view = await Permission.findOne({ where: { codename: 'view_post' } });
  await staff.addUserPermission?.(view) ?? staff.setUserPermissions?.([view]);
  const res = await client.get(URL);
  assert.equal(res.status, 200);
  assert.match(res.text, /Select post to view/);
  assert.doesNotMatch(res.text, /name="action"/);
  assert.doesNotMatch(res.text, /form-0-views/);
  assert.doesNotMatch(res.text, /Add post/);
  const post = await client.post(URL, { action: 'deleteSelected', post: 'yes', _selected_action: ['1'] });
  assert.notEqual(post.status, 500);
  assert.equal(await Post.count({ where: { id: 1 } }), 1);
});

test('as a raw-id lookup popup the list offers rows to pick, keeps _popup in its links, and refuses unknown _to_field', async () => {
  const res = await superClient.get(`${URL}?_popup=1&_to_field=id`);
  assert.equal(res.status, 200);
  assert.match(res.text, /<h1>Select post<\/h1>/);
  assert.match(res.text, /data-popup-opener="\d+"/);
  assert.doesNotMatch(res.text, /name="action"/);
  assert.doesNotMatch(res.text, /name="form-0-views"/);
  assert.match(res.text, /href="\?_popup=1&amp;_to_field=id&amp;o=/);
  assert.equal((await superClient.get(`${URL}?_popup=1&_to_field=nope`)).status, 400);
});
