// Per-model permissions: staff see and do only what view/add/change/delete allow; view-only is a read-only form.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post, Tag, Comment } = setupBlog();
m.admin.register(Post, { inlines: [{ model: Comment, extra: 1 }] });
m.admin.register(Tag, class extends m.ModelAdmin {
  // A hook overriding the permission rules: nobody deletes tags through the admin.
  async hasDeletePermission() { return false; }
});
m.run();
useTestDatabase();

test('a staff user without permissions sees nothing and gets 403 on direct URLs', async () => {
  const { client } = await clientFor({ username: 'nobody', superuser: false });
  const post = await Post.create({ title: 'Secret' });
  const index = await client.get('/admin/');
  assert.equal(index.status, 200);
  assert.ok(index.text.includes('You don’t have permission to view or edit anything.'));
  for (const url of ['/admin/blog/post/add/', `/admin/blog/post/${post.id}/change/`, `/admin/blog/post/${post.id}/delete/`, `/admin/blog/post/${post.id}/history/`]) {
    assert.equal((await client.get(url)).status, 403, url);
  }
  assert.equal((await client.post('/admin/blog/post/add/', { title: 'x', status: 'draft' })).status, 403);
  assert.equal(await Post.count(), 1);
});

test('view permission gives a read-only form without save buttons, and POST is refused', async () => {
  const { client } = await clientFor({ username: 'viewer', superuser: false, perms: ['blog.view_post'] });
  const post = await Post.create({ title: 'Look <only>' });
  const index = await client.get('/admin/');
  assert.match(index.text, /href="\/admin\/blog\/post\/" class="viewlink">View/);
  assert.doesNotMatch(index.text, /href="\/admin\/blog\/post\/add\/"/);
  const res = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.equal(res.status, 200);
  assert.match(res.text, /<h1>View post<\/h1>/);
  assert.match(res.text, /<div class="readonly">Look &lt;only&gt;<\/div>/);
  assert.doesNotMatch(res.text, /name="title"/);
  assert.doesNotMatch(res.text, /name="_save"/);
  assert.doesNotMatch(res.text, /class="deletelink"/);
  assert.equal((await client.post(`/admin/blog/post/${post.id}/change/`, { title: 'hacked', status: 'draft' })).status, 403);
  await post.reload();
  assert.equal(post.title, 'Look <only>');
});

test('add and change permissions allow exactly those pages', async () => {
  const { client } = await clientFor({ username: 'writer', superuser: false, perms: ['blog.add_post', 'blog.change_post'] });
  const res = await client.post('/admin/blog/post/add/', { title: 'Mine', body: '', status: 'draft' });
  assert.equal(res.status, 302);
  const post = await Post.findOne();
  assert.equal((await client.get(`/admin/blog/post/${post.id}/change/`)).status, 200);
  assert.equal((await client.get(`/admin/blog/post/${post.id}/delete/`)).status, 403);
});

test('has…Permission hooks override the rules, even for superusers', async () => {
  const { client } = await clientFor();
  const tag = await Tag.create({ name: 'forever' });
  const page = await client.get(`/admin/blog/tag/${tag.id}/change/`);
  assert.doesNotMatch(page.text, /class="deletelink"/);
  assert.equal((await client.post(`/admin/blog/tag/${tag.id}/delete/`, { post: 'yes' })).status, 403);
  assert.equal(await Tag.count(), 1);
});

test('inlines follow the related model\'s permissions: view-only rows, no new rows, no deletes', async () => {
  const { client } = await clientFor({ username: 'moderator', superuser: false, perms: ['blog.change_post', 'blog.view_comment'] });
  const post = await Post.create({ title: 'Watched' });
  const comment = await Comment.create({ body: 'original', postId: post.id });
  const page = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<p>original<\/p>/);
  assert.doesNotMatch(page.text, /name="comment_set-0-body"/);
  assert.doesNotMatch(page.text, /comment_set-0-DELETE/);
  assert.doesNotMatch(page.text, /Add another Comment/);
  const res = await client.post(`/admin/blog/post/${post.id}/change/`, {
    title: 'Watched', status: 'draft', 'comment_set-TOTAL_FORMS': '2', 'comment_set-INITIAL_FORMS': '1',
    'comment_set-0-id': String(comment.id), 'comment_set-0-body': 'rewritten', 'comment_set-0-DELETE': 'on',
    'comment_set-1-body': 'smuggled in',
  });
  assert.equal(res.status, 302);
  const rows = await Comment.findAll();
  assert.deepEqual(rows.map((c) => c.body), ['original']);
});

test('without any permission on the related model the inline is not shown', async () => {
  const { client } = await clientFor({ username: 'solo', superuser: false, perms: ['blog.change_post'] });
  const post = await Post.create({ title: 'Alone' });
  const page = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.doesNotMatch(page.text, /comment_set/);
});

test('a view-only page shows inline rows read-only', async () => {
  const { client } = await clientFor({ username: 'reader2', superuser: false, perms: ['blog.view_post', 'blog.view_comment'] });
  const post = await Post.create({ title: 'Read' });
  await Comment.create({ body: 'visible', postId: post.id });
  const page = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.match(page.text, /<p>visible<\/p>/);
  assert.doesNotMatch(page.text, /name="comment_set-0-body"/);
  assert.doesNotMatch(page.text, /Add another Comment/);
});
