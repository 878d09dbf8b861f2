// ADMIN_URL moves the whole admin: its pages, its redirects and its links.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post } = setupBlog({ ADMIN_URL: '/backoffice/' });
m.admin.register(Post, {});
m.run();
useTestDatabase();

test('the admin lives under ADMIN_URL', async () => {
  const anon = new m.Client();
  const res = await anon.get('/backoffice/');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/backoffice/login/?next=%2Fbackoffice%2F');
  assert.equal((await anon.get('/admin/')).status, 404);
  const { client } = await clientFor();
  const index = await client.get('/backoffice/');
  assert.equal(index.status, 200);
  assert.match(index.text, /href="\/backoffice\/blog\/post\/add\/"/);
  assert.match(index.text, /action="\/backoffice\/logout\/"/);
  const add = await client.post('/backoffice/blog/post/add/', { title: 'Moved', status: 'draft' });
  assert.equal(add.headers.location, '/backoffice/blog/post/');
  assert.equal(m.reverse('admin:blog_post_changelist'), '/backoffice/blog/post/');
});
