// The change list's query string against a real database: search, ordering, filters, pagination and refused lookups.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
process.env.MANOUCHE_TESTING = '1';
const { configure, model, DataTypes, Op, db } = require('manouche');
const { ChangeList, pageRange, splitTerms } = require('../../dist/admin/changelist.js');
const { SimpleListFilter } = require('../../dist/admin/filters.js');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({ APP_LABEL: 'cl', SECRET_KEY: 'changelist-query', DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:' });
const Author = model('Author', { username: { type: DataTypes.STRING(100), allowNull: false } }, { timestamps: false, ordering: ['-username'] });
const Post = model('Post', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  status: { type: DataTypes.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  createdAt: { type: DataTypes.DATE, allowNull: false },
}, { timestamps: false });
Post.belongsTo(Author, { as: 'author', foreignKey: 'authorId' });
const Comment = model('Comment', { body: DataTypes.STRING }, { timestamps: false });
const Tag = model('Tag', { name: { type: DataTypes.STRING(30), allowNull: false } }, { timestamps: false });
Post.belongsToMany(Tag, { as: 'tags', through: 'cl_post_tags', foreignKey: 'postId', otherKey: 'tagId', timestamps: false });
Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' });

const now = new Date();
before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  const [ann, bob] = await Author.bulkCreate([{ username: 'Ann' }, { username: 'bob' }]);
  const day = 86400000;
  await Post.bulkCreate([
    { title: 'Hello World', status: 'published', published: true, views: 5, authorId: ann.id, createdAt: now },
    { title: 'hello again', status: 'draft', published: false, views: 3, authorId: bob.id, createdAt: new Date(now - 3 * day) },
    { title: '100% sure_thing', status: 'draft', published: false, views: 9, authorId: ann.id, createdAt: new Date(Date.UTC(2020, 4, 17, 12)) },
    { title: 'Goodbye', status: 'published', published: true, views: 1, authorId: bob.id, createdAt: new Date(Date.UTC(2020, 6, 1, 12)) },
  ]);
  const posts = await Post.findAll({ order: [['id', 'ASC']] });
  await Comment.bulkCreate([{ body: 'nice xylophone', postId: posts[3].id }, { body: 'another xylophone', postId: posts[3].id }]);
  const [js, node] = await Tag.bulkCreate([{ name: 'js' }, { name: 'node' }]);
  await posts[0].addTags([js, node]);
  await posts[1].addTags([js]);
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

const admin = (opts = {}) => ({ model: Post, listDisplay: ['title', 'author', 'published', 'views'], listPerPage: 100, listMaxShowAll: 200, ...opts });
const list = (qs, opts, buildOpts) => ChangeList.build({ originalUrl: `/admin/cl/post/${qs}` }, admin(opts), buildOpts);
const titles = (cl) => cl.results.map((p) => p.title);

test('search is case-insensitive, every term must match, and % _ are literal', async () => {
  const opts = { searchFields: ['title'] };
  assert.deepEqual(titles(await list('?q=HELLO', opts)).sort(), ['Hello World', 'hello again']);
  assert.deepEqual(titles(await list('?q=hello+world', opts)), ['Hello World']);
  assert.deepEqual(titles(await list('?q=100%25', opts)), ['100% sure_thing']);
  assert.deepEqual(titles(await list('?q=o_w', opts)), []);
  assert.deepEqual(titles(await list('?q=%22hello+again%22', opts)), ['hello again']);
});

test('^ is starts-with, = is exact (both case-insensitive), and lookups follow foreign keys', async () => {
  assert.deepEqual(titles(await list('?q=GOOD', { searchFields: ['^title'] })), ['Goodbye']);
  assert.deepEqual(titles(await list('?q=bye', { searchFields: ['^title'] })), []);
  assert.deepEqual(titles(await list('?q=goodbye', { searchFields: ['=title'] })), ['Goodbye']);
  assert.deepEqual(titles(await list('?q=good', { searchFields: ['=title'] })), []);
  const byAuthor = await list('?q=ANN', { searchFields: ['title', 'author__username'] });
  assert.deepEqual(titles(byAuthor).sort(), ['100% sure_thing', 'Hello World']);
  assert.equal(byAuthor.resultCount, 2);
  assert.equal(byAuthor.fullResultCount, 4);
  const acrossMany = await list('?q=xylophone', { searchFields: ['title', 'comments__body'] });
  assert.deepEqual(titles(acrossMany), ['Goodbye']);
  assert.equal(acrossMany.resultCount, 1);
});

test('o sorts by listDisplay indexes, several columns, and headers offer Django\'s links', async () => {
  const cl = await list('?o=-3.0', {});
  assert.deepEqual(titles(cl), ['100% sure_thing', 'Hello World', 'hello again', 'Goodbye']);
  const headers = cl.headers();
  assert.equal(headers[3].sorted, true);
  assert.equal(headers[3].ascending, false);
  assert.equal(headers[3].sortPriority, 1);
  assert.equal(headers[0].sortPriority, 2);
  assert.equal(decodeURIComponent(headers[0].urlToggle), '?o=-3.-0');
  assert.equal(decodeURIComponent(headers[0].urlRemove), '?o=-3');
  assert.equal(decodeURIComponent(headers[2].urlPrimary), '?o=2.-3.0');
  const withActions = await list('?o=-4', {}, { actions: true });
  assert.deepEqual(titles(withActions)[0], '100% sure_thing');
  const ignored = await list('?o=x.99', {});
  assert.equal(ignored.results.length, 4);
  function writer(post) { return post.author ? post.author.username : ''; }
  writer.adminOrderField = 'author__username';
  const byWriter = await list('?o=-1.3', { listDisplay: ['title', writer, 'published', 'views'] });
  assert.deepEqual(titles(byWriter), ['Goodbye', 'hello again', 'Hello World', '100% sure_thing'], 'bob before Ann, then views');
  assert.equal(byWriter.headers()[1].sortable, true);
  const byAuthor = await list('?o=1.3', {});
  assert.deepEqual(titles(byAuthor), ['Goodbye', 'hello again', 'Hello World', '100% sure_thing'], 'a foreign key sorts by its model\'s ordering (-username)');
  const only = await list('?o=0', { sortableBy: ['views'] });
  assert.deepEqual(only.headers().map((h) => h.sortable), [false, false, false, true]);
  assert.deepEqual(titles(only)[0], 'Goodbye', 'o on a column outside sortableBy is ignored (default order: -id)');
});

test('filters whitelist their own parameters; anything else is a 400', async () => {
  const opts = { listFilter: ['published', 'status', 'author', 'createdAt'] };
  assert.deepEqual(titles(await list('?published__exact=1&o=3', opts)), ['Goodbye', 'Hello World']);
  assert.deepEqual(titles(await list('?status__exact=draft', opts)).sort(), ['100% sure_thing', 'hello again']);
  const ann = await Author.findOne({ where: { username: 'Ann' } });
  assert.equal((await list(`?author__id__exact=${ann.id}`, opts)).resultCount, 2);
  const from = new Date(now.getTime() - 7 * 86400000).toISOString().slice(0, 10);
  const to = new Date(now.getTime() + 86400000).toISOString().slice(0, 10);
  assert.equal((await list(`?createdAt__gte=${from}&createdAt__lt=${to}`, opts)).resultCount, 2);
  for (const bad of ['?title__startswith=x', '?published__exact=maybe', '?status__exact=gone', '?author__id__exact=abc', '?createdAt__gte=2020-13-01', '?p=abc', '?p=9']) {
    await assert.rejects(list(bad, opts), (err) => err.status === 400, bad);
  }
  const cl = await list('?published__exact=1', opts);
  const specs = cl.filterSpecs();
  assert.deepEqual(specs.map((s) => s.title), ['published', 'status', 'author', 'created at']);
  assert.deepEqual(specs[0].choices.map((c) => [c.display, c.selected]), [['All', false], ['Yes', true], ['No', false]]);
  assert.deepEqual(specs[3].choices.map((c) => c.display), ['Any date', 'Today', 'Past 7 days', 'This month', 'This year']);
});

test('a many-to-many filter keeps rows linked to the chosen row (once each) or rows with no link', async () => {
  const opts = { listFilter: ['tags'] };
  const js = await Tag.findOne({ where: { name: 'js' } });
  const tagged = await list(`?tags__id__exact=${js.id}&o=3`, opts);
  assert.deepEqual(titles(tagged), ['hello again', 'Hello World']);
  assert.equal(tagged.resultCount, 2);
  assert.deepEqual(titles(await list('?tags__isnull=True&o=3', opts)), ['Goodbye', '100% sure_thing']);
  assert.deepEqual(tagged.filterSpecs()[0].choices.map((c) => c.display), ['All', 'js', 'node', 'Empty']);
  await assert.rejects(list('?tags__id__exact=x', opts), (err) => err.status === 400);
});

test('a custom SimpleListFilter adds its lookups and its where', async () => {
  class Popular extends SimpleListFilter {
    title = 'popularity';
    parameterName = 'popular';
    lookups() { return [['yes', 'Popular'], ['no', 'Quiet']]; }
    queryset() { if (this.value() === 'yes') return { views: { [Op.gte]: 5 } }; return undefined; }
  }
  const cl = await list('?popular=yes', { listFilter: [Popular] });
  assert.deepEqual(titles(cl).sort(), ['100% sure_thing', 'Hello World']);
  assert.deepEqual(cl.filterSpecs()[0].choices.map((c) => c.display), ['All', 'Popular', 'Quiet']);
});

test('pages are LIMIT/OFFSET with a total count, and "all" shows everything under listMaxShowAll', async () => {
  const p2 = await list('?p=2&o=3', { listPerPage: 3 });
  assert.equal(p2.resultCount, 4);
  assert.equal(p2.numPages, 2);
  assert.deepEqual(titles(p2), ['100% sure_thing']);
  assert.equal((await list('?all=', { listPerPage: 3 })).results.length, 4);
  assert.equal((await list('?all=', { listPerPage: 3, listMaxShowAll: 3 })).results.length, 3);
  assert.deepEqual(pageRange(10, 20), [1, 2, '…', 7, 8, 9, 10, 11, 12, 13, '…', 19, 20]);
  assert.deepEqual(splitTerms('a "b c" d'), ['a', 'b c', 'd']);
});

test('date hierarchy drills down by year, month and day', async () => {
  const opts = { dateHierarchy: 'createdAt' };
  const years = await (await list('', opts)).dateLinks();
  assert.ok(years.choices.map((c) => c.title).includes('2020'));
  const months = await (await list('?createdAt__year=2020', opts)).dateLinks();
  assert.deepEqual(months.choices.map((c) => c.title), ['May 2020', 'July 2020']);
  const inMay = await list('?createdAt__year=2020&createdAt__month=5', opts);
  assert.deepEqual(titles(inMay), ['100% sure_thing']);
  assert.deepEqual((await inMay.dateLinks()).choices.map((c) => c.title), ['May 17']);
  await assert.rejects(list('?createdAt__month=5', opts), (err) => err.status === 400);
});

test('listSelectRelated loads the named relations with the page (Django\'s list_select_related): no query per row', async () => {
  const authorName = (post) => (post.author ? post.author.username : '(not loaded)');
  const sql = [];
  db.options.logging = (q) => sql.push(q);
  let cl;
  try {
    cl = await ChangeList.build({ originalUrl: '/admin/cl/post/?o=1' }, admin({ listDisplay: ['title', authorName], listSelectRelated: ['author'] }));
  } finally { db.options.logging = false; }
  // A COUNT and one page, the author joined into the page with all its columns.
  assert.equal(sql.length, 2, sql.join('\n'));
  assert.match(sql[1], /LEFT OUTER JOIN [`"]cl_author[`"] AS [`"]author[`"]/);
  assert.match(sql[1], /[`"]author[`"]\.[`"]username[`"]/);
  const rows = [];
  db.options.logging = (q) => sql.push(q);
  try { for (const p of cl.results) rows.push((await cl.cell(p, cl.columns[1])).text); } finally { db.options.logging = false; }
  assert.equal(sql.length, 2, 'rendering the callable column ran no query');
  assert.deepEqual(rows.sort(), ['Ann', 'Ann', 'bob', 'bob']);
  // Without it the callable finds no author (sequelize has no lazy loading): the option is what loads it.
  const plain = await ChangeList.build({ originalUrl: '/admin/cl/post/' }, admin({ listDisplay: ['title', authorName] }));
  assert.equal((await plain.cell(plain.results[0], plain.columns[1])).text, '(not loaded)');
  // true is Django's select_related(): NOT NULL belongs-to relations only; Post.author may be null, so none here.
  const all = await ChangeList.build({ originalUrl: '/admin/cl/post/' }, admin({ listDisplay: ['title', authorName], listSelectRelated: true }));
  assert.equal((await all.cell(all.results[0], all.columns[1])).text, '(not loaded)');
  await assert.rejects(ChangeList.build({ originalUrl: '/admin/cl/post/' }, admin({ listSelectRelated: ['tags'] })), /listSelectRelated names 'tags': 'tags' is not a to-one relation of Post/);
});

test('the foreign key column comes with the page (one query), shown as its display string', async () => {
  let queries = 0;
  const cl = await ChangeList.build({ originalUrl: '/admin/app/post/?o=3' }, admin());
  const logging = (sql) => { queries++; };
  db.options.logging = logging;
  try {
    const rows = [];
    for (const p of cl.results) rows.push((await cl.cell(p, cl.columns[1])).text);
    assert.deepEqual(rows, ['bob', 'bob', 'Ann', 'Ann']);
  } finally { db.options.logging = false; }
  assert.equal(queries, 0);
  assert.equal((await cl.cell(cl.results[0], cl.columns[2])).bool, true);
});
