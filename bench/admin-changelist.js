#!/usr/bin/env node
// The admin change list of a 100,000-row table against a 10-row one: time per request (in-process, logged in),
// for the plain list (the target: within 2×, so the list counts and pages in SQL and fetches foreign keys with the
// page, never loading the table), then, for information, a filtered + searched + sorted list and the last page, whose
// cost grows with the rows the database must scan (LIKE and COUNT over the matches, OFFSET walking to the end), as
// in Django.
// Run: node bench/admin-changelist.js   Options (env): BENCH_ROWS (100000), BENCH_REQUESTS (200), BENCH_WARMUP (20),
// BENCH_PER_PAGE (listPerPage, 100: the big list renders 100 rows, the small one 10; set 10 to compare equal pages),
// DATABASE_URL (default: SQLite in memory).
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { performance } = require('node:perf_hooks');
const { configure, model, DataTypes, admin, User, getApp } = require('..');
const { Client } = require('../dist/core/test/client');
const { state, closeAll } = require('../dist/core/conf/state');

const ROWS = Number(process.env.BENCH_ROWS || 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 200);
const WARMUP = Number(process.env.BENCH_WARMUP || 20);
const PER_PAGE = Number(process.env.BENCH_PER_PAGE || 100);

configure({ admin: true, APP_LABEL: 'bench', SECRET_KEY: 'bench', ALLOWED_HOSTS: ['localhost'], SESSION_STORE: 'memory',
  DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:', SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 } });

const fields = {
  title: { type: DataTypes.STRING(200), allowNull: false },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
};
const Big = model('BigPost', fields, { ordering: ['-id'] });
const Small = model('SmallPost', fields, { ordering: ['-id'] });
const options = { listDisplay: ['title', 'author', 'published', 'views'], listFilter: ['published', 'author'], searchFields: ['^title'], listPerPage: PER_PAGE };
for (const M of [Big, Small]) {
  M.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
  admin.register(M, options);
}
getApp();

async function seed(M, n, authors) {
  const CHUNK = 5000;
  for (let start = 0; start < n; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + CHUNK); i++) {
      rows.push({ title: `Post number ${i}`, published: i % 3 === 0, views: i % 1000, authorId: authors[i % authors.length].id });
    }
    await M.bulkCreate(rows, { validate: false, hooks: false });
  }
}

/** Median time per request of two URLs, measured in alternation so that load from elsewhere hits both alike. */
async function timePair(client, urls) {
  for (const url of urls) {
    for (let i = 0; i < WARMUP; i++) {
      const res = await client.get(url);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
  }
  const samples = urls.map(() => []);
  for (let i = 0; i < REQUESTS; i++) {
    for (const [k, url] of urls.entries()) {
      const t0 = performance.now();
      await client.get(url);
      samples[k].push(performance.now() - t0);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

async function main() {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  const boss = await User.createSuperuser({ username: 'bench', password: 'bench-password-1', email: 'b@example.com' });
  const authors = [boss, ...(await Promise.all(Array.from({ length: 20 }, (_, i) => User.create({ username: `author${i}`, password: '!' }))))];
  const t0 = performance.now();
  await seed(Big, ROWS, authors);
  await seed(Small, 10, authors);
  process.stdout.write(`seeded ${ROWS} + 10 rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${state.settings.DATABASE_URL.split(':')[0]})\n`);
  const client = new Client();
  await client.forceLogin(boss);
  const scenarios = [
    ['list (page 1)', ''],
    ['filter + search + sort', `?published__exact=1&q=Post&o=-4`],
    ['last page', (n) => `?p=${Math.max(1, Math.ceil(n / PER_PAGE))}`],
  ];
  let target = 0;
  process.stdout.write(`\n${'scenario'.padEnd(24)}${'10 rows'.padStart(12)}${`${ROWS} rows`.padStart(16)}${'ratio'.padStart(8)}\n`);
  for (const [name, qs] of scenarios) {
    const [small, big] = await timePair(client, [
      `/admin/bench/smallpost/${typeof qs === 'function' ? qs(10) : qs}`,
      `/admin/bench/bigpost/${typeof qs === 'function' ? qs(ROWS) : qs}`,
    ]);
    const ratio = big / small;
    if (name === scenarios[0][0]) target = ratio;
    process.stdout.write(`${name.padEnd(24)}${`${small.toFixed(2)} ms`.padStart(12)}${`${big.toFixed(2)} ms`.padStart(16)}${`${ratio.toFixed(2)}×`.padStart(8)}\n`);
  }
  process.stdout.write(`\nmedian of ${REQUESTS} requests each, the two lists measured in alternation. Change list of ${ROWS} rows vs 10 rows: ${target.toFixed(2)}× (target: within 2×) — ${target <= 2 ? 'OK' : 'OVER TARGET'}\n`);
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
}

main().catch(async (err) => { process.stderr.write(`${err?.parent?.message ?? err?.message ?? ""}\n${err?.sql ?? ""}\n${err?.stack ?? err}\n`); process.exitCode = 1; await closeAll().catch(() => {}); });
