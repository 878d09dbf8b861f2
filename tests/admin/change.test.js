// Add and change pages: widgets per type, validation next to fields, nothing written on errors, buttons, inlines, M2M.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post, Tag, Comment } = setupBlog();
class CommentInline extends m.admin.TabularInline { model = Comment; extra = 2; }
m.admin.register(Tag, { searchFields: ['name'] });
m.admin.register(Post, {
  listDisplay: ['title', 'published'],
  fieldsets: [[null, { fields: ['title', 'body', ['status', 'published']] }], ['Details', { fields: ['rating', 'pubDate', 'meta', 'email', 'authorId', 'tags'] }]],
  inlines: [CommentInline],
});
m.run();
useTestDatabase();

const base = { title: 'Hello', body: 'text', status: 'draft', 'comment_set-TOTAL_FORMS': '0', 'comment_set-INITIAL_FORMS': '0' };

test('the add form has a widget per type, required marks and help texts', async () => {
  const { client } = await clientFor();
  const res = await client.get('/admin/blog/post/add/');
  assert.equal(res.status, 200, res.text);
  const t = res.text;
  assert.match(t, /<label class="required" for="id_title">Title:<\/label><input type="text" name="title" id="id_title" required [^>]*maxlength="200"/);
  assert.match(t, /<textarea name="body" id="id_body"/);
  assert.match(t, /<select name="status" id="id_status"[^>]*><option value="draft" selected>Draft<\/option><option value="published">Published<\/option><\/select>/);
  assert.match(t, /<input type="checkbox" name="published" id="id_published">/);
  assert.match(t, /<input type="number" name="rating" id="id_rating" value="" step="0.01"/);
  assert.match(t, /<input type="date" name="pubDate"/);
  assert.match(t, /<textarea name="meta" id="id_meta"[^>]*vJSONField/);
  assert.match(t, /<input type="email" name="email"/);
  assert.match(t, /<select name="authorId" id="id_authorId"><option value="" selected>---------<\/option><option value="\d+">admin<\/option>/);
  assert.match(t, /<select name="tags" id="id_tags" multiple/);
  assert.match(t, /A short, catchy title\./);
  assert.match(t, /<h2>Details<\/h2>/);
  assert.match(t, /name="_save"/);
  assert.match(t, /value="Save and add another"/);
  assert.match(t, /value="Save and continue editing"/);
  assert.match(t, /name="comment_set-TOTAL_FORMS" value="2"/);
  assert.match(t, /<template id="comment_set-empty">/);
});

test('invalid input: errors next to their fields, values kept, nothing written', async () => {
  const { client } = await clientFor();
  const res = await client.post('/admin/blog/post/add/', { ...base, title: '', rating: 'abc', pubDate: '2024-13-45', meta: '{bad', email: 'nope', body: '<b>kept</b>' });
  assert.equal(res.status, 200);
  const t = res.text;
  assert.match(t, /Please correct the errors below\./);
  assert.match(t, /<ul class="errorlist" id="id_title_error"><li>This field is required\.<\/li><\/ul>/);
  assert.match(t, /Enter a number\./);
  assert.match(t, /Enter a valid date\./);
  assert.match(t, /Enter a valid JSON\./);
  assert.match(t, /Enter a valid email address\./);
  assert.match(t, /&lt;b&gt;kept&lt;\/b&gt;<\/textarea>/);
  assert.equal(await Post.count(), 0);
});

test('a valid add saves the object, its tags and a log entry, with Django\'s message and redirect', async () => {
  const { client, user } = await clientFor();
  const [a, b] = await Tag.bulkCreate([{ name: 'js' }, { name: 'django' }]);
  const res = await client.post('/admin/blog/post/add/', { ...base, title: 'Hello', published: 'on', rating: '4.50', pubDate: '2024-05-01', meta: '{"a": 1}', tags: [String(a.id), String(b.id)], authorId: String(user.id), _save: 'Save' });
  assert.equal(res.status, 302, res.text);
  assert.equal(res.headers.location, '/admin/blog/post/');
  const post = await Post.findOne({ include: ['tags'] });
  assert.equal(post.title, 'Hello');
  assert.equal(post.published, true);
  assert.equal(Number(post.rating), 4.5);
  assert.deepEqual(post.meta, { a: 1 });
  assert.equal(post.tags.length, 2);
  assert.equal(post.authorId, user.id);
  const page = await client.get('/admin/');
  assert.ok(page.text.includes('The post “Hello” was added successfully.'));
  const entries = await m.admin.LogEntry.findAll();
  assert.equal(entries.length, 1);
  assert.equal(entries[0].actionFlag, 1);
});

test('save and continue / save and add another redirect like Django', async () => {
  const { client } = await clientFor();
  let res = await client.post('/admin/blog/post/add/', { ...base, _continue: '1' });
  const post = await Post.findOne();
  assert.equal(res.headers.location, `/admin/blog/post/${post.id}/change/`);
  res = await client.get(res.headers.location);
  assert.ok(res.text.includes('The post “Hello” was added successfully. You may edit it again below.'));
  res = await client.post(`/admin/blog/post/${post.id}/change/`, { ...base, title: 'Changed', _addanother: '1' });
  assert.equal(res.headers.location, '/admin/blog/post/add/');
  res = await client.get(res.headers.location);
  assert.ok(res.text.includes('The post “Changed” was changed successfully. You may add another post below.'));
});

