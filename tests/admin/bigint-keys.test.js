// Regression: BIGINT keys beyond 2^53 — the admin served a neighbouring row (the path number was rounded).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m } = setupBlog();
const Ledger = m.model('Ledger', {
  id: { type: m.DataTypes.BIGINT, primaryKey: true },
  title: { type: m.DataTypes.STRING(50), allowNull: false },
});
m.admin.register(Ledger, {});
m.run();
useTestDatabase();

test('a BIGINT key beyond 2^53 opens its own row; a key the column cannot hold is a 404', async () => {
  await Ledger.bulkCreate([{ id: '9007199254740992', title: 'even-row' }, { id: '9007199254740993', title: 'odd-row' }]);
  const { client } = await clientFor();
  const odd = await client.get('/admin/blog/ledger/9007199254740993/change/');
  assert.equal(odd.status, 200);
  assert.match(odd.text, /odd-row/);
  assert.doesNotMatch(odd.text, /even-row/);
  const even = await client.get('/admin/blog/ledger/9007199254740992/change/');
  assert.match(even.text, /even-row/);
  assert.doesNotMatch(even.text, /odd-row/);
  assert.equal((await client.get('/admin/blog/ledger/9223372036854775808/change/')).status, 404);
  assert.equal((await client.get('/admin/blog/ledger/123456789012345678901234/change/')).status, 404);
  assert.equal(m.reverse('admin:blog_ledger_change', { objectId: 9007199254740993n }), '/admin/blog/ledger/9007199254740993/change/');
});
