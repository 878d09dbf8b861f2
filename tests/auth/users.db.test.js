// Users, permissions and the rules around them: hasPerm, permissionRequired, password changes, deactivation, throttling.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase } = require('./helpers');
const { configure, route, json, model, DataTypes, User, Group, Permission, permissionRequired, authenticate } = require('manouche');
const { Client } = require('manouche/test');
const { createPermissions } = require('../../dist/auth/permissions');
const { authModels } = require('../../dist/auth/models');

configure({ ...baseSettings(), auth: true, LOGIN_ATTEMPTS_LIMIT: 3, LOGIN_ATTEMPTS_WINDOW: 600 });
model('Post', { title: { type: DataTypes.STRING(100), allowNull: false } }, { appLabel: 'blog', tableName: 'blog_post' });
route('me/', (req) => json({ authenticated: req.user.isAuthenticated, username: req.user.username ?? '' }));
route('edit/', permissionRequired('blog.change_post')((req) => json({ editing: true })), { name: 'edit' });
route('user-json/', async (req) => json({ user: await User.findOne({ where: { username: 'json' } }) }));
useTestDatabase();

const PASSWORD = 'violet-tractor-93!';

async function loggedIn(username, password = PASSWORD) {
  const c = new Client();
  await c.get('/accounts/login/');
  const res = await c.post('/accounts/login/', { username, password });
  assert.equal(res.status, 302, `login of ${username}: ${res.status}`);
  return c;
}

test('migrate created add/change/delete/view permissions for every model, and doing it again adds none', async () => {
  const codenames = (await Permission.findAll()).map((p) => `${p.appLabel}.${p.codename}`);
  for (const perm of ['blog.add_post', 'blog.change_post', 'blog.delete_post', 'blog.view_post', 'auth.change_user', 'auth.view_group',
    'auth.add_permission', 'sessions.delete_session']) assert.ok(codenames.includes(perm), perm);
  assert.ok(!codenames.some((c) => c.includes('usergroups') || c.includes('loginattempt')), 'no permissions for plumbing tables');
  const post = await Permission.findOne({ where: { appLabel: 'blog', codename: 'change_post' } });
  assert.equal(post.name, 'Can change post');
  assert.equal(await createPermissions(), 0);
});

test('hasPerm: own permissions, group permissions, superusers, inactive users', async () => {
  const change = await Permission.findOne({ where: { appLabel: 'blog', codename: 'change_post' } });
  const view = await Permission.findOne({ where: { appLabel: 'blog', codename: 'view_post' } });
  const ann = await User.createUser({ username: 'ann', password: PASSWORD });
  assert.equal(await ann.hasPerm('blog.change_post'), false);
  await ann.addUserPermission(change);
  const fresh = await User.findByPk(ann.id);
  assert.equal(await fresh.hasPerm('blog.change_post'), true);
  assert.equal(await fresh.hasPerms(['blog.change_post', 'blog.view_post']), false);
  const editors = await Group.create({ name: 'Editors' });
  await editors.addPermission(view);
  await fresh.addGroup(editors);
  const again = await User.findByPk(ann.id);
  assert.equal(await again.hasPerms(['blog.change_post', 'blog.view_post']), true);
  assert.equal(await again.hasModulePerms('blog'), true);
  assert.equal(await again.hasModulePerms('auth'), false);
  assert.deepEqual([...(await again.getAllPermissions())].sort(), ['blog.change_post', 'blog.view_post']);
  const root = await User.createSuperuser({ username: 'root', email: 'root@example.com', password: PASSWORD });
  assert.equal(root.isStaff, true);
  assert.equal(await root.hasPerm('anything.at_all'), true);
  root.isActive = false;
  assert.equal(await root.hasPerm('blog.change_post'), false);
});

