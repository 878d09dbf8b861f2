// The delete page: confirmation with cascades, one transaction, log entry, message; deleted rows answer Django's message.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post, Tag, Comment } = setupBlog();
m.admin.register(Post, {});
m.admin.register(Comment, {});
m.run();
useTestDatabase();

test('the confirmation lists what cascades, escaped', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: '<script>x</script>' });
  await Comment.bulkCreate([{ body: 'one', postId: post.id }, { body: 'two', postId: post.id }]);
  const res = await client.get(`/admin/blog/post/${post.id}/delete/`);
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('Are you sure you want to delete the post “&lt;script&gt;x&lt;/script&gt;”? All of the following related items will be deleted:'));
  assert.ok(!res.text.includes('<script>x</script>'));
  assert.match(res.text, /Posts: 1/);
  assert.match(res.text, /Comments: 2/);
  assert.match(res.text, /Comment: <a href="\/admin\/blog\/comment\/\d+\/change\/">Comment object \(\d+\)<\/a>/);
  assert.match(res.text, /value="Yes, I’m sure"/);
});

test('POST deletes the object and its cascades, logs it, and says so', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'Doomed' });
  const tag = await Tag.create({ name: 'keep' });
  await post.setTags([tag]);
  await Comment.create({ body: 'goes too', postId: post.id });
  const res = await client.post(`/admin/blog/post/${post.id}/delete/`, { post: 'yes' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/admin/blog/post/');
  assert.equal(await Post.count(), 0);
  assert.equal(await Comment.count(), 0);
  assert.equal(await Tag.count(), 1, 'tags are not owned by the post');
  const entry = await m.admin.LogEntry.findOne();
  assert.equal(entry.actionFlag, 3);
  assert.equal(entry.objectRepr, 'Doomed');
  const index = await client.get('/admin/');
  assert.ok(index.text.includes('The post “Doomed” was deleted successfully.'));
});

test('deleting a row already deleted answers "Perhaps it was deleted?"', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'Twice' });
  await post.destroy();
  const res = await client.post(`/admin/blog/post/${post.id}/delete/`, { post: 'yes' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/admin/');
  const index = await client.get('/admin/');
  assert.ok(index.text.includes(`Post with ID “${post.id}” doesn’t exist. Perhaps it was deleted?`));
});
