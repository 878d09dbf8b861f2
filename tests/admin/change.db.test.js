// The admin's saves on every database: object + M2M + inlines + log in one transaction, rollback on errors,
// uniqueness, cascading deletes that also clear join rows (foreign keys enforced on PostgreSQL and MariaDB).
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { Post, Tag, Comment, PostTag } = require('./fixtures/dbblog/app.js');
const m = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); await closeAll(); });

async function superClient() {
  const user = await m.User.createSuperuser({ username: 'boss', password: 'correct horse battery', email: 'b@example.com' });
  const client = new m.Client();
  await client.forceLogin(user);
  return { client, user };
}

const management = (total = 0, initial = 0) => ({ 'comment_set-TOTAL_FORMS': String(total), 'comment_set-INITIAL_FORMS': String(initial) });

test('an add saves the post, its tags, its inline comments and a log entry', async () => {
  const { client, user } = await superClient();
  const [a, b] = await Tag.bulkCreate([{ name: 'one' }, { name: 'two' }]);
  const res = await client.post('/admin/blog/post/add/', {
    title: 'Everything', slug: 'everything', status: 'published', rating: '9.25', publishedAt: '2024-02-03T04:05',
    authorId: String(user.id), tags: [String(a.id), String(b.id)], ...management(1), 'comment_set-0-body': 'inline',
  });
  assert.equal(res.status, 302, res.text);
  const post = await Post.findOne({ include: ['tags', 'comments'] });
  assert.equal(post.tags.length, 2);
  assert.equal(post.comments[0].body, 'inline');
  assert.equal(Number(post.rating), 9.25);
  assert.equal(post.publishedAt.toISOString(), '2024-02-03T04:05:00.000Z');
  const entry = await m.admin.LogEntry.findOne();
  assert.equal(entry.objectRepr, 'Everything');
  assert.deepEqual(JSON.parse(entry.changeMessage), [{ added: {} }, { added: { name: 'comment', object: 'Comment object (' + post.comments[0].id + ')' } }]);
});

test('a duplicate slug is an error next to the field and nothing is written', async () => {
  const { client } = await superClient();
  await Post.create({ title: 'First', slug: 'same' });
  const res = await client.post('/admin/blog/post/add/', { title: 'Second', slug: 'same', status: 'draft', ...management(1), 'comment_set-0-body': 'orphan?' });
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('Post with this Slug already exists.'));
  assert.equal(await Post.count(), 1);
  assert.equal(await Comment.count(), 0);
  assert.equal(await m.admin.LogEntry.count(), 0);
});

test('a change that fails in the database rolls back the object, the tags and the log entry', async () => {
  const { client } = await superClient();
  const tag = await Tag.create({ name: 'kept' });
  const post = await Post.create({ title: 'Before', slug: 'before' });
  await post.setTags([tag]);
  // The slug is unique in the database; a concurrent insert after validation makes the UPDATE fail.
  const other = await Post.create({ title: 'Other', slug: 'other' });
  Post.addHook('beforeUpdate', 'race', async (instance, options) => {
    if (instance.id === post.id) await Post.update({ slug: 'taken' }, { where: { id: other.id }, transaction: options.transaction });
  });
  try {
    const res = await client.post(`/admin/blog/post/${post.id}/change/`, { title: 'After', slug: 'taken', status: 'draft', tags: [], ...management(0) });
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('Post with this Slug already exists.'), res.text.match(/errorlist.*|errornote.*/g)?.join('\n'));
  } finally {
    Post.removeHook('beforeUpdate', 'race');
  }
  await post.reload({ include: ['tags'] });
  assert.equal(post.title, 'Before');
  assert.equal(post.tags.length, 1);
  assert.equal(await m.admin.LogEntry.count(), 0);
});

test('deleting a post removes its comments and join rows; its tags stay', async () => {
  const { client } = await superClient();
  const post = await Post.create({ title: 'Gone', slug: 'gone' });
  const tag = await Tag.create({ name: 'stays' });
  await post.setTags([tag]);
  await Comment.create({ body: 'also gone', postId: post.id });
  const res = await client.post(`/admin/blog/post/${post.id}/delete/`, { post: 'yes' });
  assert.equal(res.status, 302);
  assert.equal(await Post.count(), 0);
  assert.equal(await Comment.count(), 0);
  assert.equal(await PostTag.count(), 0);
  assert.equal(await Tag.count(), 1);
});

test('deleting a tag removes its join rows and leaves the posts', async () => {
  const { client } = await superClient();
  const post = await Post.create({ title: 'Tagged', slug: 'tagged' });
  const tag = await Tag.create({ name: 'doomed' });
  await post.setTags([tag]);
  const res = await client.post(`/admin/blog/tag/${tag.id}/delete/`, { post: 'yes' });
  assert.equal(res.status, 302);
  assert.equal(await Tag.count(), 0);
  assert.equal(await PostTag.count(), 0);
  assert.equal(await Post.count(), 1);
});
