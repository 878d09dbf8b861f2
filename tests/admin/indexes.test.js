// Indexes for big change lists: `dbIndex: true` gives a migration that adds one, and `check --deploy` names each
// field the change list sorts, filters or prefix-searches by that no index leads.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setupBlog, useTestDatabase } = require('./helpers');

const { m } = setupBlog();
const Entry = m.model('Entry', {
  headline: { type: m.DataTypes.STRING(100), allowNull: false, dbIndex: true },
  slug: { type: m.DataTypes.STRING(100), allowNull: false, unique: true },
  rank: { type: m.DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  kind: { type: m.DataTypes.STRING(20), allowNull: false, defaultValue: 'news' },
  mood: { type: m.DataTypes.STRING(20), allowNull: true, field: 'mood_col', dbIndex: true },
}, { ordering: ['-rank', 'headline'] });
m.admin.register(Entry, { listFilter: ['kind', 'mood', 'slug'], searchFields: ['^headline', '=kind', 'rank'] });
m.run();
useTestDatabase();

const ROOT = path.join(__dirname, '..', '..');

test('dbIndex: true gives the model an index that makemigrations writes (column names, as the database sees them)', async () => {
  const { modelToState, ProjectState } = require(path.join(ROOT, 'dist/core/db/migrations/state'));
  const { detectChanges, nonInteractive } = require(path.join(ROOT, 'dist/core/db/migrations/autodetector'));
  const state = modelToState('blog', Entry);
  assert.deepEqual(state.indexes.map((i) => [i.name, i.fields]), [['blog_entry_headline', ['headline']], ['blog_entry_mood_col', ['mood_col']]]);
  const ops = await detectChanges('blog', new ProjectState(), [state], nonInteractive());
  assert.deepEqual(ops[0].indexes.map((i) => i.name), ['blog_entry_headline', 'blog_entry_mood_col']);
  assert.ok(!('dbIndex' in state.fields.headline), 'the column itself is unchanged');
});

test('the test database has the index', async () => {
  const qi = m.db.getQueryInterface();
  const names = (await qi.showIndex('blog_entry')).map((i) => i.name);
  assert.ok(names.includes('blog_entry_headline'), names.join(', '));
});

test('check --deploy warns about an unindexed ordering, filter or prefix/exact search field; plain check does not', async () => {
  const { runChecks } = require(path.join(ROOT, 'dist/core/conf/state'));
  const warnings = (await runChecks({ deploy: true })).filter((c) => /^admin\.W40/.test(c.id) && c.obj === 'blog.Entry');
  const text = warnings.map((c) => `${c.id} ${c.msg}`);
  const expected = [
    "admin.W401 ordering refers to 'rank' of Entry, which has no index: on a large table every change list page scans it.",
    "admin.W402 listFilter refers to 'kind' of Entry, which has no index: on a large table every change list page scans it.",
  ];
  // Case-insensitive search uses an index only on MariaDB/MySQL: only there is an unindexed '^'/'=' field worth a word.
  const { dbVendor } = require(path.join(ROOT, 'dist/core/db/connection'));
  if (dbVendor() === 'mariadb' || dbVendor() === 'mysql') expected.push("admin.W403 searchFields refers to 'kind' of Entry, which has no index: on a large table every change list page scans it.");
  assert.deepEqual(text.sort(), expected);
  assert.ok(warnings.every((c) => c.level === 'warning' && /dbIndex: true/.test(c.hint)));
  assert.ok(!(await runChecks({ deploy: false })).some((c) => /^admin\.W40/.test(c.id)));
});
