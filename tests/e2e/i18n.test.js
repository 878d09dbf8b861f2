// The admin in French, in Chromium: the scripts' strings (two-box picker, autocomplete, "N of M selected") come from
// the page's catalogue island through jsi18n.js, as the server's strings come from t().
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { serveAndLogIn } = require('./browser');
const m = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

m.configure({
  admin: true, APP_LABEL: 'fr', SECRET_KEY: 'e2e-i18n-not-secret', ALLOWED_HOSTS: ['127.0.0.1'], SESSION_STORE: 'memory',
  DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:', SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 },
  LANGUAGE_CODE: 'fr', LOCALE_PATHS: [path.join(__dirname, '..', 'admin', 'fixtures', 'locale')],
});
const Tag = m.model('Tag', { name: { type: m.DataTypes.STRING(30), allowNull: false } }, { ordering: ['name'] });
const Book = m.model('Book', { title: { type: m.DataTypes.STRING(100), allowNull: false } });
Book.belongsTo(m.User, { as: 'owner', foreignKey: { name: 'ownerId', allowNull: true } });
const BookTag = m.model('BookTag', {}, { tableName: 'fr_book_tags', timestamps: false });
Book.belongsToMany(Tag, { through: BookTag, as: 'tags', foreignKey: 'bookId', otherKey: 'tagId' });
m.admin.register(Tag, { searchFields: ['name'] });
m.admin.register(Book, { filterHorizontal: ['tags'], autocompleteFields: ['owner'] });
const app = m.getApp();
let server; let base; let browser; let page;

before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  await Tag.bulkCreate([{ name: 'roman' }, { name: 'essai' }]);
  await Book.bulkCreate([{ title: 'Candide' }, { title: 'Zadig' }, { title: 'Micromégas' }]);
  await m.User.createSuperuser({ username: 'admin', password: 'correct-horse-42', email: 'admin@example.com' });
  ({ server, base, browser, page } = await serveAndLogIn(app, 'admin', 'correct-horse-42'));
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

test('the two-box picker and the autocomplete speak French; what the catalogue leaves out stays English', async () => {
  await page.goto(`${base}/admin/fr/book/add/`);
  assert.equal(await page.textContent('.selector-available h2'), 'tags disponibles');
  assert.equal(await page.textContent('.selector-chosen h2'), 'tags choisis');
  assert.equal(await page.textContent('#id_tags_add_all'), 'Tout choisir');
  assert.equal(await page.textContent('#id_tags_add'), 'Choisir →');
  assert.equal(await page.getAttribute('#id_tags_input', 'placeholder'), 'Filtre');
  assert.equal(await page.textContent('#id_tags_remove_all'), 'Remove all', 'not in the French file: English');
  assert.equal(await page.getAttribute('.autocomplete-input', 'placeholder'), 'Rechercher…');
  assert.equal(await page.inputValue('input[name=_save]'), 'Enregistrer');
});

test('the action counter counts in the page\'s sentence', async () => {
  await page.goto(`${base}/admin/fr/book/`);
  assert.equal((await page.textContent('.action-counter')).trim(), '0 sur 3 sélectionné(s)');
  await page.check('#result_list tbody tr:first-child input.action-select');
  assert.equal((await page.textContent('.action-counter')).trim(), '1 sur 3 sélectionné(s)');
});
