// The database session store: rows in sessions_session, expiry honoured and swept, clearsessions, cookie settings.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings, useTestDatabase, setCookie } = require('./helpers');
const { configure, route, json } = require('manouche');
const { Client } = require('manouche/test');
const { getSessionModel, clearExpiredSessions } = require('../../dist/sessions/store');
const { callCommand } = require('../../dist/core/management/commands/registry');

configure({ ...baseSettings(), sessions: true, SESSION_STORE: 'database', SESSION_COOKIE_AGE: 3600, SESSION_COOKIE_NAME: 'sid' });
route('count/', (req) => { req.session.n = (req.session.n ?? 0) + 1; return json({ n: req.session.n }); });
route('peek/', (req) => json({ n: req.session.n ?? null }));
useTestDatabase();

test('a session is a row in sessions_session, with its expiry, and follows the visitor', async () => {
  const c = new Client();
  const first = await c.get('/count/');
  const cookie = setCookie(first, 'sid');
  assert.ok(cookie, 'SESSION_COOKIE_NAME names the cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const expires = new Date(/Expires=([^;]+)/.exec(cookie)[1]).getTime();
  assert.ok(Math.abs(expires - (Date.now() + 3600 * 1000)) < 60_000, 'SESSION_COOKIE_AGE sets the expiry');
  assert.deepEqual((await c.get('/count/')).json(), { n: 2 });
  const rows = await getSessionModel().findAll();
  assert.equal(rows.length, 1);
  assert.equal(JSON.parse(rows[0].sessionData).n, 2);
  assert.ok(new Date(rows[0].expireDate).getTime() > Date.now());
});

test('a visitor who stores nothing gets no session row and no cookie', async () => {
  const res = await new Client().get('/peek/');
  assert.equal(setCookie(res, 'sid'), undefined);
  assert.equal(await getSessionModel().count(), 0);
});

test('an expired row reads as no session (and is removed)', async () => {
  const c = new Client();
  await c.get('/count/');
  await getSessionModel().update({ expireDate: new Date(Date.now() - 1000) }, { where: {} });
  assert.deepEqual((await c.get('/peek/')).json(), { n: null });
  assert.equal(await getSessionModel().count(), 0);
});

test('clearsessions deletes expired sessions and keeps live ones', async () => {
  const Session = getSessionModel();
  const past = new Date(Date.now() - 60_000);
  const future = new Date(Date.now() + 60_000);
  await Session.bulkCreate([
    { sessionKey: 'old1', sessionData: '{}', expireDate: past },
    { sessionKey: 'old2', sessionData: '{}', expireDate: past },
    { sessionKey: 'live', sessionData: '{}', expireDate: future },
  ]);
  const out = [];
  const code = await callCommand('clearsessions', [], { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => out.push(s) } });
  assert.equal(code, 0);
  assert.match(out.join(''), /Deleted 2 expired sessions\./);
  assert.deepEqual((await Session.findAll()).map((s) => s.sessionKey), ['live']);
  assert.equal(await clearExpiredSessions(), 0);
});

test('a valid signature on an id the store doesn\'t know starts a new session (the id is not adopted)', async () => {
  const { signValue } = require('../../dist/sessions/cookies');
  const { sessionSecret } = require('../../dist/sessions');
  const planted = encodeURIComponent(`s:${signValue('planted-id-0123456789abcdefghij', sessionSecret())}`);
  const res = await new Client().get('/count/', { headers: { cookie: `sid=${planted}` } });
  assert.deepEqual(res.json(), { n: 1 });
  const rows = await getSessionModel().findAll();
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0].sessionKey, 'planted-id-0123456789abcdefghij');
});
