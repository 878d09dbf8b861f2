// Differential: Django 3.2's dumpdata loads here, and `dumpdata --django` writes what Django wrote for the same data
// (data/fixtures/*.json, made by record/fixtures.py from the same blog declared in Django).
'use strict';
process.env.MANOUCHE_TESTING = '1';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const m = require('manouche');

m.configure({ auth: true, APP_LABEL: 'blog', SECRET_KEY: 'k'.repeat(50), DATABASE_URL: 'sqlite::memory:', SESSION_STORE: 'memory', SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 } });
const { model, DataTypes, User, Group } = m;
const ROOT = path.join(__dirname, '..', '..');
const { state } = require(path.join(ROOT, 'dist/core/conf/state'));
const { dumpData } = require(path.join(ROOT, 'dist/core/db/fixtures'));
require(path.join(ROOT, 'dist/core/management/commands/index'));
const { callCommand } = require(path.join(ROOT, 'dist/core/management/commands/registry'));

// The blog of record/djblog/models.py, declared the manouche way.
const noStamps = { timestamps: false };
const Tag = model('Tag', { name: { type: DataTypes.STRING(50), allowNull: false, unique: true } }, noStamps);
const Post = model('Post', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
  rating: { type: DataTypes.DECIMAL(4, 2), allowNull: true },
  pubDate: { type: DataTypes.DATEONLY, allowNull: true },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
}, noStamps);
const Comment = model('Comment', { body: { type: DataTypes.STRING(200), allowNull: false } }, noStamps);
Post.belongsTo(User, { as: 'author', foreignKey: { name: 'authorId', allowNull: true }, onDelete: 'SET NULL' });
// An explicit join model, as an app declares one for migrations: dumped as lists on Post, never as objects.
const PostTag = model('PostTag', {}, { tableName: 'blog_post_tags', timestamps: false });
Post.belongsToMany(Tag, { through: PostTag, as: 'tags', foreignKey: 'postId', otherKey: 'tagId' });
Tag.belongsToMany(Post, { through: PostTag, as: 'posts', foreignKey: 'tagId', otherKey: 'postId' });
Comment.belongsTo(Post, { as: 'post', foreignKey: { name: 'postId', allowNull: false }, onDelete: 'CASCADE' });

const DATA = path.join(__dirname, 'data', 'fixtures');
const natural = JSON.parse(fs.readFileSync(path.join(DATA, 'django-natural.json'), 'utf8'));
const plain = JSON.parse(fs.readFileSync(path.join(DATA, 'django-plain.json'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'w13-fixtures-'));
test.before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
test.beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
test.after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); fs.rmSync(tmp, { recursive: true, force: true }); });

async function call(name, argv) {
  let out = '';
  const write = { write: (s) => { out += s; } };
  const code = await callCommand(name, argv, { stdout: write, stderr: write, isTTY: false });
  return { code, out };
}
function file(name, objects) {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, JSON.stringify(objects));
  return f;
}
const perms = async (rows) => rows.map((p) => `${p.appLabel}.${p.codename}`).sort();

async function assertBlogLoaded() {
  const alice = await User.findOne({ where: { username: 'alice' } });
  assert.equal(alice.isSuperuser, true);
  assert.equal(alice.firstName, 'Alice');
  assert.equal(alice.lastLogin.toISOString(), '2024-03-01T09:30:15.123Z');
  const bob = await User.findOne({ where: { username: 'bob' } });
  assert.deepEqual((await bob.getGroups()).map((g) => g.name), ['editors']);
  assert.deepEqual(await perms(await bob.getUserPermissions()), ['blog.add_tag']);
  const editors = await Group.findOne({ where: { name: 'editors' } });
  assert.deepEqual(await perms(await editors.getPermissions()), ['blog.change_post', 'blog.view_post']);
  assert.equal(await bob.hasPerm('blog.change_post'), true);
  const hello = await Post.findOne({ where: { title: 'Hello' } });
  assert.equal(hello.authorId, alice.id);
  assert.equal(Number(hello.rating), 4.5);
  assert.equal(hello.pubDate, '2024-03-01');
  assert.deepEqual((await hello.getTags()).map((t) => t.name).sort(), ['django', 'node']);
  assert.equal((await Comment.findOne()).postId, hello.id);
  // Alice's Django password (pbkdf2_sha256) works here.
  assert.ok(await m.authenticate('alice', 'correct horse battery'));
}

