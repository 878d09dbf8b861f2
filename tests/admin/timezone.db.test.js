// Date drill-down and date filters in TIME_ZONE, as Django's with USE_TZ: a row stored at 20:00 UTC on 31 January is
// on 1 February in Tokyo, and "Today" is Tokyo's day. Runs on every database (the periods are computed in SQL).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
process.env.MANOUCHE_TESTING = '1';
const { configure, model, DataTypes } = require('manouche');
const { ChangeList } = require('../../dist/admin/changelist.js');
const { state, closeAll } = require('../../dist/core/conf/state');

configure({ APP_LABEL: 'tz', SECRET_KEY: 'timezone-dates', TIME_ZONE: 'Asia/Tokyo', DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:' });
const Event = model('Event', {
  name: { type: DataTypes.STRING(50), allowNull: false },
  at: { type: DataTypes.DATE, allowNull: false },
}, { timestamps: false });

/** Tokyo's calendar day of an instant, as YYYY-MM-DD. */
const tokyoDay = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const now = new Date();
// Tokyo has no DST: its midnight is 15:00 UTC the day before.
const tokyoMidnight = new Date(`${tokyoDay(now)}T00:00:00+09:00`);

before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  await Event.bulkCreate([
    { name: 'new-year-eve-utc', at: new Date('2025-12-31T16:00:00Z') }, // 1 January 2026, 01:00 in Tokyo
    { name: 'late-january-utc', at: new Date('2026-01-31T20:00:00Z') }, // 1 February, 05:00 in Tokyo
    { name: 'mid-february', at: new Date('2026-02-14T03:00:00Z') },
    { name: 'just-after-midnight', at: new Date(tokyoMidnight.getTime() + 60000) },
    { name: 'just-before-midnight', at: new Date(tokyoMidnight.getTime() - 60000) },
  ]);
});
after(async () => {
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

const admin = (opts = {}) => ({ model: Event, listDisplay: ['name', 'at'], listPerPage: 100, listMaxShowAll: 200, ...opts });
const list = (qs, opts) => ChangeList.build({ originalUrl: `/admin/tz/event/${qs}` }, admin(opts));
const names = (cl) => cl.results.map((e) => e.name).sort();
const titles = async (cl) => (await cl.dateLinks()).choices.map((c) => c.title);

test('the drill-down puts rows in the year, month and day they have in TIME_ZONE', async () => {
  const opts = { dateHierarchy: 'at' };
  const years = await titles(await list('', opts));
  assert.ok(years.includes('2026'));
  // The row at 16:00 UTC on 31 December 2025 is in Tokyo's 2026 (the others are in 2026 or later).
  assert.ok(!years.includes('2025'), `years: ${years}`);
  const months = await titles(await list('?at__year=2026', opts));
  assert.deepEqual(months.slice(0, 2), ['January 2026', 'February 2026']);
  const jan = await list('?at__year=2026&at__month=1', opts);
  assert.deepEqual(names(jan), ['new-year-eve-utc']);
  assert.deepEqual(await titles(jan), ['January 1']);
  const feb = await list('?at__year=2026&at__month=2', opts);
  assert.deepEqual(names(feb), ['late-january-utc', 'mid-february']);
  assert.deepEqual(await titles(feb), ['February 1', 'February 14']);
  assert.deepEqual(names(await list('?at__year=2026&at__month=2&at__day=1', opts)), ['late-january-utc']);
  assert.deepEqual(names(await list('?at__year=2025', opts)), []);
});

test('"Today" and the other date filters are Tokyo\'s days, their bounds Tokyo\'s midnights', async () => {
  const cl = await list('', { listFilter: ['at'] });
  const today = cl.filterSpecs()[0].choices.find((c) => c.display === 'Today');
  const params = new URLSearchParams(today.queryString.slice(1));
  assert.equal(params.get('at__gte'), tokyoDay(now));
  const chosen = await list(today.queryString, { listFilter: ['at'] });
  assert.deepEqual(names(chosen), ['just-after-midnight']);
  // A typed day is a Tokyo day too: 1 February takes the row stored on 31 January, UTC.
  assert.deepEqual(names(await list('?at__gte=2026-02-01&at__lt=2026-02-02', { listFilter: ['at'] })), ['late-january-utc']);
});
