// Customising the admin: site title/header, ModelAdmin subclasses with get…(req) hooks, stacked inlines, reverse().
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post, Comment, Tag: TagModel } = setupBlog();
m.admin.site.siteHeader = 'Blog <admin>';
m.admin.site.siteTitle = 'Blog site';
m.admin.site.siteUrl = null;

class CommentInline extends m.admin.StackedInline {
  model = Comment;
  extra = 1;
  fields = ['body'];
}

m.admin.register(Post, class PostAdmin extends m.ModelAdmin {
  fields = ['title', 'status', 'shouted'];
  inlines = [CommentInline];
  // Each user sees only their own posts.
  getQueryset(req) { return { where: { authorId: req.user.id } }; }
  // Once published, the status is frozen.
  getReadonlyFields(req, obj) { return obj?.status === 'published' ? ['status', 'shouted'] : ['shouted']; }
  shouted(post) { return `${post.title}!`.toUpperCase(); }
  async saveModel(req, post, form, change) {
    if (!change) post.authorId = req.user.id;
    await super.saveModel(req, post, form, change);
  }
});
m.admin.register(Comment, { savePlus: false });
m.run();
useTestDatabase();

test('site header and title are configurable and escaped; "View site" can be hidden', async () => {
  const { client } = await clientFor();
  const res = await client.get('/admin/');
  assert.match(res.text, /<a href="\/admin\/">Blog &lt;admin&gt;<\/a>/);
  assert.match(res.text, /<title>Site administration \| Blog site<\/title>/);
  assert.doesNotMatch(res.text, /View site/);
});

test('saveModel and getQueryset hooks: authors own their posts and cannot open others\'', async () => {
  const { client, user } = await clientFor({ username: 'ann' });
  const res = await client.post('/admin/blog/post/add/', { title: 'Mine', status: 'draft', 'comment_set-TOTAL_FORMS': '0', 'comment_set-INITIAL_FORMS': '0' });
  assert.equal(res.status, 302, res.text);
  const mine = await Post.findOne();
  assert.equal(mine.authorId, user.id);
  const other = await Post.create({ title: 'Theirs' });
  assert.equal((await client.get(`/admin/blog/post/${mine.id}/change/`)).status, 200);
  const denied = await client.get(`/admin/blog/post/${other.id}/change/`);
  assert.equal(denied.status, 302);
  assert.equal(denied.headers.location, '/admin/');
});

test('getReadonlyFields(req, obj) and ModelAdmin methods as read-only fields', async () => {
  const { client, user } = await clientFor();
  const post = await Post.create({ title: 'Out', status: 'published', authorId: user.id });
  const res = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.match(res.text, /<span class="label">Status:<\/span><div class="readonly">Published<\/div>/);
  assert.match(res.text, /<span class="label">Shouted:<\/span><div class="readonly">OUT!<\/div>/);
  await client.post(`/admin/blog/post/${post.id}/change/`, { title: 'Out', status: 'draft', 'comment_set-TOTAL_FORMS': '0', 'comment_set-INITIAL_FORMS': '0' });
  await post.reload();
  assert.equal(post.status, 'published');
});

test('stacked inlines render one block per row and save new rows', async () => {
  const { client, user } = await clientFor();
  const post = await Post.create({ title: 'Stacked', authorId: user.id });
  const page = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.match(page.text, /<div class="inline-related form-row" id="comment_set-0">/);
  assert.match(page.text, /<label class="required" for="id_comment_set-0-body">Body:<\/label>/);
  const res = await client.post(`/admin/blog/post/${post.id}/change/`, {
    title: 'Stacked', status: 'draft', 'comment_set-TOTAL_FORMS': '1', 'comment_set-INITIAL_FORMS': '0', 'comment_set-0-body': 'stacked comment',
  });
  assert.equal(res.status, 302);
  assert.equal((await Comment.findOne()).body, 'stacked comment');
});

test('a forged inline row id of another post is refused, nothing saved', async () => {
  const { client, user } = await clientFor();
  const a = await Post.create({ title: 'A', authorId: user.id });
  const b = await Post.create({ title: 'B', authorId: user.id });
  const foreign = await Comment.create({ body: 'belongs to B', postId: b.id });
  const res = await client.post(`/admin/blog/post/${a.id}/change/`, {
    title: 'A changed', status: 'draft', 'comment_set-TOTAL_FORMS': '1', 'comment_set-INITIAL_FORMS': '1',
    'comment_set-0-id': String(foreign.id), 'comment_set-0-body': 'hijacked',
  });
  assert.equal(res.status, 200);
  await foreign.reload();
  assert.equal(foreign.body, 'belongs to B');
  await a.reload();
  assert.equal(a.title, 'A');
  const bad = await client.post(`/admin/blog/post/${a.id}/change/`, { title: 'A', status: 'draft', 'comment_set-TOTAL_FORMS': 'lots' });
  assert.equal(bad.status, 400);
});

test('URL names follow Django and reverse() builds them', async () => {
  assert.equal(m.reverse('admin:index'), '/admin/');
  assert.equal(m.reverse('admin:blog_post_changelist'), '/admin/blog/post/');
  assert.equal(m.reverse('admin:blog_post_change', { objectId: 7 }), '/admin/blog/post/7/change/');
  assert.equal(m.reverse('admin:auth_user_password_change', { objectId: 1 }), '/admin/auth/user/1/password/');
  assert.equal(m.reverse('admin:app_list', { appLabel: 'blog' }), '/admin/blog/');
  const { client } = await clientFor();
  const appIndex = await client.get('/admin/blog/');
  assert.equal(appIndex.status, 200);
  assert.match(appIndex.text, /Blog administration/);
  assert.equal((await client.get('/admin/nope/')).status, 404);
});

test('savePlus: false leaves only the Save button', async () => {
  const { client } = await clientFor();
  const res = await client.get('/admin/blog/comment/add/');
  assert.match(res.text, /name="_save"/);
  assert.doesNotMatch(res.text, /Save and add another/);
  assert.doesNotMatch(res.text, /Save and continue editing/);
});

test('a model registered after run() gets its pages; unregister hides them; registering again serves the new options', async () => {
  const { client } = await clientFor();
  assert.equal((await client.get('/admin/blog/tag/add/')).status, 404);
  m.admin.register(TagModel, { fields: ['name'] });
  assert.equal((await client.get('/admin/blog/tag/add/')).status, 200);
  assert.equal(m.reverse('admin:blog_tag_add'), '/admin/blog/tag/add/');
  m.admin.unregister(TagModel);
  assert.equal((await client.get('/admin/blog/tag/add/')).status, 404);
  m.admin.register(TagModel, { fields: ['name'], savePlus: false });
  const page = await client.get('/admin/blog/tag/add/');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Save and add another/);
});