test('permissionRequired: visitors go to the login page, users without the permission get 403', async () => {
  const anon = await new Client().get('/edit/');
  assert.equal(anon.status, 302);
  assert.equal(anon.headers.location, '/accounts/login/?next=/edit/');
  await User.createUser({ username: 'bob', password: PASSWORD });
  const bob = await loggedIn('bob');
  assert.equal((await bob.get('/edit/')).status, 403);
  const user = await User.findOne({ where: { username: 'bob' } });
  await user.addUserPermission(await Permission.findOne({ where: { appLabel: 'blog', codename: 'change_post' } }));
  assert.deepEqual((await bob.get('/edit/')).json(), { editing: true });
});

test('a password change keeps the session that made it and logs out every other one', async () => {
  await User.createUser({ username: 'carl', password: PASSWORD });
  const laptop = await loggedIn('carl');
  const phone = await loggedIn('carl');
  await laptop.get('/accounts/password_change/');
  const res = await laptop.post('/accounts/password_change/', { old_password: PASSWORD, new_password1: 'new-violet-tractor-94', new_password2: 'new-violet-tractor-94' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/accounts/password_change/done/');
  assert.equal((await laptop.get('/me/')).json().authenticated, true);
  assert.equal((await phone.get('/me/')).json().authenticated, false);
  assert.ok(await authenticate('carl', 'new-violet-tractor-94'));
});

test('the password change form checks the old password, the confirmation and the validators', async () => {
  await User.createUser({ username: 'dora', password: PASSWORD });
  const c = await loggedIn('dora');
  await c.get('/accounts/password_change/');
  let res = await c.post('/accounts/password_change/', { old_password: 'nope', new_password1: 'x', new_password2: 'y' });
  assert.equal(res.status, 200);
  assert.match(res.text, /Your old password was entered incorrectly/);
  assert.match(res.text, /The two password fields didn’t match\./);
  res = await c.post('/accounts/password_change/', { old_password: PASSWORD, new_password1: '12345678', new_password2: '12345678' });
  assert.match(res.text, /This password is too common\./);
  assert.match(res.text, /This password is entirely numeric\./);
  assert.ok(await authenticate('dora', PASSWORD), 'the password did not change');
  assert.equal((await new Client().get('/accounts/password_change/')).status, 302, 'visitors are sent to log in');
});

test('a deactivated user is logged out on their next request', async () => {
  await User.createUser({ username: 'eve', password: PASSWORD });
  const c = await loggedIn('eve');
  assert.equal((await c.get('/me/')).json().authenticated, true);
  await User.update({ isActive: false }, { where: { username: 'eve' } });
  assert.deepEqual((await c.get('/me/')).json(), { authenticated: false, username: '' });
});

test('after LOGIN_ATTEMPTS_LIMIT failures a username is refused (429) from that address, even with the right password, until the window ends', async () => {
  await User.createUser({ username: 'fay', password: PASSWORD });
  for (let i = 0; i < 3; i++) {
    const c = new Client();
    await c.get('/accounts/login/');
    assert.equal((await c.post('/accounts/login/', { username: 'fay', password: `wrong-${i}` })).status, 200);
  }
  const c = new Client();
  await c.get('/accounts/login/');
  const refused = await c.post('/accounts/login/', { username: 'fay', password: PASSWORD });
  assert.equal(refused.status, 429);
  assert.match(refused.text, /Too many failed login attempts/);
  await assert.rejects(authenticate('FAY', PASSWORD, { ip: '127.0.0.1' }), (err) => err.status === 429, 'case does not dodge the counter');
  // The window ends (made so in the database, as another process would see it).
  await authModels().LoginAttempt.update({ expiresAt: new Date(Date.now() - 1000) }, { where: {} });
  const again = await c.post('/accounts/login/', { username: 'fay', password: PASSWORD });
  assert.equal(again.status, 302);
});

test('Unicode usernames are NFKC-normalised: the full-width name is the same user', async () => {
  const u = await User.createUser({ username: 'ｊｕｌｉｅ', password: PASSWORD });
  assert.equal(u.username, 'julie');
  assert.ok(await authenticate('julie', PASSWORD));
  assert.ok(await authenticate('ｊｕｌｉｅ', PASSWORD));
  await assert.rejects(User.createUser({ username: 'julie', password: PASSWORD }));
  await assert.rejects(User.createUser({ username: 'bad name!', password: PASSWORD }));
  const accented = await User.createUser({ username: 'zoë', password: PASSWORD });
  assert.ok(await authenticate('zoe\u0308', PASSWORD), 'combining diaeresis normalises to ë');
  assert.equal(accented.username, 'zoë');
});

test('huge passwords fail cleanly at login; a user turned to JSON never shows the password hash', async () => {
  await User.createUser({ username: 'json', password: PASSWORD, email: 'j@example.com' });
  const c = new Client();
  await c.get('/accounts/login/');
  const res = await c.post('/accounts/login/', { username: 'json', password: 'x'.repeat(100_000) });
  assert.equal(res.status, 200);
  assert.match(res.text, /Please enter a correct username and password/);
  const body = (await new Client().get('/user-json/')).json();
  assert.equal(body.user.username, 'json');
  assert.equal('password' in body.user, false);
});

test('checkPassword upgrades a Django PBKDF2 hash to scrypt on success, and leaves it on failure', async () => {
  const u = await User.createUser({ username: 'django', password: 'placeholder-1' });
  const djangoHash = 'pbkdf2_sha256$1000$abcdefgh12345678$mH6jTTVttILGPsJcS1GbVOZ2wH3aMJ9J1Z+YoGY7D78=';
  await User.update({ password: djangoHash }, { where: { id: u.id } });
  assert.equal(await authenticate('django', 'wrong horse battery'), null);
  assert.equal((await User.findByPk(u.id)).password, djangoHash);
  assert.ok(await authenticate('django', 'correct horse battery'));
  const upgraded = (await User.findByPk(u.id)).password;
  assert.match(upgraded, /^scrypt\$1024\$/);
  assert.ok(await authenticate('django', 'correct horse battery'));
});

test('users imported from a Django database log in with every hasher Django ships, and get a new hash then', async (t) => {
  const vectors = require('../django/data/hashers.json').vectors.filter((v) => !v.defaultCost && !v.manoucheCost);
  const firstOfEach = [...new Map(vectors.map((v) => [v.hasher, v])).values()];
  assert.equal(firstOfEach.length, 9);
  for (const [i, v] of firstOfEach.entries()) {
    const u = await User.createUser({ username: `imported${i}`, password: 'placeholder-1' });
    await User.update({ password: v.encoded }, { where: { id: u.id } });
    assert.ok(await authenticate(`imported${i}`, v.password), v.hasher);
    assert.match((await User.findByPk(u.id)).password, /^scrypt\$1024\$/, v.hasher);
  }
  // A malformed hash: a failed login and a warning, never an error page.
  const warn = t.mock.method(console, 'warn', () => {});
  const u = await User.createUser({ username: 'mangled', password: 'placeholder-1' });
  await User.update({ password: 'pbkdf2_sha256$12$cut' }, { where: { id: u.id } });
  assert.equal(await authenticate('mangled', 'anything-at-all'), null);
  assert.equal(warn.mock.callCount(), 1);
});

test('the anonymous user says no to everything', async () => {
  const { anonymousUser } = require('../../dist/auth/backend');
  assert.equal(anonymousUser.isAuthenticated, false);
  assert.equal(await anonymousUser.hasPerm('blog.view_post'), false);
  assert.deepEqual((await new Client().get('/me/')).json(), { authenticated: false, username: '' });
});

test('authenticate does the same hashing work for an unknown user as for a wrong password (no timing oracle)', async () => {
  const crypto = require('node:crypto');
  await User.createUser({ username: 'known', password: PASSWORD });
  const original = crypto.scrypt;
  let calls = 0;
  crypto.scrypt = function countingScrypt(...args) { calls++; return original.apply(this, args); };
  try {
    const counts = {};
    for (const [label, name] of [['unknown', 'no-such-user'], ['wrong password', 'known']]) {
      calls = 0;
      assert.equal(await authenticate(name, 'not-the-password-1'), null);
      counts[label] = calls;
    }
    assert.deepEqual(counts, { unknown: 1, 'wrong password': 1 });
  } finally {
    crypto.scrypt = original;
    await authModels().LoginAttempt.destroy({ where: {} });
  }
});
