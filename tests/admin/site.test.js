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

test('login: staff get in and go to next; every failure gets the same message', async () => {
  const { User, Client } = m;
  await User.createUser({ username: 'staff', password: 'correct horse battery', isStaff: true });
  await User.createUser({ username: 'plain', password: 'correct horse battery' });
  await User.createUser({ username: 'gone', password: 'correct horse battery', isStaff: true, isActive: false });
  const message = 'Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive.';
  for (const [username, password] of [['nobody', 'x'], ['staff', 'wrong password'], ['plain', 'correct horse battery'], ['gone', 'correct horse battery'], ['', '']]) {
    const res = await new Client().post('/admin/login/', { username, password });
    assert.equal(res.status, 200, `${username}: ${res.status}`);
    assert.ok(res.text.includes(message), `${username} gets the same error`);
  }
  const client = new Client();
  const page = await client.get('/admin/login/?next=/admin/blog/post/');
  assert.match(page.text, /name="next" value="\/admin\/blog\/post\/"/);
  const res = await client.post('/admin/login/', { username: 'staff', password: 'correct horse battery', next: '/admin/blog/post/' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/admin/blog/post/');
  const evil = await new Client().post('/admin/login/', { username: 'staff', password: 'correct horse battery', next: '//evil.example/' });
  assert.equal(evil.headers.location, '/admin/');
});

test('a logged-in user who is not staff is told so on the login page', async () => {
  const { client } = await clientFor({ username: 'reader', staff: false, superuser: false });
  const res = await client.get('/admin/', { follow: true });
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('You are authenticated as reader, but are not authorized to access this page. Would you like to login to a different account?'));
});

test('logout is a POST and ends the session', async () => {
  const { client } = await clientFor();
  assert.equal((await client.get('/admin/logout/')).status, 405);
  const res = await client.post('/admin/logout/');
  assert.equal(res.status, 200);
  assert.match(res.text, /Log in again/);
  assert.equal((await client.get('/admin/')).status, 302);
});

test('password change checks the old password and the validators, then keeps this session', async () => {
  const { client, user } = await clientFor({ username: 'ana' });
  const other = new m.Client();
  await other.login({ username: 'ana', password: 'correct horse battery' });
  assert.equal((await other.get('/admin/')).status, 200);
  let res = await client.post('/admin/password_change/', { old_password: 'nope', new_password1: 'x', new_password2: 'y' });
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('Your old password was entered incorrectly. Please enter it again.'));
  assert.ok(res.text.includes('The two password fields didn’t match.'));
  res = await client.post('/admin/password_change/', { old_password: 'correct horse battery', new_password1: '12345678', new_password2: '12345678' });
  assert.ok(res.text.includes('This password is entirely numeric.'));
  res = await client.post('/admin/password_change/', { old_password: 'correct horse battery', new_password1: 'a much better secret', new_password2: 'a much better secret' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/admin/password_change/done/');
  assert.match((await client.get('/admin/password_change/done/')).text, /Your password was changed\./);
  await user.reload();
  assert.equal(await user.checkPassword('a much better secret'), true);
  assert.equal((await other.get('/admin/')).status, 302, 'the other session ended');
});

test('recent actions on the index show what this user did', async () => {
  const { client } = await clientFor();
  await client.post('/admin/blog/post/add/', { title: 'Fresh <post>', status: 'draft' });
  const res = await client.get('/admin/');
  assert.match(res.text, /My actions/);
  assert.match(res.text, /Fresh &lt;post&gt;/);
  assert.doesNotMatch(res.text, /Fresh <post>/);
});

test('User and Group are registered out of the box; the user form never shows the hash', async () => {
  const { client, user } = await clientFor();
  const res = await client.get(`/admin/auth/user/${user.id}/change/`);
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('Raw passwords are not stored'));
  assert.ok(res.text.includes(`href="/admin/auth/user/${user.id}/password/"`));
  assert.ok(!res.text.includes(user.password), 'no hash on the page');
  assert.match(res.text, /name="groups"/);
  assert.match(res.text, /name="userPermissions"/);
  assert.match(res.text, /name="isSuperuser"/);
  assert.match(res.text, /for="id_isStaff">Staff status<\/label>/);
  assert.ok(res.text.includes('Designates whether the user can log into this admin site.'));
  const group = await client.get('/admin/auth/group/add/');
  assert.equal(group.status, 200);
  assert.match(group.text, /name="permissions" id="id_permissions" multiple/);
});

test('the user add form asks for the password twice and validates it', async () => {
  const { client } = await clientFor();
  let res = await client.post('/admin/auth/user/add/', { username: 'newbie', password1: 'a secret phrase', password2: 'another phrase' });
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('The two password fields didn’t match.'));
  res = await client.post('/admin/auth/user/add/', { username: 'newbie', password1: 'a secret phrase', password2: 'a secret phrase' });
  assert.equal(res.status, 302, res.text.slice(0, 3000));
  const created = await m.User.findOne({ where: { username: 'newbie' } });
  assert.ok(created);
  assert.equal(await created.checkPassword('a secret phrase'), true);
  res = await client.post(`/admin/auth/user/${created.id}/password/`, { password1: 'yet another phrase', password2: 'yet another phrase' });
  assert.equal(res.status, 302);
  await created.reload();
  assert.equal(await created.checkPassword('yet another phrase'), true);
});

test('repeated failed logins for one username are throttled with 429', async () => {
  await m.User.createUser({ username: 'target', password: 'correct horse battery', isStaff: true });
  const client = new m.Client();
  let res;
  for (let i = 0; i < 6; i++) res = await client.post('/admin/login/', { username: 'target', password: `wrong ${i}` });
  assert.equal(res.status, 429);
  assert.ok(res.text.includes('Too many failed login attempts. Please try again later.'));
  assert.ok(Number(res.headers['retry-after']) > 0, 'the 429 says when to come back');
  res = await client.post('/admin/login/', { username: 'target', password: 'correct horse battery' });
  assert.equal(res.status, 429, 'even the right password waits for the window to pass');
});
