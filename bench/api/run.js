#!/usr/bin/env node
// `node bench/api/run.js`: GET /api/books/ (20 rows, paginated JSON) from an api.resource(), hand-written express 5 +
// sequelize, raw node:http + DatabaseSync, and a manouche route over findAll (what plain rows save), in one run on
// loopback (ports 3341-3344). Each server runs in its own process (pinned to CPU 1 when taskset exists),
// autocannon here; each keeps its best of BENCH_ROUNDS rounds.
// Options (env): BENCH_DURATION seconds per run (5), BENCH_WARMUP (2), BENCH_CONNECTIONS (20), BENCH_ROUNDS (3).
'use strict';
const { fork, spawnSync } = require('node:child_process');
const path = require('node:path');
const autocannon = require('autocannon');

const DURATION = Number(process.env.BENCH_DURATION || 5);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const ROUTE = '/api/books/';
const SERVERS = [
  { name: 'manouche api.resource', file: 'manouche.js', port: 3341 },
  { name: 'express 5 + sequelize', file: 'express-sequelize.js', port: 3342 },
  { name: 'node:http + DatabaseSync', file: 'node-http.js', port: 3343 },
  { name: 'manouche route + findAll', file: 'manouche-findall.js', port: 3344 },
];
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (hasTaskset && !process.env.BENCH_PINNED) {
  const res = spawnSync('taskset', ['-c', '0', process.execPath, __filename], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  process.exit(res.status ?? 1);
}

function start(spec) {
  const file = path.join(__dirname, 'servers', spec.file);
  const env = { ...process.env, PORT: String(spec.port) };
  const child = hasTaskset
    ? fork(file, [], { execPath: 'taskset', execArgv: ['-c', '1', process.execPath], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : fork(file, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} did not start within 30s`)), 30_000);
    child.once('message', (m) => { if (m === 'listening') { clearTimeout(timer); resolve(child); } });
    child.once('exit', (code) => reject(new Error(`${spec.name} exited with ${code} before listening`)));
  });
}

const load = (url, duration) => new Promise((resolve, reject) => {
  autocannon({ url, connections: CONNECTIONS, duration }, (err, r) => (err ? reject(err) : resolve(r)));
});
const cpuOf = (child) => new Promise((resolve) => { child.once('message', (m) => resolve(m.cpu)); child.send('cpu'); });

async function measure(spec, child, warmup) {
  const url = `http://127.0.0.1:${spec.port}${ROUTE}`;
  if (warmup) {
    const body = await (await fetch(url)).json();
    if (body.count !== 20 || body.results.length !== 20 || body.results[0].available !== true) throw new Error(`${spec.name}: unexpected answer ${JSON.stringify(body).slice(0, 200)}`);
    await load(url, WARMUP);
  }
  const before = await cpuOf(child);
  const r = await load(url, DURATION);
  const after = await cpuOf(child);
  if (r.non2xx || r.errors) throw new Error(`${spec.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99, cpuPerReq: ((after.user - before.user) + (after.system - before.system)) / r.requests.total };
}

async function main() {
  console.log(`GET ${ROUTE} (20 rows, paginated): ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION}s${hasTaskset ? '' : ' (not pinned: no taskset)'}\n`);
  const children = [];
  try {
    for (const spec of SERVERS) children.push(await start(spec));
    const best = SERVERS.map((s) => ({ name: s.name, rps: 0, p99: Infinity, cpuPerReq: Infinity, runs: [] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < SERVERS.length; i++) {
        const r = await measure(SERVERS[i], children[i], round === 0);
        best[i].runs.push(Math.round(r.rps));
        if (r.rps > best[i].rps) Object.assign(best[i], { rps: r.rps, p99: r.p99 });
        best[i].cpuPerReq = Math.min(best[i].cpuPerReq, r.cpuPerReq);
      }
    }
    for (const r of best) console.log(`${r.name.padEnd(24)} ${String(Math.round(r.rps)).padStart(7)} req/s (runs ${r.runs.join(', ')})   p99 ${r.p99} ms   server CPU ${r.cpuPerReq.toFixed(0)} µs/req`);
    const [m, e, n, f] = best;
    const ratio = (a, b) => `${(a.rps / b.rps).toFixed(2)}x by req/s, ${(b.cpuPerReq / a.cpuPerReq).toFixed(2)}x by CPU per request`;
    console.log(`\nmanouche / express + sequelize = ${ratio(m, e)}`);
    console.log(`manouche / node:http + DatabaseSync = ${ratio(m, n)}`);
    console.log(`api.resource (rows) / manouche route + findAll = ${ratio(m, f)}`);
  } finally {
    for (const c of children) c.disconnect();
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
