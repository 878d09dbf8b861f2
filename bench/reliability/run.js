#!/usr/bin/env node
// The reliability bench (issue 10): bench/reliability/app.js under `serve --workers 2`, DEBUG off, loopback only,
// on SQLite and PostgreSQL; prints one table. Every case is bounded in time and count.
// Run: node bench/reliability/run.js [sqlite] [postgres]    (both by default; needs `npx tsc` first: it runs dist/)
// Env: BENCH_SESSIONS (50) × BENCH_ADDS (100) admin adds; BENCH_LOAD_CONNECTIONS (100) × BENCH_LOAD_SECONDS (10);
// BENCH_KILLS (5) kill -9 rounds; BENCH_MALFORMED (2000) malformed requests; BENCH_PG_URL
// (postgres://postgres@127.0.0.1:5432/manouche_bench_w10, created and dropped here); BENCH_PORT (18010);
// BENCH_CASES (all: load,adds,oneRow,malformed,sigterm,kill) to run only some; BENCH_SERVER_LOG: a file for the servers' output.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');

const APP = path.join(__dirname, 'app.js');
const ROOT = path.join(__dirname, '..', '..');
const { openDatabase, parseDatabaseUrl } = require(path.join(ROOT, 'dist/core/db/connection'));
const SESSIONS = Number(process.env.BENCH_SESSIONS || 50);
const ADDS = Number(process.env.BENCH_ADDS || 100);
const LOAD_CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS || 100);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 10);
const KILLS = Number(process.env.BENCH_KILLS || 5);
const MALFORMED = Number(process.env.BENCH_MALFORMED || 2000);
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/manouche_bench_w10';
const PORT = Number(process.env.BENCH_PORT || 18010);
const PASSWORD = 'reliability-bench-password-1';
const CASES = new Set((process.env.BENCH_CASES || 'load,adds,oneRow,malformed,sigterm,kill').split(','));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// The server under test

