// Admin checks: options naming missing fields are coded errors, in-process and through `node app.js check`.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { setupBlog } = require('./helpers');

const { m, Post, Tag, Comment } = setupBlog();
const Note = m.model('Note', { text: { type: m.DataTypes.STRING(50), allowNull: false } });
m.admin.register(Post, {
  listDisplay: ['title', 'titel', 'shout'],
  searchFields: ['^title', 'author__username', 'nope'],
  listFilter: ['published', 'missing'],
  ordering: ['-id', 'colour'],
  readonlyFields: ['ghost'],
  rawIdFields: ['title'],
  autocompleteFields: ['tags'],
  dateHierarchy: 'title',
  listSelectRelated: ['author', 'tags'],
  inlines: [{ model: Note }],
  shout(obj) { return obj.title.toUpperCase(); },
});
m.admin.register(Tag, {});
m.admin.register(Comment, { listDisplay: ['body', 'post'], fields: ['body', 'postId'] });
m.run();

test('each wrong option is an admin.E… error naming option, index and model', async () => {
  const { runChecks } = require('../../dist/core/conf/state');
  const messages = (await runChecks()).filter((c) => c.id.startsWith('admin.'));
  const text = messages.map((c) => `${c.id} ${c.msg}`);
  assert.ok(text.includes("admin.E108 listDisplay[1] refers to 'titel', which is not a field of Post."), text.join('\n'));
  assert.ok(text.includes("admin.E126 searchFields[2] refers to 'nope', which is not a field of Post."));
  assert.ok(text.includes("admin.E116 listFilter[1] refers to 'missing', which is not a field of Post."));
  assert.ok(text.includes("admin.E033 ordering[1] refers to 'colour', which is not a field of Post."));
  assert.ok(text.includes("admin.E035 readonlyFields[0] refers to 'ghost', which is not a field of Post."));
  assert.ok(text.includes("admin.E002 rawIdFields[0] refers to 'title', which is not a field of Post."));
  assert.ok(text.some((t) => t.startsWith('admin.E040') && t.includes('searchFields')));
  assert.ok(text.some((t) => t.startsWith('admin.E128')));
  assert.ok(text.includes("admin.E117 listSelectRelated names 'tags': 'tags' is not a to-one relation of Post."), 'a to-many relation cannot be select-related');
  assert.ok(text.some((t) => t.startsWith('admin.E202') && t.includes("'Note' has no foreign key to 'Post'")));
  assert.ok(messages.every((c) => c.level === 'error' && c.obj.startsWith('blog.')));
  assert.ok(!text.some((t) => t.includes('Comment')), 'valid options give no message');
  assert.ok(!text.some((t) => t.includes("'shout'") || t.includes('author__username')), 'methods and lookups are accepted');
});

test('registering a model twice is refused with E_ALREADY_REGISTERED', () => {
  assert.throws(() => m.admin.register(Tag, {}), (err) => err.code === 'E_ALREADY_REGISTERED' && /The model Tag is already registered with the admin\./.test(err.message));
  m.admin.unregister(Tag);
  assert.equal(m.admin.isRegistered(Tag), false);
  m.admin.register(Tag, {});
  assert.equal(m.admin.isRegistered(Tag), true);
});

test('`node app.js check` fails with the admin errors', () => {
  const app = path.join(__dirname, 'fixtures', 'badadmin', 'app.js');
  const res = spawnSync(process.execPath, [app, 'check'], { encoding: 'utf8', env: { ...process.env, MANOUCHE_TESTING: '' } });
  assert.equal(res.status, 1, res.stdout + res.stderr);
  const out = res.stdout + res.stderr;
  assert.match(out, /admin\.E108/);
  assert.match(out, /listDisplay\[1\] refers to 'titel', which is not a field of Post\./);
  assert.match(out, /searchFields\[0\] refers to 'body', which is not a field of Post\./);
});
