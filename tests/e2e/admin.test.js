// The admin in a real browser (Debian's Chromium through playwright-core): login, add with an error, search, filter,
// bulk delete, inline edits, a limited staff user, logout — and a screenshot of each page type for docs/.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { openPage } = require('./browser');
const { app, Post, Comment, Tag } = require('./fixtures/blog/app');
const { User, Permission } = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

// docs/screenshots is rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the checkout clean.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? path.join(__dirname, '..', '..', 'docs', 'screenshots')
  : fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'manouche-shots-'));
const PASSWORD = 'correct-horse-42';
let server; let base; let browser; let page;

before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  const boss = await User.createSuperuser({ username: 'admin', password: PASSWORD, email: 'admin@example.com' });
  const editor = await User.createUser({ username: 'editor', password: PASSWORD, isStaff: true });
  const perms = await Permission.findAll({ where: { codename: ['view_post', 'change_post'] } });
  await editor.addUserPermissions?.(perms) ?? editor.setUserPermissions?.(perms);
  const day = 86400000;
  const titles = ['Hello manouche', 'Django in Node', 'Single-file apps', 'Hello again', 'Migrations explained', 'Admin tour'];
  for (const [i, title] of titles.entries()) {
    const post = await Post.create({ title, body: `About ${title.toLowerCase()}.`, authorId: boss.id, published: i % 2 === 0, status: i % 2 === 0 ? 'live' : 'draft', views: i * 7, createdAt: new Date(Date.now() - i * 40 * day) });
    if (i < 2) await Comment.bulkCreate([{ body: `First on ${title}`, postId: post.id }, { body: `Second on ${title}`, postId: post.id }]);
  }
  await Tag.bulkCreate(['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((name) => ({ name })));
  server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  base = `http://127.0.0.1:${server.address().port}`;
  fs.mkdirSync(SHOTS, { recursive: true });
  ({ browser, page } = await openPage());
});

