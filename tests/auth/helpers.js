// Shared set-up for the auth tests: a test database (in-memory SQLite, or test_<name> on PG/MariaDB), cheap hashing.
'use strict';
const { before, after, beforeEach } = require('node:test');
const path = require('node:path');

process.env.MANOUCHE_TESTING = '1';

/** Settings every auth test starts from: cheap scrypt, a fixed key, the database from DATABASE_URL (else SQLite). */
function baseSettings(extra = {}) {
  return {
    DEBUG: false,
    // The folder is named auth, like the battery: app labels must be unique.
    APP_LABEL: 'authtests',
    SECRET_KEY: 'auth-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
    ALLOWED_HOSTS: ['localhost', 'testserver', '127.0.0.1'],
    SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 },
    SESSION_STORE: 'memory',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { DATABASE_URL: 'sqlite::memory:' }),
    ...extra,
  };
}

/** Runs the framework's test lifecycle (create + migrate the test database, clean between tests, drop after). */
function useTestDatabase({ clean = true } = {}) {
  const { state, closeAll } = require(path.join(__dirname, '../../dist/core/conf/state'));
  before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
  if (clean) beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
  after(async () => {
    for (const h of state.testLifecycle) await h.afterAll?.();
    await closeAll();
  });
}

/** The value of a cookie in a response's set-cookie headers (undefined when not set). */
function setCookie(res, name) {
  const list = [].concat(res.headers['set-cookie'] ?? []);
  return list.find((c) => c.startsWith(`${name}=`));
}

module.exports = { baseSettings, useTestDatabase, setCookie };