test('loaddata reads Django\'s dumpdata --natural-foreign --natural-primary: users, groups, permissions, the blog', async () => {
  const r = await call('loaddata', [path.join(DATA, 'django-natural.json')]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Installed 8 object\(s\)/);
  await assertBlogLoaded();
});

test('loaddata reads Django\'s plain dumpdata (snake_case names, foreign keys by field name, decimals as strings)', async () => {
  // Permission pks belong to the Django database (its content types): only natural keys cross, as between two Djangos.
  const withoutPermissionPks = plain.map((o) => (o.model === 'auth.user' ? { ...o, fields: { ...o.fields, user_permissions: [['add_tag', 'blog', 'tag']] } }
    : o.model === 'auth.group' ? { ...o, fields: { ...o.fields, permissions: [['change_post', 'blog', 'post'], ['view_post', 'blog', 'post']] } } : o));
  const r = await call('loaddata', [file('plain.json', withoutPermissionPks)]);
  assert.equal(r.code, 0, r.out);
  await assertBlogLoaded();
});

test('dumpdata --django writes what Django\'s dumpdata wrote for the same data', async () => {
  assert.equal((await call('loaddata', [file('plain.json', plain.map((o) => (o.model.startsWith('auth.') ? { ...o, fields: { ...o.fields, permissions: undefined, user_permissions: undefined } } : o)))])).code, 0);
  // Links to permissions are written by natural key, as `dumpdata --natural-foreign` does.
  const bob = await User.findOne({ where: { username: 'bob' } });
  await bob.setUserPermissions(await m.Permission.findAll({ where: { codename: 'add_tag' } }));
  const editors = await Group.findOne({ where: { name: 'editors' } });
  await editors.setPermissions(await m.Permission.findAll({ where: { codename: ['change_post', 'view_post'] } }));
  const out = path.join(tmp, 'mine.json');
  const r = await call('dumpdata', ['--django', '--output', out, 'auth.user', 'auth.group', 'blog']);
  assert.equal(r.code, 0, r.out);
  const mine = JSON.parse(fs.readFileSync(out, 'utf8'));
  const expected = plain.map((o) => {
    const fields = { ...o.fields };
    if (o.model === 'auth.user') fields.user_permissions = natural.find((n) => n.fields.username === fields.username).fields.user_permissions;
    if (o.model === 'auth.group') fields.permissions = natural.find((n) => n.fields.name === fields.name).fields.permissions;
    return { ...o, fields };
  });
  const key = (o) => `${o.model}#${String(o.pk).padStart(6, '0')}`;
  const sorted = (list) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  assert.deepEqual(sorted(mine), sorted(expected));
});

test('an explicit join model is dumped as lists on its model, never as objects; manouche\'s round trip is exact', async () => {
  assert.equal((await call('loaddata', [path.join(DATA, 'django-natural.json')])).code, 0);
  const before = JSON.parse(JSON.stringify(await dumpData()));
  assert.equal(before.some((o) => o.model === 'blog.posttag' || o.model === 'auth.usergroups'), false);
  assert.deepEqual(before.find((o) => o.model === 'blog.post' && o.fields.title === 'Hello').fields.tags, [1, 2]);
  assert.equal(before.find((o) => o.model === 'blog.post' && o.fields.title === 'Hello').fields.rating, '4.50');
  const f = file('mine.json', before);
  assert.equal((await call('flush', ['--noinput'])).code, 0);
  assert.equal((await call('loaddata', [f])).code, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(await dumpData())), before);
});

test('a fixture naming an unknown field or model fails as a whole, naming the object and the field', async () => {
  const bad = [natural[0], natural[1], { model: 'blog.post', pk: 9, fields: { title: 'x', colour: 'red' } }];
  let r = await call('loaddata', [file('bad.json', bad)]);
  assert.equal(r.code, 1);
  assert.match(r.out, /object #3 \(blog\.post, pk=9\): Post has no field 'colour'/);
  assert.equal(await Group.count(), 0, 'nothing was loaded');
  assert.equal(await User.count(), 0);
  r = await call('loaddata', [file('bad2.json', [{ model: 'blog.post', pk: 1, fields: { title: 'x', author: ['nobody'] } }])]);
  assert.match(r.out, /object #1 \(blog\.post, pk=1\): field 'author': no User with the natural key \["nobody"\]/);
  r = await call('loaddata', [file('bad3.json', [{ model: 'sites.site', pk: 1, fields: {} }])]);
  assert.match(r.out, /unknown model 'sites\.site'/);
});