after(async () => {
  await browser?.close();
  if (process.env.UPDATE_SCREENSHOTS !== '1') fs.rmSync(SHOTS, { recursive: true, force: true });
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const message = () => page.locator('.messagelist li').first().textContent();

async function login(username) {
  await page.goto(`${base}/admin/`);
  assert.match(page.url(), /\/admin\/login\/\?next=/);
  await page.fill('#id_username', username);
  await page.fill('#id_password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('input[type=submit]')]);
}

test('login: a wrong password shows one error, the right one opens the index', async () => {
  await page.goto(`${base}/admin/login/`);
  await page.fill('#id_username', 'admin');
  await page.fill('#id_password', 'wrong password');
  await Promise.all([page.waitForNavigation(), page.click('input[type=submit]')]);
  assert.match(await page.locator('.errornote').textContent(), /correct username and password/i);
  await shot('login');
  await login('admin');
  assert.equal(new URL(page.url()).pathname, '/admin/');
  assert.match(await page.textContent('#user-tools'), /Welcome, admin/);
  assert.ok(await page.isVisible('text=Posts'));
});

test('add: a missing title is reported next to the field, then the post is saved', async () => {
  // The browser's own "required" check would stop an empty title: bypass it, as a user with an old browser would.
  await page.goto(`${base}/admin/blog/post/add/`);
  await page.evaluate(() => document.querySelectorAll('[required]').forEach((el) => el.removeAttribute('required')));
  await page.fill('textarea[name=body]', 'Kept after the error');
  await Promise.all([page.waitForNavigation(), page.locator('input[type=submit].default').first().click()]);
  assert.match(await page.textContent('.errornote'), /Please correct the error/);
  assert.match(await page.textContent('.errorlist'), /This field is required/);
  assert.equal((await page.inputValue('textarea[name=body]')).trim(), 'Kept after the error');
  await shot('change-form-errors');
  await page.fill('input[name=title]', 'Written in a browser');
  // The author is picked through the autocomplete box (admin:autocomplete), not a select of every user.
  await page.fill('.autocomplete-input', 'adm');
  await page.click('.autocomplete-results li:text-is("admin")');
  await Promise.all([page.waitForNavigation(), page.locator('input[type=submit].default').first().click()]);
  assert.match(await message(), /was added successfully/);
  const written = await Post.findOne({ where: { title: 'Written in a browser' } });
  assert.equal(written.authorId, (await User.findOne({ where: { username: 'admin' } })).id);
});

test('change list: search, filter, sort, with the count and filters kept', async () => {
  await page.goto(`${base}/admin/blog/post/`);
  assert.match(await page.textContent('.paginator'), /7 posts/);
  await shot('change-list');
  await page.fill('#searchbar', 'hello');
  await Promise.all([page.waitForNavigation(), page.press('#searchbar', 'Enter')]);
  assert.match(await page.textContent('#toolbar'), /2 results/);
  assert.equal(await page.locator('#result_list tbody tr').count(), 2);
  await Promise.all([page.waitForNavigation(), page.click('#changelist-filter details[data-filter-title="published"] a:text-is("Yes")')]);
  assert.match(page.url(), /published__exact=1/);
  assert.match(page.url(), /q=hello/);
  assert.deepEqual(await page.locator('#result_list tbody th.field-title a').allTextContents(), ['Hello manouche']);
  await page.goto(`${base}/admin/blog/post/?published__exact=nope`);
  assert.match(await page.textContent('body'), /Invalid value/);
});

test('bulk delete: the counter follows the checkboxes, the confirmation lists cascades, then both go', async () => {
  await page.goto(`${base}/admin/blog/post/?q=hello`);
  const boxes = page.locator('input.action-select');
  await boxes.nth(0).check();
  assert.equal((await page.textContent('.action-counter')).trim(), '1 of 2 selected');
  await page.check('#action-toggle');
  assert.equal((await page.textContent('.action-counter')).trim(), '2 of 2 selected');
  await page.selectOption('select[name=action]', 'deleteSelected');
  await Promise.all([page.waitForNavigation(), page.click('button[name=index]')]);
  assert.match(await page.textContent('#content'), /Are you sure you want to delete the selected posts/);
  assert.match(await page.textContent('.deleted-objects'), /Comment: First on Hello manouche/);
  await shot('delete-confirmation');
  await Promise.all([page.waitForNavigation(), page.click('input[value^="Yes"]')]);
  assert.match(await message(), /Successfully deleted 2 posts/);
  assert.equal(await Post.count({ where: { title: ['Hello manouche', 'Hello again'] } }), 0);
  assert.equal(await Comment.count({ where: { body: 'First on Hello manouche' } }), 0);
});

test('inline edits: views edited in the list, a comment added on the post page, and the history shows both', async () => {
  await page.goto(`${base}/admin/blog/post/?q=Django`);
  await page.fill('input[name="form-0-views"]', '999');
  await Promise.all([page.waitForNavigation(), page.click('input[name=_save]')]);
  assert.match(await message(), /1 post was changed successfully/);
  const post = await Post.findOne({ where: { title: 'Django in Node' } });
  assert.equal(post.views, 999);
  await Promise.all([page.waitForNavigation(), page.click('#result_list a:text-is("Django in Node")')]);
  assert.match(page.url(), /_changelist_filters=q%3DDjango/);
  const empty = page.locator('.inline-group input[name$="-body"], .inline-group textarea[name$="-body"]').last();
  await empty.fill('Added from the browser');
  await Promise.all([page.waitForNavigation(), page.locator('input[type=submit].default').first().click()]);
  assert.match(await message(), /was changed successfully/);
  assert.match(page.url(), /q=Django/, 'back on the filtered list');
  assert.equal(await Comment.count({ where: { postId: post.id, body: 'Added from the browser' } }), 1);
  await page.goto(`${base}/admin/blog/post/${post.id}/history/`);
  assert.match(await page.textContent('#content'), /Changed/);
  await shot('history');
  await page.goto(`${base}/admin/`);
  assert.match(await page.textContent('#content'), /Django in Node/, 'recent actions on the index');
  await shot('index');
});

test('select all across pages: the list offers every matching row, and the delete takes them all', async () => {
  await page.goto(`${base}/admin/blog/tag/`);
  assert.match(await page.textContent('.paginator'), /5 tags/);
  assert.equal(await page.isVisible('.actions .question'), false);
  await page.check('#action-toggle');
  assert.equal(await page.isVisible('.actions .question'), true);
  await page.click('.actions .question a');
  assert.equal((await page.textContent('.actions .all')).trim(), 'All 5 tags selected');
  assert.equal(await page.isVisible('.action-counter'), false);
  await page.selectOption('select[name=action]', 'deleteSelected');
  await Promise.all([page.waitForNavigation(), page.click('button[name=index]')]);
  assert.match(await page.textContent('.deleted-objects'), /epsilon/);
  await Promise.all([page.waitForNavigation(), page.click('input[value^="Yes"]')]);
  assert.match(await message(), /Successfully deleted 5 tags/);
  assert.equal(await Tag.count(), 0);
});

test('a staff user with view and change only: no add, no delete, 403 on the add URL; then logout', async () => {
  await page.click('#logout-form button');
  await page.waitForLoadState();
  await login('editor');
  assert.ok(await page.isVisible('text=Posts'));
  assert.equal(await page.locator('a[href="/admin/auth/user/"]').count(), 0);
  await page.goto(`${base}/admin/blog/post/`);
  assert.equal(await page.locator('.object-tools a.addlink').count(), 0);
  const actions = await page.locator('select[name=action] option').allTextContents();
  assert.ok(!actions.some((a) => /Delete/.test(a)), actions.join());
  const res = await page.goto(`${base}/admin/blog/post/add/`);
  assert.equal(res.status(), 403);
  await page.goto(`${base}/admin/`);
  await Promise.all([page.waitForNavigation(), page.click('#logout-form button')]);
  assert.match(await page.textContent('body'), /Thanks for spending some quality time/);
  await page.goto(`${base}/admin/`);
  assert.match(page.url(), /\/admin\/login\//);
});
