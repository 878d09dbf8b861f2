#!/usr/bin/env node
// Issue 10's upload figure: 60 multipart file parts of 9 MB POSTed to an unknown URL and to a real upload route;
// prints the server's status and RSS growth. Bodies are streamed (the client never holds them); loopback only.
// Env: BENCH_PARTS (60), BENCH_PART_MB (9), BENCH_PORT (3319).
'use strict';
const { fork } = require('node:child_process');
const http = require('node:http');
const { Readable } = require('node:stream');

const PARTS = Number(process.env.BENCH_PARTS || 60);
const PART = Number(process.env.BENCH_PART_MB || 9) * 1024 * 1024;
const PORT = Number(process.env.BENCH_PORT || 3319);

if (process.argv[2] === 'server') {
  const { configure, route, getApp, csrfExempt } = require('manouche');
  configure({ SECRET_KEY: 'bench-uploads', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', SESSION_STORE: 'memory', sessions: true,
    FILE_UPLOAD_MAX_SIZE: 10 * 1024 * 1024 });
  route('upload/', csrfExempt((req) => ({ files: req.files.length, onDisk: req.files.filter((f) => f.path).length })), { methods: ['POST'] });
  const server = getApp().listen(PORT, '127.0.0.1', () => process.send('listening'));
  process.on('message', (m) => {
    if (m === 'rss') { global.gc?.(); process.send({ rss: process.memoryUsage().rss }); }
    if (m === 'stop') server.close(() => process.exit(0));
  });
} else {
  main().catch((err) => { console.error(err); process.exitCode = 1; });
}

function ask(child, what) {
  return new Promise((resolve) => { child.once('message', (m) => resolve(m.rss)); child.send(what); });
}

function post(path) {
  const boundary = 'benchboundary' + Date.now();
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: PORT, path, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: body.slice(0, 80) }));
    });
    req.on('error', (err) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: 'closed by server' }) : reject(err)));
    Readable.from((function* body() {
      for (let part = 0; part < PARTS; part++) {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f${part}"; filename="f${part}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
        for (let sent = 0; sent < PART; sent += chunk.length) yield chunk;
        yield Buffer.from('\r\n');
      }
      yield Buffer.from(`--${boundary}--\r\n`);
    })()).pipe(req);
  });
}

async function main() {
  const child = fork(__filename, ['server'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  console.log(`${PARTS} multipart file parts of ${PART / 1024 / 1024} MB each, streamed to the server:`);
  try {
    for (const path of ['/no-such-page/', '/upload/']) {
      const before = await ask(child, 'rss');
      const r = await post(path);
      const afterRss = await ask(child, 'rss');
      console.log(`POST ${path.padEnd(16)} → ${r.status} ${r.body ?? ''}   RSS growth ${((afterRss - before) / 1024 / 1024).toFixed(1)} MB`);
    }
  } finally {
    child.send('stop');
  }
}
