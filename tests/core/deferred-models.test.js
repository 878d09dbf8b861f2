// Models before sequelize (core/db/deferred.ts): an app file's model(), DataTypes and admin.register() run without
// loading sequelize; the database opens — and defines the models, the same class objects — at their first use, at
// `check`/`migrate`, or a moment after `serve` listens. Each case runs in a fresh node, where sequelize is not loaded.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');

/** Runs `code` in a fresh node from the repository; returns what it wrote to stdout, parsed as JSON. */
function run(code) {
  const res = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout);
}

/** A folder holding `source` as app.js, with this checkout installed as its `manouche`. */
function appDir(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-deferred-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'manouche'));
  fs.writeFileSync(path.join(dir, 'app.js'), source);
  return dir;
}

const HEADER = `
  const { configure, model, DataTypes, admin, db } = require('manouche');
  const sequelizeLoaded = () => Object.keys(require.cache).some((f) => /node_modules.sequelize.lib.sequelize\\.js$/.test(f));
  configure({ admin: true, SECRET_KEY: 'x'.repeat(50), ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });
`;

test('model(), DataTypes and admin.register() do not load sequelize; the first query defines the same classes with every declared type', () => {
  const out = run(`${HEADER}
    const Post = model('Post', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      title: { type: DataTypes.STRING(200), allowNull: false },
      rating: DataTypes.INTEGER.UNSIGNED,
      price: { type: DataTypes.DECIMAL(10, 2) },
      status: { type: DataTypes.ENUM('draft', 'live'), allowNull: false, defaultValue: 'draft' },
      at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    }, { ordering: ['-id'], appLabel: 'blog' });
    Post.prototype.shout = function () { return this.title.toUpperCase(); };
    Post.recent = function () { return this.findAll({ limit: 2 }); };
    admin.register(Post, { listDisplay: ['title'] });
    require('manouche').getApp();
    const url = require('manouche').reverse('admin:blog_post_change', { objectId: '9007199254740993' });
    const before = sequelizeLoaded();
    (async () => {
      await Post.sync();
      const { DataTypes: Real, Model } = require('sequelize');
      const a = Post.getAttributes();
      await Post.create({ title: 'one' });
      await Post.create({ title: 'two', price: '1.50' });
      const rows = await Post.recent();
      const p = new Post({ title: 'x' });
      process.stdout.write(JSON.stringify({
        before, url, same: db.model('Post') === Post, table: Post.tableName, isModel: Post.prototype instanceof Model,
        types: [a.id.type.key, a.title.type.options.length, a.rating.type.options.unsigned, [a.price.type.options.precision, a.price.type.options.scale],
          a.status.type.values, a.at.defaultValue instanceof Real.NOW],
        titles: rows.map((r) => r.title), price: Number(rows[0].price), shout: p.shout(), instance: p instanceof Post && p instanceof Model,
        facade: DataTypes.STRING === Real.STRING && DataTypes.STRING(5) instanceof Real.STRING,
      }));
    })().catch((err) => { console.error(err); process.exit(1); });`);
  assert.deepEqual(out, {
    before: false, url: '/admin/blog/post/9007199254740993/change/', same: true, table: 'blog_post', isModel: true,
    types: ['BIGINT', 200, true, [10, 2], ['draft', 'live'], true],
    titles: ['two', 'one'], price: 1.5, shout: 'X', instance: true, facade: true,
  });
});

test("a waiting model's statics and prototype are sequelize's: the first read of one opens the database", () => {
  const out = run(`${HEADER}
    const Note = model('Note', { text: DataTypes.TEXT });
    const save = Note.prototype.save; // a read of sequelize's method defines the model first
    const afterSave = sequelizeLoaded();
    const { Model } = require('sequelize');
    process.stdout.write(JSON.stringify({ afterSave, save: save === Model.prototype.save, attrs: Object.keys(Note.getAttributes()) }));`);
  assert.deepEqual(out, { afterSave: true, save: true, attrs: ['id', 'text', 'createdAt', 'updatedAt'] });
  const constructed = run(`${HEADER}
    const Note = model('Note', { text: DataTypes.TEXT });
    const n = new Note({ text: 'hi' });
    process.stdout.write(JSON.stringify({ text: n.text, isNote: n instanceof Note, loaded: sequelizeLoaded() }));`);
  assert.deepEqual(constructed, { text: 'hi', isNote: true, loaded: true });
});

test('associations declared in the app file define the models at once, and work', () => {
  const out = run(`${HEADER}
    const Author = model('Author', { name: DataTypes.STRING });
    const Book = model('Book', { title: DataTypes.STRING });
    Author.hasMany(Book, { as: 'books', foreignKey: 'authorId' });
    Book.belongsTo(Author, { as: 'author', foreignKey: 'authorId' });
    (async () => {
      await db.sync();
      const a = await Author.create({ name: 'Ann' });
      await Book.create({ title: 'B', authorId: a.id });
      const found = await Author.findOne({ include: ['books'] });
      process.stdout.write(JSON.stringify({ books: found.books.map((b) => b.title), target: Author.associations.books.target === Book }));
    })().catch((err) => { console.error(err); process.exit(1); });`);
  assert.deepEqual(out, { books: ['B'], target: true });
});

