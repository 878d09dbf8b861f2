#!/usr/bin/env node
// Soak: does a manouche server's memory stay flat under steady load? Serves bench/servers/soak-app.js (DEBUG off, a
// SQLite file) and cycles through its routes — a static JSON list, 20 plain rows, 20 model instances, a write, a 404
// and a 400 — for BENCH_SOAK_SECONDS (600: ten minutes), sampling the server's heap and RSS after a full collection.
// Fails (exit code 1) when the heap left after collection grew by more than BENCH_SOAK_TOLERANCE_MB (4) from the
// first samples after warm-up to the last ones.
// Run: node bench/soak.js   Short version: BENCH_SOAK_SECONDS=20 node bench/soak.js
// Options (env): BENCH_SOAK_SECONDS (600), BENCH_SOAK_WARMUP (min(30, a tenth) seconds), BENCH_CONNECTIONS (20),
// BENCH_SOAK_TOLERANCE_MB (4), BENCH_PORT (3331).
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS || 600);
const WARMUP = Number(process.env.BENCH_SOAK_WARMUP || Math.min(30, Math.ceil(SECONDS / 10)));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20);
const TOLERANCE = Number(process.env.BENCH_SOAK_TOLERANCE_MB || 4) * 1048576;
const PORT = Number(process.env.BENCH_PORT || 3331);
const SAMPLES = 20;
const db = path.join(os.tmpdir(), `manouche-soak-${process.pid}.sqlite3`);

const requests = [
  { method: 'GET', path: '/api/characters/' },
  { method: 'GET', path: '/rows/' },
  { method: 'GET', path: '/objects/' },
  { method: 'POST', path: '/write/' },
  { method: 'GET', path: '/no-such-page/' },
  { method: 'GET', path: '/bad/' },
];

function start() {
  const child = fork(path.join(__dirname, 'servers', 'soak-app.js'), [], {
    execArgv: ['--expose-gc'], env: { ...process.env, PORT: String(PORT), SOAK_DB: db }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the soak app did not start within 30s')), 30_000);
    child.once('message', (m) => { if (m === 'listening') { clearTimeout(timer); resolve(child); } });
    child.once('exit', (code) => reject(new Error(`the soak app exited with ${code} before listening`)));
  });
}

const memoryOf = (child) => new Promise((resolve) => { child.once('message', (m) => resolve(m.mem)); child.send('mem'); });
const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const child = await start();
  let failed = false;
  try {
    const statuses = {};
    const run = autocannon({ url: `http://127.0.0.1:${PORT}`, connections: CONNECTIONS, duration: WARMUP + SECONDS, requests });
    run.on('response', (_client, status) => { statuses[status] = (statuses[status] ?? 0) + 1; });
    const done = new Promise((resolve, reject) => run.once('done', resolve).once('error', reject));
    await new Promise((r) => setTimeout(r, WARMUP * 1000));
    const samples = [];
    const every = (SECONDS * 1000) / SAMPLES;
    for (let i = 0; i <= SAMPLES; i++) {
      const t0 = Date.now();
      const mem = await memoryOf(child);
      samples.push({ t: Math.round((i * every) / 1000), heap: mem.heapUsed, rss: mem.rss });
      if (i < SAMPLES) await new Promise((r) => setTimeout(r, Math.max(0, every - (Date.now() - t0))));
    }
    const result = await done;
    console.log(`soak: ${SECONDS} s after ${WARMUP} s of warm-up, ${CONNECTIONS} connections cycling ${requests.length} routes: ${result.requests.total} requests, `
      + `statuses ${JSON.stringify(statuses)}, ${result.errors} errors, ${result.timeouts} timeouts\n`);
    console.log(`${'t (s)'.padStart(6)}${'heap after GC'.padStart(15)}${'RSS'.padStart(11)}`);
    for (const s of samples) console.log(`${String(s.t).padStart(6)}${MB(s.heap).padStart(15)}${MB(s.rss).padStart(11)}`);
    const first = median(samples.slice(0, 3).map((s) => s.heap));
    const last = median(samples.slice(-3).map((s) => s.heap));
    const rssFirst = median(samples.slice(0, 3).map((s) => s.rss));
    const rssLast = median(samples.slice(-3).map((s) => s.rss));
    failed = last - first > TOLERANCE || Boolean(statuses[500]) || result.errors > 0;
    console.log(`\nheap after GC: ${MB(first)} → ${MB(last)} (${last >= first ? '+' : ''}${MB(last - first)}; tolerance ${MB(TOLERANCE)}), `
      + `RSS ${MB(rssFirst)} → ${MB(rssLast)}, 5xx: ${statuses[500] ?? 0} — ${failed ? 'FAILED' : 'OK: no growth'}`);
  } finally {
    child.disconnect();
    await new Promise((resolve) => { child.once('exit', resolve); setTimeout(() => { child.kill(); resolve(); }, 3000); });
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
