// Regression: on in-memory SQLite (every test database), two transactions at once failed with "cannot start a
// transaction within a transaction", where the app's file database makes the second one wait. The demo's seed did it.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { configure, model, db, DataTypes } = require('manouche');

configure({ DEBUG: true, DATABASE_URL: 'sqlite::memory:' });
const Tag = model('Tag', { name: { type: DataTypes.STRING(50), allowNull: false, unique: true } });

test('findOrCreate calls in a Promise.all all succeed', async () => {
  await db.sync();
  const tags = await Promise.all(['a', 'b', 'c', 'd', 'a'].map((name) => Tag.findOrCreate({ where: { name } }).then(([t]) => t.name)));
  assert.deepEqual(tags, ['a', 'b', 'c', 'd', 'a']);
  assert.equal(await Tag.count(), 4);
});

test('a second transaction waits for the first to commit or roll back, and sees its outcome', async () => {
  const first = await db.transaction();
  await Tag.create({ name: 'first' }, { transaction: first });
  const order = [];
  const second = db.transaction(async (t) => { order.push('second'); return Tag.count({ where: { name: 'first' }, transaction: t }); });
  await new Promise((resolve) => setTimeout(resolve, 20));
  order.push('commit');
  await first.commit();
  assert.equal(await second, 1);
  assert.deepEqual(order, ['commit', 'second']);

  const third = await db.transaction();
  await Tag.create({ name: 'rolled-back' }, { transaction: third });
  const fourth = db.transaction(async (t) => Tag.count({ where: { name: 'rolled-back' }, transaction: t }));
  await third.rollback();
  assert.equal(await fourth, 0);
});

test('a savepoint inside a transaction runs at once, and a failing one rolls back only itself', async () => {
  await db.transaction(async (t) => {
    await Tag.create({ name: 'outer' }, { transaction: t });
    await assert.rejects(db.transaction({ transaction: t }, async (sp) => {
      await Tag.create({ name: 'inner' }, { transaction: sp });
      throw new Error('undo the inner one');
    }), /undo the inner one/);
  });
  assert.equal(await Tag.count({ where: { name: 'outer' } }), 1);
  assert.equal(await Tag.count({ where: { name: 'inner' } }), 0);
  await db.close();
});