test('a model the database cannot define is a `check` error (exit 1), and every use of it throws that error', () => {
  const dir = appDir(`const { configure, model, DataTypes, run } = require('manouche');
configure({ DEBUG: true, DATABASE_URL: 'sqlite::memory:' });
const Bad = model('Bad', { title: DataTypes.STRING }, { validate: { title() {} } });
if (process.argv[2] === 'use') {
  for (let i = 0; i < 2; i++) { try { Bad.findAll; console.log('no error'); } catch (err) { console.log(err.message); } }
} else module.exports = run();
`);
  try {
    const res = spawnSync(process.execPath, ['app.js', 'check'], { cwd: dir, encoding: 'utf8' });
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stdout + res.stderr, /models\.E001.*The models could not be defined: A model validator function must not have the same name as a field/s);
    const used = spawnSync(process.execPath, ['app.js', 'use'], { cwd: dir, encoding: 'utf8' });
    assert.equal(used.status, 0, used.stderr);
    const lines = used.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /A model validator function must not have the same name as a field/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('`serve` answers without sequelize, then defines the models a moment after it listens, with no request', async () => {
  const dir = appDir(`const { configure, model, DataTypes, route, run } = require('manouche');
configure({ SECRET_KEY: 'x'.repeat(50), ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', admin: true });
model('Note', { text: DataTypes.TEXT });
route('', () => String(Object.keys(require.cache).some((f) => /node_modules.sequelize.lib.sequelize\\.js$/.test(f))));
module.exports = run();
`);
  const child = spawn(process.execPath, ['app.js', 'serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => { out += c; const m = /Serving at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out); if (m) resolve(Number(m[1])); });
      child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    const get = async () => (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.equal(await get(), 'false', 'the first request loaded sequelize');
    let loaded = 'false';
    for (let i = 0; i < 100 && loaded === 'false'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      loaded = await get();
    }
    assert.equal(loaded, 'true', 'the models were not defined after the server listened');
    assert.equal(stderr, '');
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a misspelt type is refused by model() at once, naming the attribute, as sequelize.define() did', () => {
  const out = run(`${HEADER}
    const errors = [];
    for (const attrs of [{ title: DataTypes.STRNG }, { title: { type: DataTypes.STRNG, allowNull: false } }]) {
      try { model('Post', attrs); errors.push('no error'); } catch (err) { errors.push(err.message); }
    }
    process.stdout.write(JSON.stringify({ errors, loaded: sequelizeLoaded() }));`);
  assert.deepEqual(out, { errors: ['Unrecognized datatype for attribute "Post.title"', 'Unrecognized datatype for attribute "Post.title"'], loaded: false });
});

test('`serve` stops (exit 1) when its models cannot be defined after it listens; with workers, the whole server stops', () => {
  const dir = appDir(`const { configure, model, DataTypes, run } = require('manouche');
configure({ SECRET_KEY: 'x'.repeat(50), ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:' });
model('Bad', { title: DataTypes.STRING }, { validate: { title() {} } });
module.exports = run();
`);
  try {
    for (const workers of ['1', '2']) {
      const res = spawnSync(process.execPath, ['app.js', 'serve', '--port', '0', '--workers', workers], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      assert.equal(res.status, 1, `--workers ${workers}: ${res.stdout}${res.stderr}`);
      assert.match(res.stdout, /Serving at|Worker \d+ listening/);
      assert.match(res.stderr, /The models could not be defined, so the server stops: Error: A model validator function must not have the same name as a field/);
      assert.doesNotMatch(res.stderr, /starting a new one|\n\s+at /);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the lists of Model's statics and methods and of DataTypes that a waiting model answers are sequelize's whole lists", () => {
  const { MODEL_STATICS, MODEL_METHODS, DATA_TYPE_NAMES } = require('../../dist/core/db/deferred');
  const { Sequelize, Model, DataTypes } = require('sequelize');
  const sequelize = new Sequelize('sqlite::memory:', { logging: false, dialectModule: require('../../dist/core/db/sqlite-driver').sqliteDriver() });
  const M = sequelize.define('M', { a: DataTypes.STRING });
  const skip = new Set(['length', 'name', 'prototype']);
  const statics = new Set([...Object.getOwnPropertyNames(Model), ...Object.getOwnPropertyNames(M)].filter((n) => !skip.has(n)));
  assert.deepEqual([...statics].filter((n) => !MODEL_STATICS.includes(n)), []);
  assert.deepEqual(Object.getOwnPropertyNames(Model.prototype).filter((n) => n !== 'constructor' && !MODEL_METHODS.includes(n)), []);
  assert.deepEqual(Object.keys(DataTypes).filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k)).sort(), [...DATA_TYPE_NAMES]);
});