function manage(args, env) {
  const r = spawnSync(process.execPath, [APP, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

/** `serve --workers 2` in its own process group (kill -9 reaches the workers too); resolves once both listen. */
async function startServer(env, port) {
  const child = spawn(process.execPath, [APP, 'serve', '--port', String(port), '--workers', '2'], {
    env: { ...process.env, ...env, NO_COLOR: '1' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { child, output: '', exited: new Promise((r) => child.on('exit', (code, signal) => r({ code, signal, at: Date.now() }))) };
  const log = process.env.BENCH_SERVER_LOG ? fs.createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' }) : null;
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => { server.output += d; log?.write(d); });
  const deadline = Date.now() + 60_000;
  while ((server.output.match(/Worker \d+ listening/g) ?? []).length < 2) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${server.output}`);
    await sleep(50);
  }
  return server;
}

function workerPids(server) {
  return [...server.output.matchAll(/Worker (\d+) listening/g)].map((m) => Number(m[1])).filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
}

function rssMb(pids) {
  let kb = 0;
  for (const pid of pids) {
    try { kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { /* gone */ }
  }
  return Math.round(kb / 1024);
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  process.kill(-server.child.pid, 'SIGTERM');
  const timer = setTimeout(() => { try { process.kill(-server.child.pid, 'SIGKILL'); } catch { /* gone */ } }, 40_000);
  await server.exited;
  clearTimeout(timer);
}

/** A browser's session: cookies, the CSRF token, no redirects followed. */
class Session {
  constructor(port) { this.base = `http://127.0.0.1:${port}`; this.cookies = new Map(); }
  async request(method, urlPath, form) {
    const headers = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), origin: this.base };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['x-csrftoken'] = this.cookies.get('csrftoken') ?? '';
      body = new URLSearchParams({ csrfmiddlewaretoken: this.cookies.get('csrftoken') ?? '', ...form }).toString();
    }
    const res = await fetch(this.base + urlPath, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, text: await res.text() };
  }
  async login() {
    await this.request('GET', '/admin/login/');
    const res = await this.request('POST', '/admin/login/?next=/admin/', { username: 'admin', password: PASSWORD, next: '/admin/' });
    if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
  }
}

async function count(db) {
  const [[row]] = await db.query('SELECT count(*) AS n FROM reliability_item');
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------------------------
// The cases

/** SESSIONS staff sessions × ADDS admin "add" saves each, all at once: acknowledged (302) against rows stored. */
async function concurrentAdds(port, db, server) {
  const deaths = () => (server.output.match(/ died /g) ?? []).length;
  const diedBefore = deaths();
  const before = await count(db);
  const sessions = Array.from({ length: SESSIONS }, () => new Session(port));
  await Promise.all(sessions.map((s) => s.login()));
  const tally = { ack: 0, s5xx: 0 };
  const other = new Map();
  const note = (kind) => other.set(kind, (other.get(kind) ?? 0) + 1);
  const started = Date.now();
  await Promise.all(sessions.map(async (s, i) => {
    for (let j = 0; j < ADDS; j++) {
      try {
        const res = await s.request('POST', '/admin/reliability/item/add/', { name: `s${i}-${j}`, qty: String(j), _save: 'Save' });
        if (res.status === 302) tally.ack++;
        else {
          if (res.status >= 500) tally.s5xx++;
          note(String(res.status));
        }
      } catch (err) { note(err.cause?.code ?? err.code ?? err.message); }
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const rows = (await count(db)) - before;
  const others = [...other].map(([k, n]) => `${n} × ${k}`).join(', ') || 'no other answers';
  return { ...tally, rows, seconds, text: `${tally.ack}/${SESSIONS * ADDS} acknowledged, ${rows} rows, ${tally.s5xx} × 5xx, ${others}, ${deaths() - diedBefore} worker deaths, ${seconds.toFixed(1)} s` };
}

/** SESSIONS sessions open the list, then all save the same row's listEditable field at once: silent overwrites. */
async function parallelSavesOfOneRow(port) {
  const sessions = Array.from({ length: SESSIONS }, () => new Session(port));
  await Promise.all(sessions.map((s) => s.login()));
  await sessions[0].request('POST', '/admin/reliability/item/add/', { name: 'contended', qty: '0', _save: 'Save' });
  const pages = await Promise.all(sessions.map((s) => s.request('GET', '/admin/reliability/item/')));
  const forms = pages.map((p) => {
    const id = /name="form-0-id" value="(\d+)"/.exec(p.text)?.[1];
    const version = /name="form-0-_version" value="([^"]+)"/.exec(p.text)?.[1];
    return { id, version };
  });
  const results = await Promise.all(sessions.map((s, i) => s.request('POST', '/admin/reliability/item/', {
    'form-TOTAL_FORMS': '1', 'form-INITIAL_FORMS': '1', 'form-0-id': forms[i].id, ...(forms[i].version ? { 'form-0-_version': forms[i].version } : {}), 'form-0-qty': String(1000 + i), _save: 'Save',
  })));
  const ack = results.filter((r) => r.status === 302).length;
  const told = results.filter((r) => r.status === 200 && /changed by someone else/.test(r.text)).length;
  const s5xx = results.filter((r) => r.status >= 500).length;
  const lost = Math.max(0, ack - 1);
  return { ack, told, lost, text: `${ack} saved, ${told} told "changed by someone else", ${lost} silently overwritten, ${s5xx} × 5xx` };
}

/** LOAD_CONNECTIONS connections for LOAD_SECONDS, half on a read route, half writing: errors, 5xx, worker RSS. */
async function loadHeld(port, server) {
  const rssBefore = rssMb(workerPids(server));
  const half = Math.max(1, Math.round(LOAD_SECONDS / 2));
  const run = (opts) => new Promise((resolve, reject) => autocannon({ url: `http://127.0.0.1:${port}`, connections: LOAD_CONNECTIONS, duration: half, ...opts }, (err, r) => (err ? reject(err) : resolve(r))));
  const read = await run({ requests: [{ method: 'GET', path: '/' }] });
  const write = await run({ requests: [{ method: 'POST', path: '/write/', headers: { 'content-type': 'application/json' }, body: '{"name":"load"}' }] });
  const rssAfter = rssMb(workerPids(server));
  const errors = read.errors + read.timeouts + write.errors + write.timeouts;
  const s5xx = read['5xx'] + write['5xx'];
  return { errors, s5xx, text: `${LOAD_CONNECTIONS} conns × ${2 * half} s: ${read.requests.total + write.requests.total} requests (${Math.round(read.requests.average)} reads/s, ${Math.round(write.requests.average)} writes/s), ${errors} errors, ${s5xx} × 5xx, RSS ${rssBefore} → ${rssAfter} MB` };
}

/** MALFORMED raw requests of a dozen broken shapes: any 5xx, and whether a worker died. */
async function malformed(port, server) {
  const shapes = [
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n',
    'GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n',
    'GET /\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: \x00\r\n\r\n',
    'POST /write/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"name":',
    'POST /write/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{"__proto__":{"name":"x"}}',
    'POST /write/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 20\r\n\r\n--x\r\nbroken\r\n\r\n\r\n',
    'POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nusername=%%',
    'GET /admin/reliability/item/?o=999&p=-1&q=%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'POST /write/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n',
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  ];
  const died = (server.output.match(/died/g) ?? []).length;
  let s5xx = 0;
  let sent = 0;
  const one = (raw) => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(raw));
    let data = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => { data += d; });
    socket.on('error', () => {});
    socket.on('close', () => { if (/^HTTP\/1\.[01] 5/.test(data)) s5xx++; resolve(); });
  });
  const queue = Array.from({ length: MALFORMED }, (_, i) => shapes[i % shapes.length]);
  await Promise.all(Array.from({ length: 20 }, async () => { while (queue.length) { await one(queue.pop()); sent++; } }));
  const crashes = (server.output.match(/died/g) ?? []).length - died;
  return { s5xx, crashes, text: `${sent} sent, ${s5xx} × 5xx, ${crashes} crashes` };
}

/** 50 clients on a 200 ms route with keep-alive; SIGTERM after 2 s: finished, reset, seconds from the last one to exit. */
async function sigtermUnderLoad(env, port) {
  const server = await startServer(env, port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  let stopping = false;
  const tally = { beforeFinished: 0, inFlightAtSignal: 0, finishedAfter: 0, reset: 0, refused: 0, lastAt: 0 };
  const inFlight = new Set();
  const one = () => new Promise((resolve) => {
    const token = {};
    inFlight.add(token);
    const req = http.get({ host: '127.0.0.1', port, path: '/slow/', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        inFlight.delete(token);
        if (token.atSignal) tally.finishedAfter++; else tally.beforeFinished++;
        tally.lastAt = Date.now();
        resolve(true);
      });
    });
    req.on('error', (err) => {
      inFlight.delete(token);
      if (err.code === 'ECONNREFUSED') tally.refused++; else tally.reset++;
      resolve(false);
    });
  });
  const clients = Array.from({ length: 50 }, async () => { while (!stopping) if (!(await one())) await sleep(20); });
  await sleep(2000);
  for (const token of inFlight) token.atSignal = true;
  tally.inFlightAtSignal = inFlight.size;
  const signalledAt = Date.now();
  stopping = true;
  process.kill(server.child.pid, 'SIGTERM');
  await Promise.all(clients);
  const exit = await Promise.race([server.exited, sleep(60_000).then(() => null)]);
  agent.destroy();
  if (!exit) await stopServer(server);
  const exitAfterLast = exit ? ((exit.at - Math.max(tally.lastAt, signalledAt)) / 1000).toFixed(1) : 'never (60 s)';
  return { ...tally, code: exit?.code, text: `${tally.inFlightAtSignal} in flight at SIGTERM: ${tally.finishedAfter} finished, ${tally.reset} reset; exit ${exit?.code ?? '-'} ${exitAfterLast} s after the last response` };
}

