#!/usr/bin/env node
// Change list growth: each view of the admin change list (page 1, the middle and last pages, a sort, a filter, a search) on a
// 100,000-row table against the same view on a 1,000-row one, in one process, logged in, measured in alternation.
// Prints the median server time per request and the ratio (the issue's target: every view ≤ 1.5×).
// Run: node bench/changelist-growth.js   Options (env): BENCH_SMALL (1000), BENCH_BIG (100000), BENCH_REQUESTS (60),
// BENCH_WARMUP (5), BENCH_INDEXES (1: the sorted, filtered and searched fields have dbIndex: true; 0: none),
// BENCH_FULL_COUNT (0: showFullResultCount false, one count per page; 1: Django's default second count when filtered),
// BENCH_SEARCH_INDEX (0; 1: an index that answers the case-insensitive `^title` search — on SQLite `title COLLATE
// NOCASE`, on PostgreSQL a pg_trgm GIN index on `title::text` — created with raw SQL, as a runSql migration would),
// BENCH_VACUUM (1; 0: skip it) — on PostgreSQL the database is VACUUM ANALYZEd after loading, the state autovacuum keeps a
// table at rest in: a table filled a second ago has no planner statistics and no visibility map, so that its COUNT(*)
// cannot be an index-only scan, which no table in use is like —
// DATABASE_URL (default: a SQLite file in the temp folder; postgres://… works too).
'use strict';
process.env.MANOUCHE_TESTING = '1';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const SMALL = Number(process.env.BENCH_SMALL || 1000);
const BIG = Number(process.env.BENCH_BIG || 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 60);
const WARMUP = Number(process.env.BENCH_WARMUP || 5);
const INDEXES = process.env.BENCH_INDEXES !== '0';
const FULL_COUNT = process.env.BENCH_FULL_COUNT === '1';
const SEARCH_INDEX = process.env.BENCH_SEARCH_INDEX === '1';
const PER_PAGE = 100;
const sqliteFile = path.join(os.tmpdir(), `manouche-bench-growth-${process.pid}.sqlite3`);

const { configure, model, DataTypes, admin, User, getApp } = require('..');
const { Client } = require('../dist/core/test/client');
const { state, closeAll } = require('../dist/core/conf/state');

// The test database of a SQLite URL is in memory; the bench wants the file the app would run on.
const url = process.env.DATABASE_URL || `sqlite:${sqliteFile}`;
if (url.startsWith('sqlite:')) delete process.env.MANOUCHE_TESTING;
configure({ admin: true, APP_LABEL: 'bench', SECRET_KEY: 'bench-only-secret-key-bench-only-secret-key-1234', ALLOWED_HOSTS: ['localhost'],
  SESSION_STORE: 'memory', DATABASE_URL: url, SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 } });

const fields = () => ({
  title: { type: DataTypes.STRING(200), allowNull: false, dbIndex: INDEXES },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false, dbIndex: INDEXES },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, dbIndex: INDEXES },
});
const Small = model('SmallPost', fields(), { ordering: ['-id'] });
const Big = model('BigPost', fields(), { ordering: ['-id'] });
const options = { listDisplay: ['title', 'author', 'published', 'views'], listFilter: ['published'], searchFields: ['^title'],
  listPerPage: PER_PAGE, showFullResultCount: FULL_COUNT };
for (const M of [Small, Big]) {
  M.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
  admin.register(M, options);
}
getApp();

async function seed(M, n, authors) {
  for (let start = 0; start < n; start += 5000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 5000); i++) {
      rows.push({ title: `Post ${String(i).padStart(6, '0')}`, published: i % 3 === 0, views: (i * 7919) % 100_000, authorId: authors[i % authors.length].id });
    }
    await M.bulkCreate(rows, { validate: false, hooks: false });
  }
}

