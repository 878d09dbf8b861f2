// Change list actions: custom actions from the app file, permissions on actions, "select all across pages",
// and "delete selected" with cascades, protected rows and missing delete permissions.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { configure, model, DataTypes, admin, ModelAdmin, User, Permission, getApp, text } = require('manouche');
const { Client } = require('manouche/test');
const { state, closeAll } = require('../../dist/core/conf/state');
const { getLogEntry } = require('../../dist/admin');

configure({ admin: true, SECRET_KEY: 'actions-test', DATABASE_URL: 'sqlite::memory:', SESSION_STORE: 'memory', ALLOWED_HOSTS: ['localhost'],
  SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 }, APP_LABEL: 'news' });

const Story = model('Story', {
  headline: { type: DataTypes.STRING(100), allowNull: false },
  live: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
}, { ordering: ['id'], verboseNamePlural: 'stories' });
const Note = model('Note', { text: { type: DataTypes.STRING(100), allowNull: false } });
Note.belongsTo(Story, { as: 'story', foreignKey: { name: 'storyId', allowNull: false }, onDelete: 'CASCADE' });
const Tag = model('Tag', { name: { type: DataTypes.STRING(30), allowNull: false } });
Story.belongsToMany(Tag, { as: 'tags', through: 'news_story_tags', foreignKey: 'storyId', otherKey: 'tagId' });
const Pin = model('Pin', { place: { type: DataTypes.STRING(30), allowNull: false } });
Pin.belongsTo(Story, { as: 'story', foreignKey: { name: 'storyId', allowNull: true }, onDelete: 'SET NULL' });
const Lock = model('Lock', { reason: { type: DataTypes.STRING(100), allowNull: false } });
Lock.belongsTo(Story, { as: 'story', foreignKey: { name: 'storyId', allowNull: false }, onDelete: 'RESTRICT' });

const goLive = admin.action(async (modelAdmin, req, queryset) => { await queryset.update({ live: true }); }, { description: 'Put selected %(verbose_name_plural)s live', permissions: ['change'] });
Object.defineProperty(goLive, 'name', { value: 'goLive' });
class StoryAdmin extends ModelAdmin {
  listDisplay = ['headline', 'live'];
  listFilter = ['live'];
  listPerPage = 2;
  actions = [goLive, 'shout'];
  async shout(modelAdmin, req, queryset) {
    const n = await queryset.count();
    return text(`shouted ${n}`);
  }
}
admin.register(Story, StoryAdmin);
admin.register(Note, { listDisplay: ['text', 'story'] });
getApp();

const URL = '/admin/news/story/';
let chief; let intern;
before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  chief = await User.createSuperuser({ username: 'chief', password: 'x-very-secret-1', email: 'c@example.com' });
  intern = await User.createUser({ username: 'intern', password: 'x-very-secret-2', isStaff: true });
  const perms = await Permission.findAll({ where: { codename: ['view_story', 'delete_story'] } });
  await intern.addUserPermissions?.(perms) ?? intern.setUserPermissions?.(perms);
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

async function stories(...headlines) {
  await Story.destroy({ where: {} });
  return Story.bulkCreate(headlines.map((headline) => ({ headline })));
}

test('a custom action runs on the selected rows only and is described in the dropdown', async () => {
  const [a, b, c] = await stories('A', 'B', 'C');
  const client = new Client();
  await client.forceLogin(chief);
  const page = await client.get(URL);
  assert.match(page.text, /<option value="goLive">Put selected stories live<\/option>/);
  assert.match(page.text, /<option value="deleteSelected">Delete selected stories<\/option>/);
  const res = await client.post(URL, { action: 'goLive', index: '0', _selected_action: [String(a.id), String(c.id), 'not-a-pk'] });
  assert.equal(res.status, 302);
  assert.deepEqual((await Story.findAll({ order: [['id', 'ASC']] })).map((s) => s.live), [true, false, true]);
  assert.equal(b.live, false);
  const shouted = await client.post(URL, { action: 'shout', index: '0', _selected_action: [String(a.id), String(b.id)] });
  assert.equal(shouted.text, 'shouted 2');
});