/** KILLS rounds of: writers for 1.5 s, then kill -9 of the whole server; every acknowledged id must be stored. */
async function killDuringWrites(env, port, db, vendor) {
  const acknowledged = [];
  for (let round = 0; round < KILLS; round++) {
    const server = await startServer(env, port);
    let stop = false;
    const writers = Array.from({ length: 10 }, async () => {
      while (!stop) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/write/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"k9"}' });
          if (res.status === 200) acknowledged.push((await res.json()).id);
        } catch { /* the kill */ }
      }
    });
    await sleep(1500);
    process.kill(-server.child.pid, 'SIGKILL');
    await server.exited;
    stop = true;
    await Promise.all(writers);
    await sleep(200);
  }
  const [rows] = await db.query('SELECT id FROM reliability_item');
  const stored = new Set(rows.map((r) => Number(r.id)));
  const lost = acknowledged.filter((id) => !stored.has(Number(id))).length;
  let integrity = 'n/a';
  if (vendor === 'sqlite') integrity = (await db.query('PRAGMA integrity_check'))[0][0].integrity_check;
  return { lost, text: `${KILLS} kills, ${acknowledged.length} acknowledged writes, ${lost} lost, integrity ${integrity}` };
}

// ---------------------------------------------------------------------------------------------------------------

