// TIME_ZONE and USE_TZ as Django's: datetimes stored in UTC, shown and typed in the zone; lists formatted with Intl for
// LANGUAGE_CODE (decimals keep their scale); a zone that does not exist is a configuration error.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m } = setupBlog({ TIME_ZONE: 'Europe/Paris' });
const Event = m.model('Event', {
  name: { type: m.DataTypes.STRING(50), allowNull: false },
  startsAt: { type: m.DataTypes.DATE, allowNull: false },
  day: { type: m.DataTypes.DATEONLY, allowNull: true },
  fee: { type: m.DataTypes.DECIMAL(6, 2), allowNull: true },
});
m.admin.register(Event, { listDisplay: ['name', 'startsAt', 'day', 'fee'], readonlyFields: ['createdAt'] });
m.run();
useTestDatabase();

test('a datetime is shown and typed in TIME_ZONE and stored in UTC, across a DST change', async () => {
  const { client } = await clientFor();
  // 19 October: Paris is UTC+2; 1 December: UTC+1.
  const res = await client.post('/admin/blog/event/add/', { name: 'Summer', startsAt: '2025-10-19T15:13', day: '2025-10-19', fee: '94.9' });
  assert.equal(res.status, 302, res.text);
  const ev = await Event.findOne();
  assert.equal(ev.startsAt.toISOString(), '2025-10-19T13:13:00.000Z');
  await client.post('/admin/blog/event/add/', { name: 'Winter', startsAt: '2025-12-01T09:00', fee: '5' });
  assert.equal((await Event.findOne({ where: { name: 'Winter' } })).startsAt.toISOString(), '2025-12-01T08:00:00.000Z');
  const page = await client.get(`/admin/blog/event/${ev.id}/change/`);
  assert.match(page.text, /name="startsAt" id="id_startsAt"[^>]*value="2025-10-19T15:13"/);
  assert.match(page.text, /name="fee" id="id_fee"[^>]*value="94.90"/);
  const list = await client.get('/admin/blog/event/');
  assert.match(list.text, /<td class="field-startsAt">Oct 19, 2025, 3:13[\s\u202f]PM<\/td>/);
  assert.match(list.text, /<td class="field-day">Oct 19, 2025<\/td>/);
  assert.match(list.text, /<td class="field-fee">94.90<\/td>/);
  assert.match(list.text, /<td class="field-fee">5.00<\/td>/);
  // In the spring-forward gap (02:30 does not exist on 30 March in Paris) the time moves forward, never a 500.
  const gap = await client.post('/admin/blog/event/add/', { name: 'Gap', startsAt: '2025-03-30T02:30' });
  assert.equal(gap.status, 302);
  assert.equal((await Event.findOne({ where: { name: 'Gap' } })).startsAt.toISOString(), '2025-03-30T01:30:00.000Z');
});

test('TIME_ZONE and LANGUAGE_CODE are checked at configure()', () => {
  const { resolveSettings } = require('../../dist/core/conf/settings');
  assert.throws(() => resolveSettings({ TIME_ZONE: 'Mars/Olympus', SECRET_KEY: 'x' }, __dirname), /TIME_ZONE.*IANA time zone/);
  assert.throws(() => resolveSettings({ LANGUAGE_CODE: 'not a tag!', SECRET_KEY: 'x' }, __dirname), /LANGUAGE_CODE/);
  assert.equal(resolveSettings({ SECRET_KEY: 'x' }, __dirname).settings.TIME_ZONE, 'UTC');
  // Canonical names, and the aliases Intl accepts though its list of zones leaves them out.
  for (const tz of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'US/Pacific', 'Etc/GMT+5', 'GMT']) {
    assert.equal(resolveSettings({ TIME_ZONE: tz, SECRET_KEY: 'x' }, __dirname).settings.TIME_ZONE, tz);
  }
  assert.throws(() => resolveSettings({ TIME_ZONE: 'europe/paris ', SECRET_KEY: 'x' }, __dirname), /TIME_ZONE/);
});
