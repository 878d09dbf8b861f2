// Two people edit one row: the second save does not silently overwrite the first. It is refused with a message, the
// typed values are kept, and saving again (now knowingly) goes through.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post } = setupBlog();
m.admin.register(Post, { fields: ['title', 'body', 'status', 'published'] });
m.run();
useTestDatabase();

const versionIn = (html) => html.match(/name="_version" value="([^"]+)"/)[1];

test('a save based on a stale page is refused with a clear message, values kept, nothing written', async () => {
  const { client: alice } = await clientFor({ username: 'alice' });
  const { client: bob } = await clientFor({ username: 'bob' });
  const post = await Post.create({ title: 'Original', body: 'text', status: 'draft' });
  const url = `/admin/blog/post/${post.id}/change/`;

  const alicePage = await alice.get(url);
  const bobPage = await bob.get(url);
  assert.equal(versionIn(alicePage.text), versionIn(bobPage.text));

  const saved = await alice.post(url, { _version: versionIn(alicePage.text), title: 'Alice was here', body: 'text', status: 'draft', _save: 'Save' });
  assert.equal(saved.status, 302);

  const stale = await bob.post(url, { _version: versionIn(bobPage.text), title: 'Bob overwrites', body: 'text', status: 'draft', _save: 'Save' });
  assert.equal(stale.status, 200);
  assert.match(stale.text, /This post was changed by someone else after you opened this page\. Your changes were not saved/);
  assert.match(stale.text, /value="Bob overwrites"/, 'what Bob typed is still in the form');
  assert.equal((await Post.findByPk(post.id)).title, 'Alice was here', "Alice's save stands");

  // The refused page carries the current version: saving again is a deliberate overwrite.
  const again = await bob.post(url, { _version: versionIn(stale.text), title: 'Bob overwrites', body: 'text', status: 'draft', _save: 'Save' });
  assert.equal(again.status, 302);
  assert.equal((await Post.findByPk(post.id)).title, 'Bob overwrites');
});

test('a change form without a version (a script posting directly) still saves', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'Scripted', body: '', status: 'draft' });
  const res = await client.post(`/admin/blog/post/${post.id}/change/`, { title: 'Scripted again', body: '', status: 'draft', _save: 'Save' });
  assert.equal(res.status, 302);
  assert.equal((await Post.findByPk(post.id)).title, 'Scripted again');
});