async function pgAdmin(sql) {
  const { Client } = require('pg');
  const url = new URL(PG_URL);
  url.pathname = '/postgres';
  const c = new Client({ connectionString: url.toString() });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

async function step(vendor, label, fn) {
  process.stderr.write(`[${vendor}] ${label}…\n`);
  const result = await fn();
  process.stderr.write(`[${vendor}] ${result.text}\n`);
  return result;
}

async function runVendor(vendor, port) {
  let url;
  let cleanup;
  if (vendor === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-reliability-'));
    url = `sqlite:${path.join(dir, 'db.sqlite3')}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    url = PG_URL;
    const name = new URL(PG_URL).pathname.slice(1);
    await pgAdmin(`DROP DATABASE IF EXISTS "${name}"`);
    await pgAdmin(`CREATE DATABASE "${name}"`);
    cleanup = () => pgAdmin(`DROP DATABASE IF EXISTS "${name}"`);
  }
  const env = { DATABASE_URL: url, MANOUCHE_SUPERUSER_PASSWORD: PASSWORD };
  manage(['migrate'], env);
  manage(['createsuperuser', '--noinput', '--username', 'admin', '--email', 'admin@example.com'], env);
  const db = openDatabase(parseDatabaseUrl(url));
  const out = {};
  try {
    const server = await startServer(env, port);
    try {
      if (CASES.has('adds')) out.adds = await step(vendor, 'concurrent admin adds', () => concurrentAdds(port, db, server));
      if (CASES.has('oneRow')) out.oneRow = await step(vendor, 'parallel saves of one row', () => parallelSavesOfOneRow(port));
      if (CASES.has('load')) out.load = await step(vendor, 'load', () => loadHeld(port, server));
      if (CASES.has('malformed')) out.malformed = await step(vendor, 'malformed requests', () => malformed(port, server));
    } finally {
      await stopServer(server);
    }
    if (CASES.has('sigterm')) out.sigterm = await step(vendor, 'SIGTERM under load', () => sigtermUnderLoad(env, port));
    if (CASES.has('kill')) out.kill = await step(vendor, 'kill -9 during writes', () => killDuringWrites(env, port, db, vendor));
  } finally {
    await db.close();
    await cleanup();
  }
  return out;
}

async function main() {
  const vendors = process.argv.slice(2).filter((a) => ['sqlite', 'postgres'].includes(a));
  if (!vendors.length) vendors.push('sqlite', 'postgres');
  const results = {};
  for (const [i, vendor] of vendors.entries()) results[vendor] = await runVendor(vendor, PORT + i);
  const rows = [
    ['load held', 'load'], [`concurrent admin adds (${SESSIONS} × ${ADDS})`, 'adds'], [`parallel saves of one row (${SESSIONS})`, 'oneRow'],
    ['SIGTERM under load', 'sigterm'], ['kill -9 during writes', 'kill'], ['malformed requests', 'malformed'],
  ];
  console.log(`\nmanouche reliability — serve --workers 2, DEBUG off, node ${process.version}, ${os.cpus().length} CPUs\n`);
  console.log(`| case | ${vendors.join(' | ')} |`);
  console.log(`|---|${vendors.map(() => '---').join('|')}|`);
  for (const [label, key] of rows) console.log(`| ${label} | ${vendors.map((v) => results[v][key]?.text ?? '-').join(' | ')} |`);
  if (results.sqlite?.adds && results.postgres?.adds) {
    console.log(`\nSQLite / PostgreSQL time for the admin adds: ${(results.sqlite.adds.seconds / results.postgres.adds.seconds).toFixed(2)}×`);
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
