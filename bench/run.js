#!/usr/bin/env node
// `npm run bench`: the JSON list route in manouche, bare express 5 and raw node:http, in one run on loopback.
// Each server runs in its own process pinned to CPU 1 (taskset -c 1); the load generator (autocannon) runs
// here, pinned to CPU 0. Prints req/s and the ratios manouche/express and manouche/node:http.
// Servers are measured in turns for BENCH_ROUNDS rounds and each keeps its best round, so that a burst of
// load from something else on the machine does not decide the comparison.
// Options (env): BENCH_DURATION seconds measured per run (5), BENCH_WARMUP seconds (2), BENCH_CONNECTIONS (50),
// BENCH_ROUNDS (3), BENCH_PORT (3301: the first of seven consecutive ports).
'use strict';
const { fork, spawnSync } = require('node:child_process');
const path = require('node:path');
const autocannon = require('autocannon');

const DURATION = Number(process.env.BENCH_DURATION || 5);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const ROUTE = '/api/characters/';
const PORT = Number(process.env.BENCH_PORT || 3301);
// The three documented ways of serving a manouche app, then the same with helmet + compression + cors beside express.
const SERVERS = [
  { name: 'manouche (app.listen())', file: 'manouche.js' },
  { name: 'express 5', file: 'express.js' },
  { name: 'node:http', file: 'node-http.js' },
  { name: 'manouche (createServer(app))', file: 'manouche.js', env: { BENCH_PLAIN_SERVER: '1' } },
  { name: 'manouche (serve)', file: 'manouche.js', env: { BENCH_SERVE: '1' } },
  { name: 'manouche + 3 middleware', file: 'manouche.js', env: { BENCH_MIDDLEWARE: '1' } },
  { name: 'express 5 + 3 middleware', file: 'express.js', env: { BENCH_MIDDLEWARE: '1' } },
].map((s, i) => ({ ...s, port: PORT + i }));
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

// Pin the load generator (this process) to CPU 0 by re-running under taskset once.
if (hasTaskset && !process.env.BENCH_PINNED) {
  const res = spawnSync('taskset', ['-c', '0', process.execPath, __filename], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  process.exit(res.status ?? 1);
}

function startServer(spec) {
  const file = path.join(__dirname, 'servers', spec.file);
  // fork() through taskset: execPath is taskset, the node binary comes first in its arguments.
  const child = hasTaskset
    ? fork(file, [], { execPath: 'taskset', execArgv: ['-c', '1', process.execPath], env: { ...process.env, ...spec.env, PORT: String(spec.port) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : fork(file, [], { env: { ...process.env, ...spec.env, PORT: String(spec.port) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} did not start within 20s`)), 20_000);
    child.once('message', (m) => { if (m === 'listening') { clearTimeout(timer); resolve(child); } });
    child.once('exit', (code) => reject(new Error(`${spec.name} exited with ${code} before listening`)));
  });
}

function load(url, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function cpuOf(child) {
  return new Promise((resolve) => { child.once('message', (m) => resolve(m.cpu)); child.send('cpu'); });
}

async function measure(spec, child, warmup) {
  const url = `http://127.0.0.1:${spec.port}${ROUTE}`;
  if (warmup) {
    const check = await fetch(url);
    const body = await check.json();
    if (check.status !== 200 || !Array.isArray(body.data)) throw new Error(`${spec.name}: unexpected answer ${check.status}`);
    await load(url, WARMUP);
  }
  const before = await cpuOf(child);
  const r = await load(url, DURATION);
  const after = await cpuOf(child);
  if (r.non2xx || r.errors) throw new Error(`${spec.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  const cpuMicros = (after.user - before.user) + (after.system - before.system);
  return { rps: r.requests.average, p99: r.latency.p99, cpuPerReq: cpuMicros / r.requests.total };
}

async function stop(child) {
  child.disconnect();
  await new Promise((resolve) => { child.once('exit', resolve); setTimeout(() => { child.kill(); resolve(); }, 3000); });
}

async function main() {
  console.log(`GET ${ROUTE} (JSON list of 20 objects): ${CONNECTIONS} connections, ${WARMUP}s warm-up, then ${ROUNDS} rounds of ${DURATION}s each;`
    + ` servers on CPU 1, load generator on CPU 0${hasTaskset ? '' : ' (taskset not found: not pinned)'}\n`);
  const children = [];
  try {
    for (const spec of SERVERS) children.push(await startServer(spec));
    const best = SERVERS.map((spec) => ({ name: spec.name, rps: 0, p99: Infinity, cpuPerReq: Infinity, runs: [] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < SERVERS.length; i++) {
        const r = await measure(SERVERS[i], children[i], round === 0);
        const b = best[i];
        b.runs.push(Math.round(r.rps));
        if (r.rps > b.rps) { b.rps = r.rps; b.p99 = r.p99; }
        b.cpuPerReq = Math.min(b.cpuPerReq, r.cpuPerReq);
      }
    }
    report(best);
  } finally {
    await Promise.all(children.map(stop));
  }
}

function report(results) {
  for (const r of results) {
    console.log(`${r.name.padEnd(30)} ${String(Math.round(r.rps)).padStart(8)} req/s (best of ${r.runs.join(', ')})   p99 ${String(r.p99).padStart(4)} ms   server CPU ${r.cpuPerReq.toFixed(1)} µs/req`);
  }
  const [m, e, n, plain, serve, mmw, emw] = results;
  const ratio = (a, b) => `${(a.rps / b.rps).toFixed(2)}x by req/s, ${(b.cpuPerReq / a.cpuPerReq).toFixed(2)}x by CPU per request`;
  console.log(`\nmanouche (app.listen()) / express 5            = ${ratio(m, e)}`);
  console.log(`manouche (createServer(app)) / express 5       = ${ratio(plain, e)}`);
  console.log(`manouche (serve) / express 5                   = ${ratio(serve, e)}`);
  console.log(`manouche / node:http                           = ${ratio(m, n)}`);
  console.log(`express 5 / node:http                          = ${ratio(e, n)}`);
  console.log(`with helmet + compression + cors: manouche / express 5 = ${ratio(mmw, emw)}`);
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
