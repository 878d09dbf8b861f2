// dumpdata / loaddata / flush: Django-style JSON that round-trips exactly, atomic loads, and a flush that asks first.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { configure, model, DataTypes } = require('manouche');
const { ROOT } = require('./fixtures/h4-helpers');

configure({ DEBUG: true, APP_LABEL: 'library', SECRET_KEY: 'k'.repeat(50) });
const { state } = require(path.join(ROOT, 'dist/core/conf/state'));
const { dumpData, loadData } = require(path.join(ROOT, 'dist/core/db/fixtures'));
require(path.join(ROOT, 'dist/core/management/commands/index'));
const { callCommand } = require(path.join(ROOT, 'dist/core/management/commands/registry'));

const Author = model('Author', { name: { type: DataTypes.STRING(50), allowNull: false } });
const Book = model('Book', {
  title: { type: DataTypes.STRING(100), allowNull: false },
  price: { type: DataTypes.DECIMAL(8, 2) },
  inStock: { type: DataTypes.BOOLEAN, defaultValue: true },
  published: { type: DataTypes.DATEONLY },
  meta: { type: DataTypes.JSON },
});
const Genre = model('Genre', { name: { type: DataTypes.STRING(30), allowNull: false } });
Book.belongsTo(Author);
Author.hasMany(Book);
Book.belongsToMany(Genre, { through: 'library_book_genres' });
Genre.belongsToMany(Book, { through: 'library_book_genres' });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'h4-fixtures-'));
test.before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
test.beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
test.after(async () => { for (const h of state.testLifecycle) await h.afterAll?.(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** Runs a command in process and returns { code, out }. */
async function call(name, argv, ctx = {}) {
  let out = '';
  const write = { write: (s) => { out += s; } };
  const code = await callCommand(name, argv, { stdout: write, stderr: write, isTTY: false, ...ctx });
  return { code, out };
}

async function seed() {
  const ann = await Author.create({ name: 'Ann' });
  const bob = await Author.create({ name: 'Bob' });
  const [sf, crime] = await Genre.bulkCreate([{ name: 'sf' }, { name: 'crime' }]);
  const b1 = await Book.create({ title: 'Dune "2"', price: '12.50', published: '1965-08-01', meta: { pages: 412, tags: ['a'] }, AuthorId: ann.id });
  const b2 = await Book.create({ title: 'Café', inStock: false, AuthorId: bob.id });
  await b1.addGenres([sf, crime]);
  await b2.addGenre(crime);
}

test('dumpdata writes Django-style objects, many-to-many as pk lists, referenced models first', async () => {
  await seed();
  const objects = await dumpData();
  assert.deepEqual(objects.map((o) => o.model), ['library.author', 'library.author', 'library.book', 'library.book', 'library.genre', 'library.genre']);
  const dune = objects.find((o) => o.model === 'library.book' && o.pk === 1);
  assert.deepEqual(Object.keys(dune).sort(), ['fields', 'model', 'pk']);
  assert.equal(dune.fields.title, 'Dune "2"');
  assert.deepEqual(dune.fields.Genres, [1, 2]);
  assert.deepEqual(dune.fields.meta, { pages: 412, tags: ['a'] });
  assert.equal(dune.fields.AuthorId, 1);
  assert.deepEqual((await dumpData(['library.Author'])).map((o) => o.fields.name), ['Ann', 'Bob']);
  await assert.rejects(dumpData(['nope']), /Unknown app or model label 'nope'/);
});

test('dump → flush → load → dump is exact (ids, dates, decimals, booleans, JSON, links)', async () => {
  await seed();
  const before = JSON.parse(JSON.stringify(await dumpData()));
  const file = path.join(tmp, 'all.json');
  const dumped = await call('dumpdata', ['--output', file]);
  assert.equal(dumped.code, 0, dumped.out);
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), before);
  const flushed = await call('flush', ['--noinput']);
  assert.equal(flushed.code, 0, flushed.out);
  assert.equal(await Book.count(), 0);
  const loaded = await call('loaddata', [file]);
  assert.equal(loaded.code, 0, loaded.out);
  assert.match(loaded.out, /Installed 6 object\(s\) from 1 fixture\(s\)/);
  assert.deepEqual(JSON.parse(JSON.stringify(await dumpData())), before);
  const next = await Author.create({ name: 'Cy' });
  assert.equal(next.id, 3, 'the id sequence moved past the loaded rows');
});

test('loaddata is atomic: a bad object loads nothing and the error names it', async () => {
  const file = path.join(tmp, 'bad.json');
  fs.writeFileSync(file, JSON.stringify([
    { model: 'library.author', pk: 1, fields: { name: 'Ann' } },
    { model: 'library.genre', pk: 1, fields: { name: 'sf' } },
    { model: 'library.book', pk: 1, fields: { title: 'x', colour: 'red' } },
  ]));
  const r = await call('loaddata', [file]);
  assert.equal(r.code, 1);
  assert.match(r.out, /Problem installing fixture '.*bad\.json': object #3 \(library\.book, pk=1\): Book has no field 'colour'/);
  assert.equal(await Author.count(), 0);
  assert.equal(await Genre.count(), 0);
  fs.writeFileSync(file, JSON.stringify([{ model: 'library.nothing', pk: 1, fields: {} }]));
  assert.match((await call('loaddata', [file])).out, /object #1 \(library\.nothing, pk=1\): unknown model 'library\.nothing'/);
  fs.writeFileSync(file, '[{"model": ');
  assert.match((await call('loaddata', [file])).out, /Problem installing fixture '.*bad\.json': .*JSON/);
  assert.match((await call('loaddata', ['missing.json'])).out, /No fixture named 'missing\.json' found/);
});

test('flush refuses without a terminal unless --noinput, and asks on one', async () => {
  await seed();
  const refused = await call('flush', []);
  assert.equal(refused.code, 1);
  assert.match(refused.out, /--noinput/);
  const no = await call('flush', [], { isTTY: true, prompt: async () => 'no' });
  assert.match(no.out, /IRREVERSIBLY DESTROY[\s\S]*Flush cancelled/);
  assert.equal(await Author.count(), 2);
  const yes = await call('flush', [], { isTTY: true, prompt: async () => 'yes' });
  assert.equal(yes.code, 0, yes.out);
  assert.equal(await Author.count(), 0);
  assert.equal(await Genre.count(), 0);
});
