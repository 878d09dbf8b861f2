// Shared by append-slash{,-debug}.test.js: replays Django's recorded APPEND_SLASH requests (data/append-slash.json).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const inject = require('light-my-request');
const { configure, route, getApp } = require('manouche');
const data = require('./data/append-slash.json');

/** Answers one raw HTTP/1.1 request over a socket (the `OPTIONS *` request target cannot be injected). */
function raw(app, request) {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const sock = net.connect(server.address().port, '127.0.0.1', () => sock.end(request));
      let out = '';
      sock.on('data', (d) => { out += d; });
      sock.on('end', () => { server.close(); resolve(out); });
      sock.on('error', (err) => { server.close(); reject(err); });
    });
  });
}

module.exports = function runCases(debug) {
  configure({ SECRET_KEY: 'django-append-slash', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', DEBUG: debug });
  for (const p of ['items/', 'café/', 'open']) route(p, () => 'ok');
  const app = getApp();
  const cases = data.cases.filter((c) => c.debug === debug);

  // Over a real socket, first: a server stops working once light-my-request injected into express (see handler.ts).
  test(`OPTIONS * (DEBUG ${debug}) is a 404, never the page at /`, async (t) => {
    t.mock.method(console, 'info', () => {});
    t.mock.method(console, 'warn', () => {});
    route('', () => 'home page');
    const expected = cases.find((c) => c.url === '*');
    const out = await raw(app, 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    assert.match(out, new RegExp(`^HTTP/1.1 ${expected.status} `));
    assert.doesNotMatch(out, /home page/);
  });

  test(`APPEND_SLASH (DEBUG ${debug}): every method answers as Django 3.2's CommonMiddleware`, async (t) => {
    t.mock.method(console, 'error', () => {});
    t.mock.method(console, 'warn', () => {});
    t.mock.method(console, 'info', () => {});
    const wrong = [];
    for (const c of cases.filter((x) => x.url !== '*')) {
      const body = ['POST', 'PUT', 'PATCH'].includes(c.method) ? 'a=1' : undefined;
      const res = await inject(app, { method: c.method, url: c.url, payload: body, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
      const got = { status: res.statusCode, location: res.headers.location ?? null };
      if (got.status !== c.status || got.location !== c.location) wrong.push({ ...c, got });
      if (debug && c.status === 500) assert.match(res.payload, new RegExp(`You called this URL via ${c.method}`));
    }
    assert.deepEqual(wrong, []);
    assert.ok(cases.length >= 13);
  });
};