/** Median time per request of two URLs, in alternation so that load from elsewhere on the machine hits both alike. */
async function timePair(client, urls) {
  for (const u of urls) {
    for (let i = 0; i < WARMUP; i++) {
      const res = await client.get(u);
      if (res.status !== 200) throw new Error(`${u} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
  }
  const samples = urls.map(() => []);
  for (let i = 0; i < REQUESTS; i++) {
    for (const [k, u] of urls.entries()) {
      const t0 = performance.now();
      await client.get(u);
      samples[k].push(performance.now() - t0);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

async function main() {
  if (process.env.MANOUCHE_TESTING) { for (const hooks of state.testLifecycle) await hooks.beforeAll?.(); } else {
    const { migrate } = require('../dist/core/db/migrations');
    await migrate({ quiet: true, syncUnmigrated: true });
  }
  const boss = await User.createSuperuser({ username: 'bench', password: 'bench-password-1', email: 'b@example.com' });
  const authors = [boss, ...(await Promise.all(Array.from({ length: 20 }, (_, i) => User.create({ username: `author${i}`, password: '!' }))))];
  const t0 = performance.now();
  await seed(Small, SMALL, authors);
  await seed(Big, BIG, authors);
  const vendor = url.split(':')[0];
  const { db } = require('..');
  if (SEARCH_INDEX) {
    for (const M of [Small, Big]) {
      const table = M.getTableName();
      if (vendor === 'sqlite') await db.query(`CREATE INDEX ${table}_title_nocase ON ${table} (title COLLATE NOCASE)`);
      else {
        await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        await db.query(`CREATE INDEX ${table}_title_trgm ON "${table}" USING gin ((title::text) gin_trgm_ops)`);
      }
    }
  }
  // A table in use has planner statistics and a visibility map (autovacuum keeps them); a table filled a second ago has neither.
  const vacuum = vendor.startsWith('postgres') && process.env.BENCH_VACUUM !== '0';
  if (vacuum) await db.query('VACUUM ANALYZE');
  process.stdout.write(`seeded ${SMALL} + ${BIG} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${vendor}; indexes: ${INDEXES ? 'yes' : 'no'}; search index: ${SEARCH_INDEX ? 'yes' : 'no'}; showFullResultCount: ${FULL_COUNT}${vendor.startsWith('postgres') ? `; VACUUM ANALYZE: ${vacuum ? 'yes' : 'no'}` : ''})\n`);
  const client = new Client();
  await client.forceLogin(boss);
  const views = [
    ['page 1', () => ''],
    ['middle page', (n) => `?p=${Math.ceil(n / PER_PAGE / 2)}`],
    ['last page', (n) => `?p=${Math.ceil(n / PER_PAGE)}`],
    ['sort by a column', () => '?o=4'],
    ['filter', () => '?published__exact=1'],
    // The same 100 rows match in both tables (Post 000900 … Post 000999): one quoted term (unquoted, `Post` and `0009`
    // would be two terms, each a prefix of the title, and nothing would match).
    ['search', () => '?q=%22Post%200009%22'],
  ];
  process.stdout.write(`\n${'view'.padEnd(20)}${`${SMALL} rows`.padStart(12)}${`${BIG} rows`.padStart(14)}${'ratio'.padStart(8)}\n`);
  for (const [name, qs] of views) {
    if (name === 'search') for (const [M, n] of [['smallpost', SMALL], ['bigpost', BIG]]) {
      const res = await client.get(`/admin/bench/${M}/${qs(n)}`);
      if (!/100 results/.test(res.text)) throw new Error(`the search on ${M} did not find its 100 rows`);
    }
    const [small, big] = await timePair(client, [`/admin/bench/smallpost/${qs(SMALL)}`, `/admin/bench/bigpost/${qs(BIG)}`]);
    process.stdout.write(`${name.padEnd(20)}${`${small.toFixed(2)} ms`.padStart(12)}${`${big.toFixed(2)} ms`.padStart(14)}${`${(big / small).toFixed(2)}×`.padStart(8)}\n`);
  }
  process.stdout.write(`\nmedian of ${REQUESTS} requests per view and size, in-process (server time), logged in as a superuser.\n`);
  if (vendor.startsWith('postgres')) {
    // The counts are answered from the snapshot-validated cache while no transaction of the cluster finished: writes
    // elsewhere on the server (other databases too) make them run, which this tells.
    const { hits, misses } = require('../dist/core/db/snapshot-count').countCacheStats(db);
    process.stdout.write(`counts: ${hits} answered from the snapshot-validated cache, ${misses} run.\n`);
  }
  if (process.env.MANOUCHE_TESTING) for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
}

main().catch(async (err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exitCode = 1; await closeAll().catch(() => {}); })
  .finally(() => { for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) fs.rmSync(f, { force: true }); });
