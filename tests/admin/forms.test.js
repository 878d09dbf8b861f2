// Form options: fields/exclude/readonlyFields, rawIdFields, file and image uploads to MEDIA_ROOT, template overrides.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post, Tag, Comment } = setupBlog({ TEMPLATES_DIRS: [path.join(__dirname, 'fixtures', 'templates')] });
const Attachment = m.model('Attachment', {
  name: { type: m.DataTypes.STRING(100), allowNull: false },
  file: { type: m.DataTypes.STRING(255), allowNull: true, widget: 'file', uploadTo: 'files' },
  picture: { type: m.DataTypes.STRING(255), allowNull: true, widget: 'image', uploadTo: 'pictures' },
  when: { type: m.DataTypes.DATE, allowNull: true },
  at: { type: m.DataTypes.TIME, allowNull: true },
  site: { type: m.DataTypes.STRING(200), allowNull: true, validate: { isUrl: true } },
});
const Stock = m.model('Stock', {
  sku: { type: m.DataTypes.STRING(20), allowNull: false },
  quantity: { type: m.DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
  price: { type: m.DataTypes.DECIMAL(6, 2), allowNull: false, defaultValue: '0.00' },
  note: { type: m.DataTypes.STRING(50), allowNull: false, defaultValue: '' },
});
m.admin.register(Post, { fields: ['title', 'status', 'authorId'], readonlyFields: ['status'], rawIdFields: ['authorId'] });
m.admin.register(Tag, { exclude: [], rawIdFields: ['posts'] });
m.admin.register(Comment, { exclude: ['approved'] });
m.admin.register(Attachment, {});
m.admin.register(Stock, {});
m.run();
useTestDatabase();

test('fields, readonlyFields and rawIdFields shape the form; fields outside it are never written', async () => {
  const { client, user } = await clientFor();
  const res = await client.get('/admin/blog/post/add/');
  assert.match(res.text, /name="title"/);
  assert.doesNotMatch(res.text, /name="body"/);
  assert.doesNotMatch(res.text, /name="status"/);
  assert.match(res.text, /<span class="label">Status:<\/span><div class="readonly">-<\/div>/);
  assert.match(res.text, /<input type="text" name="authorId" id="id_authorId"[^>]*vForeignKeyRawIdAdminField/);
  assert.match(res.text, /href="\/admin\/auth\/user\/\?_to_field=id&amp;_popup=1" class="related-lookup" id="lookup_id_authorId"/);
  const ok = await client.post('/admin/blog/post/add/', { title: 'Raw', authorId: String(user.id), status: 'published', body: 'forged' });
  assert.equal(ok.status, 302, ok.text);
  const post = await Post.findOne();
  assert.equal(post.authorId, user.id);
  assert.equal(post.status, 'draft', 'a read-only field is not taken from the POST');
  assert.equal(post.body, '', 'a field outside the form is not taken from the POST');
  const bad = await client.post('/admin/blog/post/add/', { title: 'Raw', authorId: '424242' });
  assert.equal(bad.status, 200);
  assert.ok(bad.text.includes('Select a valid choice. That choice is not one of the available choices.'));
});

test('exclude removes a field from the form', async () => {
  const { client } = await clientFor();
  const res = await client.get('/admin/blog/comment/add/');
  assert.match(res.text, /name="body"/);
  assert.doesNotMatch(res.text, /name="approved"/);
  assert.match(res.text, /<select name="postId" id="id_postId" required>/);
});

test('files and images are stored under MEDIA_ROOT and linked from MEDIA_URL', async () => {
  const { client } = await clientFor();
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082', 'hex');
  const res = await client.post('/admin/blog/attachment/add/', {
    name: 'Logo', when: '2024-05-01T10:30', at: '09:15', site: 'https://example.com/',
    file: { filename: 'notes ../../evil.txt', content: 'hello', contentType: 'text/plain' },
    picture: { filename: 'logo.png', content: png, contentType: 'image/png' },
    _continue: '1',
  });
  assert.equal(res.status, 302, res.text);
  const a = await Attachment.findOne();
  assert.match(a.file, /^files\/[\w-]+\.txt$/);
  assert.match(a.picture, /^pictures\/logo_[0-9a-f]+\.png$/);
  assert.equal(a.when.toISOString(), '2024-05-01T10:30:00.000Z');
  assert.equal(a.at, '09:15:00');
  assert.equal(fs.readFileSync(path.join(m.settings.MEDIA_ROOT, a.file), 'utf8'), 'hello');
  const page = await client.get(res.headers.location);
  assert.ok(page.text.includes(`Currently: <a href="/media/${a.picture}">`));
  assert.match(page.text, /enctype="multipart\/form-data"/);
  assert.match(page.text, /<input type="datetime-local" name="when" id="id_when" value="2024-05-01T10:30"/);
  const served = await client.get(`/media/${a.file}`);
  assert.equal(served.status, 200);
  assert.equal(served.text, 'hello');
  const notImage = await client.post('/admin/blog/attachment/add/', { name: 'Fake', picture: { filename: 'x.png', content: 'text', contentType: 'text/plain' } });
  assert.equal(notImage.status, 200);
  assert.ok(notImage.text.includes('Upload a valid image.'));
  const badUrl = await client.post('/admin/blog/attachment/add/', { name: 'Bad', site: 'javascript:alert(1)', when: 'tomorrow', at: '25:00' });
  assert.ok(badUrl.text.includes('Enter a valid URL.'));
  assert.ok(badUrl.text.includes('Enter a valid date/time.'));
  assert.ok(badUrl.text.includes('Enter a valid time.'));
  assert.equal(await Attachment.count(), 1);
});

test('templates are looked up model → app → default', async () => {
  const { client } = await clientFor();
  assert.match((await client.get('/admin/blog/post/add/')).text, /<h1>Model-level override: Add post<\/h1>/);
  assert.match((await client.get('/admin/blog/tag/add/')).text, /<h1>App-level override: Add tag<\/h1>/);
  assert.match((await client.get('/admin/auth/group/add/')).text, /<h1>Add group<\/h1>/);
});

test('an upload over FILE_UPLOAD_MAX_SIZE is refused with 413 and nothing is written', async () => {
  const { client } = await clientFor();
  const big = Buffer.alloc(m.settings.FILE_UPLOAD_MAX_SIZE + 1024, 0x61);
  const res = await client.post('/admin/blog/attachment/add/', { name: 'Huge', file: { filename: 'huge.txt', content: big, contentType: 'text/plain' } });
  assert.equal(res.status, 413);
  assert.equal(await Attachment.count(), 0);
});

test('rawIdFields on a many-to-many relation is a comma-separated id input', async () => {
  const { client } = await clientFor();
  const [a, b] = await Promise.all([Post.create({ title: 'A' }), Post.create({ title: 'B' })]);
  const res = await client.post('/admin/blog/tag/add/', { name: 'raw', posts: `${a.id}, ${b.id}`, _continue: '1' });
  assert.equal(res.status, 302, res.text);
  const tag = await Tag.findOne({ include: ['posts'] });
  assert.deepEqual(tag.posts.map((p) => p.id).sort(), [a.id, b.id].sort());
  const page = await client.get(res.headers.location);
  assert.match(page.text, /<input type="text" name="posts" id="id_posts" value="\d+,\d+" class="vManyToManyRawIdAdminField">/);
  const bad = await client.post('/admin/blog/tag/add/', { name: 'bad', posts: '999999' });
  assert.ok(bad.text.includes('Select a valid choice. 999999 is not one of the available choices.'));
});

test('a NOT NULL number with a plain default starts the form with it, and emptied it is "This field is required.", as Django\'s', async () => {
  const { client } = await clientFor();
  const form = await client.get('/admin/blog/stock/add/');
  assert.match(form.text, /<label class="required" for="id_quantity">Quantity:<\/label><input type="number" name="quantity" id="id_quantity" required[^>]*value="1"/);
  const empty = await client.post('/admin/blog/stock/add/', { sku: 'A1', quantity: '', price: '', note: '' });
  assert.equal(empty.status, 200);
  assert.match(empty.text, /<ul class="errorlist" id="id_quantity_error"><li>This field is required\.<\/li><\/ul>/);
  assert.match(empty.text, /<ul class="errorlist" id="id_price_error"><li>This field is required\.<\/li><\/ul>/);
  // A text field keeps storing '' when emptied: only numbers, dates and relations have no empty value.
  assert.doesNotMatch(empty.text, /id="id_note_error"/);
  assert.equal(await Stock.count(), 0, 'nothing stored: the default is not a silent stand-in for an emptied field');
  const ok = await client.post('/admin/blog/stock/add/', { sku: 'A1', quantity: '4', price: '2.5', note: '' });
  assert.equal(ok.status, 302);
  const row = await Stock.findOne();
  assert.deepEqual([row.quantity, Number(row.price), row.note], [4, 2.5, '']);
});
