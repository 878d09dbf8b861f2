#!/usr/bin/env node
// Cold start, in one run beside its peers: spawn → first 200 for raw node:http, bare express, the quick start's hello
// app (`serve --workers 1`, and `getApp().listen()` without the command line) and an `admin: true` app (`serve`: its
// `/`, and its /admin/login/ as the first request); the cost of `require()` alone; and a `runserver` reload (an edit
// of the app file → the new text served). Each case runs BENCH_ROUNDS times in turns; prints medians and ratios to bare
// express. Ports 3361-3369 (issue 16's range).
// Usage: node bench/cold-start.js
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const ROOT = path.join(__dirname, '..');
const here = (...p) => path.join(__dirname, 'cold-start', ...p);

/** GET until a 200 whose body contains `expect` (connection refused while the server starts). */
function pollUntil(port, expect, deadline, urlPath = '/') {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (Date.now() > deadline) return reject(new Error(`no answer on port ${port}`));
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => (res.statusCode === 200 && body.includes(expect) ? resolve() : setTimeout(attempt, 2)));
      });
      req.on('error', () => setTimeout(attempt, 2));
    };
    attempt();
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function coldStart(args, port, { urlPath = '/', expect = 'Hello' } = {}) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await pollUntil(port, expect, Date.now() + 20_000, urlPath);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    await stop(child);
  }
}

function requireOnly(code) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`node -e ${code} failed`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** runserver: edit the app file's greeting, time until the reloaded process serves the new text. */
async function reloads(port, times) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-reload-'));
  const app = path.join(dir, 'hello', 'app.js');
  fs.mkdirSync(path.dirname(app));
  fs.writeFileSync(app, fs.readFileSync(here('hello', 'app.js'), 'utf8'));
  // The copy lives outside the package: point its require('manouche') at this checkout.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'manouche'));
  const child = spawn(process.execPath, [app, 'runserver', String(port)], { cwd: dir, stdio: 'ignore' });
  const out = [];
  try {
    await pollUntil(port, 'Hello', Date.now() + 20_000);
    for (let i = 0; i < times; i++) {
      const word = `Hello${i}`;
      await new Promise((r) => setTimeout(r, 300));
      const t0 = process.hrtime.bigint();
      fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace(/`Hello\d*,/, `\`${word},`));
      await pollUntil(port, `${word},`, Date.now() + 20_000);
      out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    await stop(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  const cases = [
    { name: 'node -e 0', run: () => requireOnly('0') },
    { name: "require('express')", run: () => requireOnly("require('express')") },
    { name: "require('manouche')", run: () => requireOnly("require('manouche')") },
    { name: 'node:http server', run: () => coldStart([here('node-http.js')], 3361) },
    { name: 'bare express 5', run: () => coldStart([here('express.js')], 3362) },
    { name: 'hello app (serve)', run: () => coldStart([here('hello', 'app.js'), 'serve', '--port', '3363', '--workers', '1'], 3363) },
    { name: 'hello app (app.listen())', run: () => coldStart([here('hello-listen', 'app.js')], 3366) },
    { name: 'admin: true app (serve)', run: () => coldStart([here('withadmin', 'app.js'), 'serve', '--port', '3364', '--workers', '1'], 3364) },
    // The same app's admin login page as the first request: templates and the CSRF cookie, still no database.
    { name: 'admin app, /admin/login/', run: () => coldStart([here('withadmin', 'app.js'), 'serve', '--port', '3367', '--workers', '1'], 3367, { urlPath: '/admin/login/', expect: 'Log in' }) },
  ];
  const times = new Map(cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) times.get(c.name).push(await c.run());
  }
  const reload = await reloads(3365, ROUNDS);
  times.set('runserver reload (hello)', reload);
  const base = median(times.get('bare express 5'));
  console.log(`cold start, median of ${ROUNDS} (ms), node ${process.version}, ${os.cpus().length} CPUs`);
  console.log('case'.padEnd(28) + 'median'.padStart(9) + 'min'.padStart(9) + '  ×express');
  for (const [name, xs] of times) {
    console.log(name.padEnd(28) + median(xs).toFixed(0).padStart(9) + Math.min(...xs).toFixed(0).padStart(9) + `  ${(median(xs) / base).toFixed(2)}`);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
