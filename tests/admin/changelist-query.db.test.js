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
  price: { type: DataTypes.DECIMAL(6, 2), allowNull: true },
  publishedOn: { type: DataTypes.DATEONLY, allowNull: true },
}, { timestamps: false });
Post.belongsTo(Author, { as: 'author', foreignKey: 'authorId' });
const Comment = model('Comment', { body: DataTypes.STRING }, { timestamps: false });
const Tag = model('Tag', { name: { type: DataTypes.STRING(30), allowNull: false } }, { timestamps: false });
Post.belongsToMany(Tag, { as: 'tags', through: 'cl_post_tags', foreignKey: 'postId', otherKey: 'tagId', timestamps: false });
Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' });
const Note = model('Note', { n: { type: DataTypes.INTEGER, allowNull: false } }, { timestamps: false, ordering: ['n'] });

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
  // A COUNT and one page, the author joined into the page with all its columns. (On PostgreSQL the COUNT is preceded by
  // a read of the snapshot, and left out when no transaction finished since the same count: core/db/snapshot-count.ts.)
  const page = sql.filter((q) => !/count\(|pg_current_snapshot/i.test(q));
  assert.equal(page.length, 1, sql.join('\n'));
  const counts = sql.filter((q) => /count\(/i.test(q)).length;
  assert.ok(db.getDialect() === 'postgres' ? counts <= 1 : counts === 1, sql.join('\n'));
  assert.match(page[0], /LEFT OUTER JOIN [`"]cl_author[`"] AS [`"]author[`"]/);
  assert.match(page[0], /[`"]author[`"]\.[`"]username[`"]/);
  const rows = [];
  db.options.logging = (q) => sql.push(q);
  const before = sql.length;
  try { for (const p of cl.results) rows.push((await cl.cell(p, cl.columns[1])).text); } finally { db.options.logging = false; }
  assert.equal(sql.length, before, 'rendering the callable column ran no query');
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

test('a list of values reads plain rows and shows what instances show; callables and listEditable get instances', async () => {
  const orphan = await Post.create({ title: 'No author', published: false, views: 0, createdAt: new Date(Date.UTC(2021, 0, 2, 3, 4, 5)), price: '94.9', publishedOn: '2021-01-02' });
  try {
    const listDisplay = ['__str__', 'title', 'author', 'published', 'views', 'createdAt', 'status', 'price', 'publishedOn'];
    const plain = await list('?o=2', { listDisplay });
    function viewsTwice(p) { return p.get('views') * 2; }
    const instances = await list('?o=2', { listDisplay: [...listDisplay, viewsTwice] });
    assert.equal(plain.plainRows, true);
    assert.equal(instances.plainRows, false);
    assert.equal((await list('', { listEditable: ['views'] })).plainRows, false);
    const cells = async (cl) => Promise.all(cl.results.map(async (p) => {
      const shown = [];
      for (const col of cl.columns.filter((c) => listDisplay.includes(c.name))) {
        const c = await cl.cell(p, col);
        shown.push(c.bool === undefined ? c.text : c.bool);
      }
      return shown;
    }));
    const expected = await cells(instances);
    assert.deepEqual(await cells(plain), expected);
    // The values themselves: typed as the model's (a boolean, a Date, a number), the missing author empty.
    const row = expected.find((r) => r[1] === 'No author');
    assert.deepEqual(row.slice(0, 5), ['No author', 'No author', '-', false, '0']);
    assert.equal(row[7], '94.90');
    assert.notEqual(row[8], '-');
    assert.equal(expected.find((r) => r[1] === 'Goodbye')[7], '-');
    const first = plain.results.find((p) => p.get('title') === 'Hello World');
    assert.equal(first.get('published'), true);
    assert.ok(first.get('createdAt') instanceof Date);
    assert.equal(first.get('author').get('username'), 'Ann');
    assert.equal(first.views, 5);
  } finally {
    await orphan.destroy();
  }
});

test('pages past the first (keys first, then rows) hold what the instances path holds, searched, filtered and sorted', async () => {
  function viewsTwice(p) { return p.get('views') * 2; }
  const opts = { listPerPage: 1, searchFields: ['title'], listFilter: ['published'], dateHierarchy: 'createdAt' };
  // Pages past the middle are read from the end in the reverse order: p=3 and p=4 of 4 rows, p=2 of 2.
  for (const qs of ['?p=2', '?p=3&o=4', '?p=4&o=-3.1', '?p=4', '?q=o&p=2&o=-1', '?published__exact=0&p=2&o=4', '?q=hello&published__exact=0&p=1', '?createdAt__year=2020&p=2&o=-4']) {
    const plain = await list(qs, opts);
    const instances = await list(qs, { ...opts, listDisplay: ['title', 'author', 'published', 'views', viewsTwice] });
    // The whole list on one page (no OFFSET at all), cut where page p starts.
    const p = Number(new URLSearchParams(qs).get('p'));
    const whole = titles(await list(qs.replace(/[?&]p=\d+/, '').replace(/^&/, '?') || '', { ...opts, listPerPage: 100 }));
    assert.equal(plain.plainRows, true);
    assert.equal(instances.plainRows, false);
    assert.deepEqual(titles(plain), whole.slice(p - 1, p), qs);
    assert.deepEqual(titles(instances), whole.slice(p - 1, p), qs);
  }
  await assert.rejects(list('?p=9', opts), (err) => err.status === 400 && /contains no results/.test(err.message));
  // Last pages of several rows, in the list's order: 4 rows by 2 (page 2 is the third and fourth), by 3 (the fourth).
  const whole = titles(await list('?o=4', { ...opts, listPerPage: 100 }));
  assert.deepEqual(titles(await list('?p=2&o=4', { ...opts, listPerPage: 2 })), whole.slice(2, 4));
  assert.deepEqual(titles(await list('?p=2&o=4', { ...opts, listPerPage: 3 })), whole.slice(3));
});

test('a page read beside the count holds the exact rows when the list changed since its last count', async () => {
  await Note.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ n: i + 1 })));
  const notes = (qs, buildOpts) => ChangeList.build({ originalUrl: `/admin/cl/note/${qs}` }, { model: Note, listDisplay: ['n'], listPerPage: 10 }, buildOpts);
  const ns = (cl) => cl.results.map((r) => r.n);
  const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  // p=8 of 100 is read from the end; the next read of p=8 starts with that count (100) before the new one (95) is known.
  assert.deepEqual(ns(await notes('?p=8')), range(71, 80));
  await Note.destroy({ where: { n: { [Op.lte]: 5 } } });
  const p8 = await notes('?p=8');
  assert.equal(p8.resultCount, 95);
  assert.deepEqual(ns(p8), range(76, 85));
  // p=5 of 95 is read forwards; after 40 more rows go, p=5 of 55 is a page from the end, and the forward read still holds it.
  assert.deepEqual(ns(await notes('?p=5')), range(46, 55));
  await Note.destroy({ where: { n: { [Op.lte]: 45 } } });
  assert.deepEqual(ns(await notes('?p=5')), range(86, 95));
  assert.deepEqual(ns(await notes('?p=6')), range(96, 100));
  // A page that no longer exists is a 400 whatever the last count said, built at once or with the count deferred.
  await Note.destroy({ where: { n: { [Op.lte]: 55 } } });
  await assert.rejects(notes('?p=6'), (err) => err.status === 400 && /contains no results/.test(err.message));
  assert.deepEqual(ns(await notes('?p=2')), range(66, 75));
  await Note.destroy({ where: { n: { [Op.lte]: 92 } } });
  const deferred = await notes('?p=2', { deferCount: true });
  await assert.rejects(deferred.ready(), (err) => err.status === 400 && /contains no results/.test(err.message));
  const first = await notes('', { deferCount: true });
  assert.deepEqual(ns(first), range(93, 100));
  await first.ready();
  assert.equal(first.resultCount, 8);
  assert.equal(first.numPages, 1);
});
