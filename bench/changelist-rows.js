#!/usr/bin/env node
// The change list read as plain typed rows against model instances: two identical tables of BENCH_ROWS rows (1,000),
// listPerPage 100, the same columns (title, author, published, views, created), except that the second list shows its
// views through a callable, which makes the change list read instances (findAll with the author joined), as before.
// Prints the median server time of a whole page (logged in, in alternation) and of the page's read alone.
// Run: node bench/changelist-rows.js   Options (env): BENCH_ROWS (1000), BENCH_REQUESTS (200), BENCH_WARMUP (30),
// DATABASE_URL (default: SQLite in memory; postgres://… works too).
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { performance } = require('node:perf_hooks');
const { configure, model, DataTypes, admin, User, getApp } = require('..');
const { Client } = require('../dist/core/test/client');
const { ChangeList } = require('../dist/admin/changelist');
const { state, closeAll } = require('../dist/core/conf/state');

const ROWS = Number(process.env.BENCH_ROWS || 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 200);
const WARMUP = Number(process.env.BENCH_WARMUP || 30);

configure({ admin: true, APP_LABEL: 'bench', SECRET_KEY: 'bench-only-secret-key-bench-only-secret-key-1234', ALLOWED_HOSTS: ['localhost'],
  SESSION_STORE: 'memory', DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:', SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 } });

const fields = () => ({
  title: { type: DataTypes.STRING(200), allowNull: false },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
});
const Plain = model('PlainPost', fields(), { ordering: ['-id'] });
const Inst = model('InstancePost', fields(), { ordering: ['-id'] });
function viewCount(post) { return post.get('views'); }
viewCount.description = 'Views';
const common = { listFilter: ['published'], searchFields: ['^title'], listPerPage: 100, showFullResultCount: false };
Plain.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
Inst.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
const plainAdmin = admin.register(Plain, { ...common, listDisplay: ['title', 'author', 'published', 'views', 'createdAt'] });
const instAdmin = admin.register(Inst, { ...common, listDisplay: ['title', 'author', 'published', viewCount, 'createdAt'] });
getApp();

const median = (s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)];

/** Median time of each function, called in alternation so that load from elsewhere hits them alike. */
async function timeEach(fns) {
  for (const fn of fns) for (let i = 0; i < WARMUP; i++) await fn();
  const samples = fns.map(() => []);
  for (let i = 0; i < REQUESTS; i++) {
    for (const [k, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      samples[k].push(performance.now() - t0);
    }
  }
  return samples.map(median);
}

async function main() {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  const boss = await User.createSuperuser({ username: 'bench', password: 'bench-password-1', email: 'b@example.com' });
  const authors = [boss, ...(await Promise.all(Array.from({ length: 20 }, (_, i) => User.create({ username: `author${i}`, password: '!' }))))];
  for (const M of [Plain, Inst]) {
    const rows = [];
    for (let i = 0; i < ROWS; i++) rows.push({ title: `Post ${i}`, published: i % 3 === 0, views: i % 1000, authorId: authors[i % authors.length].id });
    await M.bulkCreate(rows, { validate: false, hooks: false });
  }
  const client = new Client();
  await client.forceLogin(boss);
  for (const u of ['/admin/bench/plainpost/', '/admin/bench/instancepost/']) {
    const res = await client.get(u);
    if (res.status !== 200) throw new Error(`${u} answered ${res.status}`);
  }
  const [plainPage, instPage] = await timeEach([() => client.get('/admin/bench/plainpost/'), () => client.get('/admin/bench/instancepost/')]);
  const req = (name) => ({ originalUrl: `/admin/bench/${name}/`, user: boss });
  const [plainBuild, instBuild] = await timeEach([() => ChangeList.build(req('plainpost'), plainAdmin), () => ChangeList.build(req('instancepost'), instAdmin)]);
  const plainCl = await ChangeList.build(req('plainpost'), plainAdmin);
  const instCl = await ChangeList.build(req('instancepost'), instAdmin);
  if (!plainCl.plainRows || instCl.plainRows) throw new Error('the two lists did not take the paths this bench compares');
  const vendor = (process.env.DATABASE_URL || 'sqlite').split(':')[0];
  process.stdout.write(`${ROWS} rows per table, 100 per page (${vendor}); median of ${REQUESTS}, in alternation\n\n`);
  process.stdout.write(`${''.padEnd(34)}${'plain rows'.padStart(12)}${'instances'.padStart(12)}${'speed-up'.padStart(10)}\n`);
  for (const [name, p, i] of [['whole page (GET, logged in)', plainPage, instPage], ['ChangeList.build (count + read)', plainBuild, instBuild]]) {
    process.stdout.write(`${name.padEnd(34)}${`${p.toFixed(2)} ms`.padStart(12)}${`${i.toFixed(2)} ms`.padStart(12)}${`${(i / p).toFixed(2)}×`.padStart(10)}\n`);
  }
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
}

main().catch(async (err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exitCode = 1; await closeAll().catch(() => {}); });
