#!/usr/bin/env node
// Memory of the JSON list route (bench/servers/): the resident set (RSS) of manouche, bare express 5 and raw node:http
// after the same warm-up load, each in its own process, in one run. The target: manouche ≤ express.
// RSS is read twice: right after the load (what `ps` shows) and after a full collection (node --expose-gc: what stays).
// Run: node bench/memory.js   Options (env): BENCH_WARMUP seconds of load (10), BENCH_CONNECTIONS (50), BENCH_ROUNDS (3:
// each server is started anew per round and the median kept), BENCH_PORT (3321: the first of three ports).
'use strict';
const { fork } = require('node:child_process');
const path = require('node:path');
const autocannon = require('autocannon');

const WARMUP = Number(process.env.BENCH_WARMUP || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const PORT = Number(process.env.BENCH_PORT || 3321);
const ROUTE = '/api/characters/';
const SERVERS = [
  { name: 'manouche (app.listen())', file: 'manouche.js' },
  { name: 'express 5', file: 'express.js' },
  { name: 'node:http', file: 'node-http.js' },
].map((s, i) => ({ ...s, port: PORT + i }));

function start(spec) {
  const child = fork(path.join(__dirname, 'servers', spec.file), [], {
    execArgv: ['--expose-gc'], env: { ...process.env, PORT: String(spec.port) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} did not start within 20s`)), 20_000);
    child.once('message', (m) => { if (m === 'listening') { clearTimeout(timer); resolve(child); } });
    child.once('exit', (code) => reject(new Error(`${spec.name} exited with ${code} before listening`)));
  });
}

/** The child's RSS now (ps's view: nothing collected first) and its memoryUsage() after a full collection. */
async function memoryOf(child) {
  const rss = Number((await import('node:fs')).readFileSync(`/proc/${child.pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  const mem = await new Promise((resolve) => { child.once('message', (m) => resolve(m.mem)); child.send('mem'); });
  return { rss, rssAfterGc: mem.rss, heapUsed: mem.heapUsed };
}

async function stop(child) {
  child.disconnect();
  await new Promise((resolve) => { child.once('exit', resolve); setTimeout(() => { child.kill(); resolve(); }, 3000); });
}

const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  console.log(`GET ${ROUTE}: ${WARMUP}s of load at ${CONNECTIONS} connections per server, ${ROUNDS} rounds (a fresh process each), median\n`);
  const results = SERVERS.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, spec] of SERVERS.entries()) {
      const child = await start(spec);
      try {
        const before = await memoryOf(child);
        const r = await new Promise((resolve, reject) => autocannon({ url: `http://127.0.0.1:${spec.port}${ROUTE}`, connections: CONNECTIONS, duration: WARMUP }, (e, res) => (e ? reject(e) : resolve(res))));
        if (r.non2xx || r.errors) throw new Error(`${spec.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
        results[i].push({ idle: before.rss, ...(await memoryOf(child)) });
      } finally { await stop(child); }
    }
  }
  const rows = SERVERS.map((spec, i) => ({
    name: spec.name, idle: median(results[i].map((r) => r.idle)), rss: median(results[i].map((r) => r.rss)),
    rssAfterGc: median(results[i].map((r) => r.rssAfterGc)), heapUsed: median(results[i].map((r) => r.heapUsed)),
  }));
  console.log(`${'server'.padEnd(26)}${'RSS idle'.padStart(11)}${'RSS warm'.padStart(11)}${'after GC'.padStart(11)}${'heap used'.padStart(11)}`);
  for (const r of rows) console.log(`${r.name.padEnd(26)}${MB(r.idle).padStart(11)}${MB(r.rss).padStart(11)}${MB(r.rssAfterGc).padStart(11)}${MB(r.heapUsed).padStart(11)}`);
  const [m, e] = rows;
  console.log(`\nmanouche / express 5: RSS after warm-up ${(m.rss / e.rss).toFixed(2)}× (target ≤ 1.00 — ${m.rss <= e.rss ? 'OK' : 'OVER'}), after GC ${(m.rssAfterGc / e.rssAfterGc).toFixed(2)}×`);
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
