// Two server processes, one database (and once one Redis): a login through one is recognised by the other.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { manage, startServer, stopAllServers, Browser } = require('./http');

const PASSWORD = 'violet-tractor-93!';
const NAME = `manouche_h5_two_${process.pid}`;
const base = process.env.DATABASE_URL || '';
let databaseUrl;
let tmp;

async function adminQuery(sql) {
  if (base.startsWith('postgres')) {
    const { Client } = require('pg');
    // The maintenance database: the one in the URL may not exist yet.
    const u = new URL(base);
    u.pathname = '/postgres';
    const c = new Client({ connectionString: u.toString() });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  } else {
    const mysql = require('mysql2/promise');
    const u = new URL(base.replace(/^mariadb:/, 'mysql:'));
    const c = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
    try { await c.query(sql); } finally { await c.end(); }
  }
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-two-'));
  if (base) {
    const q = base.startsWith('postgres') ? `"${NAME}"` : `\`${NAME}\``;
    await adminQuery(`DROP DATABASE IF EXISTS ${q}`);
    await adminQuery(`CREATE DATABASE ${q}`);
    const u = new URL(base);
    u.pathname = `/${NAME}`;
    databaseUrl = u.toString();
  } else {
    databaseUrl = `sqlite:${path.join(tmp, 'db.sqlite3')}`;
  }
  const migrated = manage(['migrate'], { DATABASE_URL: databaseUrl });
  assert.equal(migrated.status, 0, migrated.stderr + migrated.stdout);
  const created = manage(['createsuperuser', '--noinput', '--username', 'boss', '--email', 'boss@example.com'],
    { DATABASE_URL: databaseUrl, MANOUCHE_SUPERUSER_PASSWORD: PASSWORD });
  assert.equal(created.status, 0, created.stderr + created.stdout);
  assert.match(created.stdout, /Superuser created successfully\./);
});

after(async () => {
  await stopAllServers();
  if (base) {
    const q = base.startsWith('postgres') ? `"${NAME}"` : `\`${NAME}\``;
    await adminQuery(`DROP DATABASE IF EXISTS ${q}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function loginHereSeenThere(env) {
  const [a, b] = await Promise.all([startServer(env), startServer(env)]);
  try {
    const browser = new Browser();
    const res = await browser.submit(a.port, '/accounts/login/', { username: 'boss', password: PASSWORD });
    assert.equal(res.status, 302, res.text_);
    assert.ok(browser.cookies.sessionid, 'logged in through A');
    const seen = await browser.get(b.port, '/whoami/');
    const who = JSON.parse(seen.text_);
    assert.equal(who.username, 'boss');
    assert.equal(who.pid, b.pid);
    assert.notEqual(who.pid, a.pid);
    // Logging out through B ends the session for A too.
    const out = await browser.submit(b.port, '/accounts/login/', {}, '/accounts/logout/');
    assert.equal(out.status, 200);
    assert.equal(JSON.parse((await browser.get(a.port, '/whoami/')).text_).authenticated, false);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

test('sessions in the database: log in on one process, be recognised by another, log out everywhere', async () => {
  await loginHereSeenThere({ DATABASE_URL: databaseUrl, SESSION_STORE: 'database' });
});

test('sessions in Redis: the same across two processes', async () => {
  await loginHereSeenThere({ DATABASE_URL: databaseUrl, SESSION_STORE: `redis://127.0.0.1:6379/${1 + (process.pid % 8)}` });
});

test('a session survives a restart of every process (database store)', async () => {
  const env = { DATABASE_URL: databaseUrl, SESSION_STORE: 'database' };
  const a = await startServer(env);
  const browser = new Browser();
  try {
    assert.equal((await browser.submit(a.port, '/accounts/login/', { username: 'boss', password: PASSWORD })).status, 302);
  } finally { await a.stop(); }
  const b = await startServer(env);
  try {
    assert.equal(JSON.parse((await browser.get(b.port, '/whoami/')).text_).username, 'boss');
  } finally { await b.stop(); }
});

test('login throttling holds across processes: failures on A lock the user out on B', async () => {
  const env = { DATABASE_URL: databaseUrl, SESSION_STORE: 'database', LOGIN_ATTEMPTS_LIMIT: '2' };
  const a = await startServer(env);
  const b = await startServer(env);
  try {
    const created = manage(['createsuperuser', '--noinput', '--username', 'target'], { DATABASE_URL: databaseUrl, MANOUCHE_SUPERUSER_PASSWORD: PASSWORD });
    assert.equal(created.status, 0, created.stderr);
    for (let i = 0; i < 2; i++) assert.equal((await new Browser().submit(a.port, '/accounts/login/', { username: 'target', password: `bad-${i}` })).status, 200);
    const refused = await new Browser().submit(b.port, '/accounts/login/', { username: 'target', password: PASSWORD });
    assert.equal(refused.status, 429);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