test('a change logs which fields changed; forged fields are ignored', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'Old', body: 'b' });
  const res = await client.post(`/admin/blog/post/${post.id}/change/`, { ...base, title: 'New', body: 'b', id: '999', createdAt: '2000-01-01' });
  assert.equal(res.status, 302);
  await post.reload();
  assert.equal(post.title, 'New');
  assert.equal(post.id !== 999, true);
  assert.notEqual(post.createdAt.getUTCFullYear(), 2000);
  const history = await client.get(`/admin/blog/post/${post.id}/history/`);
  assert.match(history.text, /Changed Title\./);
});

test('a tampered or missing pk answers Django\'s message and the index', async () => {
  const { client } = await clientFor();
  for (const pk of ['abc', '999999', '1%27%20OR%201=1']) {
    const res = await client.get(`/admin/blog/post/${pk}/change/`);
    assert.equal(res.status, 302, pk);
    assert.equal(res.headers.location, '/admin/');
  }
  const page = await client.get('/admin/');
  assert.ok(page.text.includes('Post with ID “abc” doesn’t exist. Perhaps it was deleted?'));
});

test('inlines: add, change and delete rows in the same save', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'With comments' });
  const [c1, c2] = await Comment.bulkCreate([{ body: 'first', postId: post.id }, { body: 'second', postId: post.id }]);
  const page = await client.get(`/admin/blog/post/${post.id}/change/`);
  assert.match(page.text, /name="comment_set-0-id" value="\d+"/);
  const res = await client.post(`/admin/blog/post/${post.id}/change/`, {
    ...base, title: 'With comments',
    'comment_set-TOTAL_FORMS': '4', 'comment_set-INITIAL_FORMS': '2',
    'comment_set-0-id': String(c1.id), 'comment_set-0-body': 'first, edited',
    'comment_set-1-id': String(c2.id), 'comment_set-1-body': 'second', 'comment_set-1-DELETE': 'on',
    'comment_set-2-body': 'third', 'comment_set-2-approved': 'on',
    'comment_set-3-body': '',
  });
  assert.equal(res.status, 302, res.text);
  const bodies = (await Comment.findAll({ order: [['id', 'ASC']] })).map((c) => c.body);
  assert.deepEqual(bodies, ['first, edited', 'third']);
});

test('an invalid inline row blocks the whole save', async () => {
  const { client } = await clientFor();
  const post = await Post.create({ title: 'Keep me' });
  const res = await client.post(`/admin/blog/post/${post.id}/change/`, {
    ...base, title: 'Should not be saved',
    'comment_set-TOTAL_FORMS': '1', 'comment_set-INITIAL_FORMS': '0',
    'comment_set-0-approved': 'on', 'comment_set-0-body': '',
  });
  assert.equal(res.status, 200);
  assert.match(res.text, /Please correct the errors below\./);
  await post.reload();
  assert.equal(post.title, 'Keep me');
  assert.equal(await Comment.count(), 0);
});

test('uniqueness errors are shown next to the field', async () => {
  const { client } = await clientFor();
  await Tag.create({ name: 'js' });
  const res = await client.post('/admin/blog/tag/add/', { name: 'js' });
  assert.equal(res.status, 200);
  assert.ok(res.text.includes('Tag with this Name already exists.'));
  assert.equal(await Tag.count(), 1);
});

test('errors and help texts are tied to their input for screen readers', async () => {
  const { client } = await clientFor();
  const res = await client.post('/admin/blog/post/add/', { ...base, title: '' });
  assert.match(res.text, /<ul class="errorlist" id="id_title_error">/);
  assert.match(res.text, /<input type="text" name="title" id="id_title" required aria-invalid="true" aria-describedby="id_title_error id_title_helptext"/);
});

test('HTML in values is escaped on the form, in messages, history and breadcrumbs', async () => {
  const { client } = await clientFor();
  const evil = '<img src=x onerror=alert(1)>';
  const res = await client.post('/admin/blog/post/add/', { ...base, title: evil, body: evil, _continue: '1' });
  assert.equal(res.status, 302);
  const page = await client.get(res.headers.location);
  assert.ok(!page.text.includes(evil), 'the raw markup never appears');
  assert.ok(page.text.includes('The post “&lt;img src=x onerror=alert(1)&gt;” was added successfully.'));
  assert.ok(page.text.includes('value="&lt;img src=x onerror=alert(1)&gt;"'));
  const post = await Post.findOne();
  const history = await client.get(`/admin/blog/post/${post.id}/history/`);
  assert.ok(!history.text.includes(evil));
  assert.ok(history.text.includes('Change history: &lt;img src=x onerror=alert(1)&gt;'));
});

test('the add form takes initial values from the query string', async () => {
  const { client } = await clientFor();
  const res = await client.get('/admin/blog/post/add/?title=Pre%20filled&status=published&published=1&rating=oops');
  assert.match(res.text, /name="title" id="id_title"[^>]*value="Pre filled"/);
  assert.match(res.text, /<option value="published" selected>Published<\/option>/);
  assert.match(res.text, /<input type="checkbox" name="published" id="id_published" checked>/);
  assert.match(res.text, /name="rating" id="id_rating" value=""/, 'an invalid initial value is ignored');
});
