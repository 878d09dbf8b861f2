// The options Django users paste: prepopulatedFields, collapse fieldsets, saveAs, saveOnTop, viewOnSite, and `check`
// refusing an option the admin does not know (naming the closest known one).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post, Comment } = setupBlog();
const Page = m.model('Page', {
  title: { type: m.DataTypes.STRING(100), allowNull: false },
  slug: { type: m.DataTypes.STRING(50), allowNull: false },
  notes: { type: m.DataTypes.TEXT, allowNull: true },
});
Page.prototype.getAbsoluteUrl = function () { return `/pages/${this.slug}/`; };
m.admin.register(Page, {
  prepopulatedFields: { slug: ['title'] },
  fieldsets: [[null, { fields: ['title', 'slug'] }], ['Advanced', { fields: ['notes'], classes: ['collapse'] }]],
  saveAs: true,
  saveOnTop: true,
  list_display: ['title'],
  listPerPge: 10,
});
m.admin.register(Post, class PostAdmin extends m.ModelAdmin {
  searchFeilds = ['title'];
  myOwnData = { kept: true };
  inlines = [{ model: Comment, min_num: 1 }];
  viewOnSite = (post) => `/posts/${post.id}/`;
});
m.run();
useTestDatabase();

test('an unknown option is a check error naming the closest known one; a subclass keeps its own data', async () => {
  const { runChecks } = require('../../dist/core/conf/state');
  const found = (await runChecks()).filter((c) => c.id === 'admin.E900').map((c) => `${c.msg} ${c.hint ?? ''}`);
  assert.deepEqual(found.sort(), [
    "'list_display' is not an option of PageAdmin. Did you mean 'listDisplay'?",
    "'listPerPge' is not an option of PageAdmin. Did you mean 'listPerPage'?",
    "'searchFeilds' is not an option of PostAdmin. Did you mean 'searchFields'?",
    "inlines[0]: 'min_num' is not an inline option. Did you mean 'minNum'?",
  ].sort());
});

test('prepopulatedFields, a collapsed fieldset, the buttons on top, Save as new and View on site', async () => {
  const { client } = await clientFor();
  const add = await client.get('/admin/blog/page/add/');
  assert.match(add.text, /data-prepopulated="\[\{&quot;id&quot;:&quot;id_slug&quot;,&quot;from&quot;:\[&quot;id_title&quot;\],&quot;maxLength&quot;:50\}\]"/);
  assert.match(add.text, /<details class="collapse-toggle"><summary><h2>Advanced<\/h2><\/summary>/);
  assert.equal(add.text.match(/class="submit-row"/g).length, 2, 'saveOnTop: buttons above and below');
  assert.doesNotMatch(add.text, /name="_saveasnew"/, 'no "Save as new" on the add page');
  const saved = await client.post('/admin/blog/page/add/', { title: 'About', slug: 'about', notes: '' });
  assert.equal(saved.status, 302, saved.text);
  const page = await Page.findOne();
  const change = await client.get(`/admin/blog/page/${page.id}/change/`);
  assert.match(change.text, /<a href="\/pages\/about\/" class="viewsitelink">View on site<\/a>/);
  assert.match(change.text, /name="_saveasnew"/);
  // A collapsed fieldset with an error opens.
  const bad = await client.post(`/admin/blog/page/${page.id}/change/`, { title: 'About', slug: 'about', notes: 'a\u0000b' });
  assert.match(bad.text, /<details class="collapse-toggle" open>/);
  const copy = await client.post(`/admin/blog/page/${page.id}/change/`, { title: 'About (copy)', slug: 'about-copy', notes: '', _saveasnew: 'Save as new' });
  assert.equal(copy.status, 302);
  assert.equal(await Page.count(), 2);
  await page.reload();
  assert.equal(page.title, 'About', 'the original is untouched');
  const made = await Page.findOne({ where: { slug: 'about-copy' } });
  assert.equal(copy.headers.location, `/admin/blog/page/${made.id}/change/`);
  const post = await Post.create({ title: 'Hi', body: '' });
  const postPage = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.match(postPage.text, new RegExp(`<a href="/posts/${post.id}/" class="viewsitelink">`));
});