test('"select all" across pages acts on every row the filters match, not just the page', async () => {
  await stories('A', 'B', 'C', 'D', 'E');
  await Story.update({ live: true }, { where: { headline: ['A', 'B', 'C'] } });
  const client = new Client();
  await client.forceLogin(chief);
  const page = await client.get(`${URL}?live__exact=0`);
  assert.match(page.text, /0 of 2 selected/);
  const confirm = await client.post(`${URL}?live__exact=1`, { action: 'deleteSelected', index: '0', select_across: '1', _selected_action: [] });
  assert.match(confirm.text, /Stories: 3/);
  const done = await client.post(`${URL}?live__exact=1`, { action: 'deleteSelected', post: 'yes', select_across: '1', _selected_action: (await Story.findAll({ where: { live: true } })).map((s) => String(s.id)) }, { follow: true });
  assert.match(done.text, /Successfully deleted 3 stories/);
  assert.deepEqual((await Story.findAll()).map((s) => s.headline).sort(), ['D', 'E']);
});

test('deleting every row of the last page returns to the page before, not to a page that no longer exists', async () => {
  const rows = await stories('A', 'B', 'C');
  const client = new Client();
  await client.forceLogin(chief);
  const res = await client.post(`${URL}?p=2&o=1`, { action: 'deleteSelected', post: 'yes', _selected_action: [String(rows[2].id)] });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, `${URL}?o=1`);
  assert.equal((await client.get(res.headers.location)).status, 200);
});

test('delete selected lists cascaded rows, deletes them with the stories, detaches SET NULL rows and tags, logs each', async () => {
  const [a, b] = await stories('Doomed', 'Also doomed');
  await Note.bulkCreate([{ text: 'note on doomed', storyId: a.id }, { text: 'another', storyId: b.id }]);
  const [tag] = await Tag.bulkCreate([{ name: 'kept' }]);
  await a.addTags([tag]);
  const pin = await Pin.create({ place: 'front page', storyId: b.id });
  const client = new Client();
  await client.forceLogin(chief);
  const ids = [String(a.id), String(b.id)];
  const confirm = await client.post(URL, { action: 'deleteSelected', index: '0', _selected_action: ids });
  assert.match(confirm.text, /Notes: 2/);
  assert.match(confirm.text, /Story: <a href="\/admin\/news\/story\/\d+\/change\/">Story object \(\d+\)<\/a><ul><li>Note: <a href="\/admin\/news\/note\/\d+\/change\/">Note object \(\d+\)<\/a>/);
  const before = await getLogEntry().count();
  const done = await client.post(URL, { action: 'deleteSelected', post: 'yes', _selected_action: ids }, { follow: true });
  assert.match(done.text, /Successfully deleted 2 stories/);
  assert.equal(await Note.count(), 0);
  assert.equal(await getLogEntry().count(), before + 2);
  assert.equal((await Pin.findByPk(pin.id)).storyId, null);
  assert.equal(await Tag.count(), 1);
  assert.deepEqual(await Story.sequelize.models.news_story_tags.count(), 0);
});

test('protected rows and missing delete permissions stop the delete with an explanation', async () => {
  const [a] = await stories('Locked');
  await Lock.create({ reason: 'legal hold', storyId: a.id });
  const client = new Client();
  await client.forceLogin(chief);
  const refused = await client.post(URL, { action: 'deleteSelected', post: 'yes', _selected_action: [String(a.id)] });
  assert.equal(refused.status, 200);
  assert.match(refused.text, /would require deleting the following protected related objects/);
  assert.match(refused.text, /Lock: Lock object/);
  assert.equal(await Story.count({ where: { id: a.id } }), 1);
  await Lock.destroy({ where: {} });

  await Note.create({ text: 'needs permission', storyId: a.id });
  const limited = new Client();
  await limited.forceLogin(intern);
  const page = await limited.get(URL);
  assert.doesNotMatch(page.text, /goLive/, 'an action needing change permission is hidden');
  const noPerm = await limited.post(URL, { action: 'deleteSelected', post: 'yes', _selected_action: [String(a.id)] });
  assert.match(noPerm.text, /your account doesn’t have permission to delete the following types of objects/);
  assert.match(noPerm.text, /<li>note<\/li>/);
  assert.equal(await Story.count({ where: { id: a.id } }), 1);
  const forged = await limited.post(URL, { action: 'goLive', index: '0', _selected_action: [String(a.id)] }, { follow: true });
  assert.match(forged.text, /No action selected/);
  assert.equal((await Story.findByPk(a.id)).live, false);
});
