// PASSWORD_HASHERS for a team sharing its database with a Django 3.2 project: manouche writes what Django verifies.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { configure } = require('manouche');
const hashers = require('../../dist/auth/hashers');
const django = require('./data/hashers.json');

configure({ SECRET_KEY: 'django-shared-db', DATABASE_URL: 'sqlite::memory:', PASSWORD_HASHERS: ['pbkdf2_sha256', 'scrypt'] });

test('the first of PASSWORD_HASHERS writes: pbkdf2_sha256 in the format Django 3.2 verifies', async () => {
  const encoded = await hashers.makePassword('shared-db-pass');
  const [algorithm, iterations, salt, hash] = encoded.split('$');
  assert.equal(algorithm, 'pbkdf2_sha256');
  assert.match(salt, /^[A-Za-z0-9]{22}$/);
  // What Django's PBKDF2PasswordHasher computes for these inputs (hashlib.pbkdf2_hmac, dklen 32, base64).
  assert.equal(hash, crypto.pbkdf2Sync('shared-db-pass', salt, Number(iterations), 32, 'sha256').toString('base64'));
  assert.deepEqual(await hashers.verifyPassword('shared-db-pass', encoded), { ok: true, needsUpgrade: false });
  // A Django 3.2 hash (fewer iterations) verifies and is re-made at the next login.
  const v = django.vectors.find((x) => x.hasher === 'pbkdf2_sha256' && !x.defaultCost && !x.manoucheCost);
  assert.deepEqual(await hashers.verifyPassword(v.password, v.encoded), { ok: true, needsUpgrade: true });
});

test('a hasher left out of PASSWORD_HASHERS never verifies, as in Django', async () => {
  const md5 = django.vectors.find((x) => x.hasher === 'md5');
  assert.equal((await hashers.verifyPassword(md5.password, md5.encoded)).ok, false);
});
