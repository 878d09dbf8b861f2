// The admin site: staff-only access, login/logout, index with apps and recent actions, password change.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post } = setupBlog();
m.admin.register(Post, { listDisplay: ['title', 'published'] });
m.run();
useTestDatabase();

test('anonymous users are sent to the login page with next', async () => {
  const client = new m.Client();
  const res = await client.get('/admin/');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/admin/login/?next=%2Fadmin%2F');
});

test('the index lists apps and models with Add and Change links', async () => {
  const { client } = await clientFor();
  const res = await client.get('/admin/');
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, /Site administration/);
  assert.match(res.text, /<a href="\/admin\/blog\/post\/">Posts<\/a>/);
  assert.match(res.text, /href="\/admin\/blog\/post\/add\/" class="addlink">Add/);
  assert.match(res.text, /Authentication and authorization/);
  assert.match(res.text, /Welcome, <strong>admin<\/strong>/);
  assert.match(res.text, /View site/);
  assert.match(res.text, /Recent actions/);
});
