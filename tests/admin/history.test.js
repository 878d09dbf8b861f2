// History: every add/change made in the admin is listed on the object's history page with user and changed fields.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post } = setupBlog();
m.admin.register(Post, {});
m.run();
useTestDatabase();

test('the history page lists additions and changes, oldest first', async () => {
  const { client } = await clientFor({ username: 'editor' });
  await client.post('/admin/blog/post/add/', { title: 'First', body: '', status: 'draft' });
  const post = await Post.findOne();
  await client.post(`/admin/blog/post/${post.id}/change/`, { title: 'Second', body: 'more', status: 'draft' });
  await client.post(`/admin/blog/post/${post.id}/change/`, { title: 'Second', body: 'more', status: 'draft' });
  const res = await client.get(`/admin/blog/post/${post.id}/history/`);
  assert.equal(res.status, 200);
  assert.match(res.text, /Change history: Second/);
  const rows = [...res.text.matchAll(/<tr><th scope="row"><time[^>]*>[^<]+<\/time><\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((r) => [r[1], r[2]]);
  assert.deepEqual(rows, [['editor', 'Added.'], ['editor', 'Changed Title and Body.'], ['editor', 'No fields changed.']]);
});

test('an object made outside the admin has no history yet', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'Quiet' });
  const res = await client.get(`/admin/blog/post/${post.id}/history/`);
  assert.ok(res.text.includes('This object doesn’t have a change history. It probably wasn’t added via this admin site.'));
});
