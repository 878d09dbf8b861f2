// List filters on every database: nullable booleans, date ranges (Today … This year, No date), foreign keys with
// "Empty", DATEONLY drill-down, "Clear all filters" keeping search and sort, custom filters from the public API.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { configure, model, DataTypes, Op, admin } = require('manouche');
const { ChangeList } = require('../../dist/admin/changelist.js');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({ APP_LABEL: 'flt', SECRET_KEY: 'filters-test', DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:' });
const Owner = model('Owner', {
  name: { type: DataTypes.STRING(50), allowNull: false },
  vip: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
}, { timestamps: false });
const Task = model('Task', {
  name: { type: DataTypes.STRING(50), allowNull: false },
  done: { type: DataTypes.BOOLEAN, allowNull: true },
  due: { type: DataTypes.DATEONLY, allowNull: true },
  seenAt: { type: DataTypes.DATE, allowNull: true },
}, { timestamps: false });
Task.belongsTo(Owner, { as: 'owner', foreignKey: { name: 'ownerId', allowNull: true } });

const now = new Date();
const day = 86400000;
before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  const [ann, bob] = await Owner.bulkCreate([{ name: 'Ann', vip: true }, { name: 'Bob' }]);
  await Task.bulkCreate([
    { name: 'today', done: true, due: '2024-02-29', seenAt: now, ownerId: ann.id },
    { name: 'last week', done: false, due: '2024-03-01', seenAt: new Date(now - 3 * day), ownerId: ann.id },
    { name: 'long ago', done: null, due: '2023-12-31', seenAt: new Date(now - 800 * day), ownerId: bob.id },
    { name: 'never', done: null, due: null, seenAt: null },
  ]);
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

const list = (qs, opts = {}) => ChangeList.build({ originalUrl: `/admin/flt/task/${qs}` }, { model: Task, listDisplay: ['name'], ordering: ['name'], ...opts });
const names = (cl) => cl.results.map((t) => t.name);
const choice = (cl, i, label) => cl.filterSpecs()[i].choices.find((c) => c.display === label);

test('a nullable boolean filters Yes, No and Unknown', async () => {
  const opts = { listFilter: ['done'] };
  assert.deepEqual(names(await list('?done__exact=1', opts)), ['today']);
  const unknown = await list('?done__isnull=True', opts);
  assert.deepEqual(names(unknown), ['long ago', 'never']);
  assert.equal(choice(unknown, 0, 'Unknown').selected, true);
  await assert.rejects(list('?done__isnull=maybe', opts), (err) => err.status === 400);
});

test('date filters offer Today, Past 7 days, This month, This year and No date, computed in UTC', async () => {
  const opts = { listFilter: ['seenAt'] };
  const any = await list('', opts);
  const today = choice(any, 0, 'Today');
  const cl = await list(today.queryString, opts);
  assert.deepEqual(names(cl), ['today']);
  assert.equal(choice(cl, 0, 'Today').selected, true);
  assert.equal(choice(cl, 0, 'Any date').selected, false);
  assert.deepEqual(names(await list(choice(any, 0, 'Past 7 days').queryString, opts)), ['last week', 'today']);
  assert.deepEqual(names(await list(choice(any, 0, 'No date').queryString, opts)), ['never']);
  assert.deepEqual(names(await list(choice(any, 0, 'Has date').queryString, opts)), ['last week', 'long ago', 'today']);
});

test('a DATEONLY column drills down by year and month, and filters by date strings', async () => {
  const opts = { dateHierarchy: 'due', listFilter: ['due'] };
  const years = await (await list('', opts)).dateLinks();
  assert.deepEqual(years.choices.map((c) => c.title), ['2023', '2024']);
  const feb = await list('?due__year=2024&due__month=2', opts);
  assert.deepEqual(names(feb), ['today']);
  assert.deepEqual((await feb.dateLinks()).choices.map((c) => c.title), ['February 29']);
  assert.deepEqual(names(await list('?due__gte=2024-01-01&due__lt=2024-03-01', opts)), ['today']);
  await assert.rejects(list('?due__gte=2024-02-30', opts), (err) => err.status === 400);
});

test('a nullable foreign key filters by row and by "Empty"; clearing filters keeps search and sort', async () => {
  const opts = { listFilter: ['owner', 'done'], searchFields: ['name'] };
  const empty = await list('?owner__isnull=True', opts);
  assert.deepEqual(names(empty), ['never']);
  assert.deepEqual(empty.filterSpecs()[0].choices.map((c) => c.display), ['All', 'Ann', 'Bob', 'Empty']);
  const cl = await list('?q=o&o=0&owner__isnull=True&done__isnull=True', opts);
  assert.equal(cl.getQueryString({}, cl.filterParamNames()), '?q=o&o=0');
});

test('a filter across a relation (owner__vip, owner__name) joins the related model and whitelists its own params', async () => {
  const opts = { listFilter: ['owner__vip', 'owner__name'], searchFields: ['owner__name'] };
  const vip = await list('?owner__vip__exact=1', opts);
  assert.deepEqual(names(vip), ['last week', 'today']);
  assert.equal(vip.resultCount, 2);
  assert.deepEqual(vip.filterSpecs().map((f) => f.title), ['owner vip', 'owner name']);
  assert.deepEqual(vip.filterSpecs()[1].choices.map((c) => c.display), ['All', 'Ann', 'Bob']);
  assert.deepEqual(names(await list('?owner__name__exact=Bob&q=bo', opts)), ['long ago']);
  await assert.rejects(list('?owner__vip=1', opts), (err) => err.status === 400);
  await assert.rejects(ChangeList.build({ originalUrl: '/x/' }, { model: Task, listFilter: ['owner__nope'] }), /owner__nope/);
});

test('a custom filter from the public API (admin.SimpleListFilter) gets its value and narrows the list', async () => {
  class Overdue extends admin.SimpleListFilter {
    title = 'overdue';
    parameterName = 'late';
    lookups() { return [['yes', 'Overdue']]; }
    queryset() { return this.value() === 'yes' ? { due: { [Op.lt]: '2024-01-01' } } : undefined; }
  }
  const cl = await list('?late=yes', { listFilter: [Overdue] });
  assert.deepEqual(names(cl), ['long ago']);
  assert.equal(choice(cl, 0, 'Overdue').selected, true);
  await assert.rejects(list('?early=yes', { listFilter: [Overdue] }), (err) => err.status === 400);
});
