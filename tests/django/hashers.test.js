// Differential: passwords hashed by Django (every hasher 3.2 ships, scrypt from 5.2) verify here exactly as Django
// verifies them, and the hashes manouche writes are the strings Django writes (data/hashers*.json, see record/).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { configure } = require('manouche');
const hashers = require('../../dist/auth/hashers');
const { HASHERS, algorithmOf } = require('../../dist/auth/hasher-algorithms');
const { PASSWORD_HASHER_NAMES } = require('../../dist/core/conf/settings');
const django = require('./data/hashers.json');
const djangoScrypt = require('./data/hashers-scrypt.json');

configure({ SECRET_KEY: 'django-hashers', DATABASE_URL: 'sqlite::memory:' });

test('every hasher Django 3.2 ships is known here, under Django\'s name, and verifies by default', () => {
  const names = new Set(django.vectors.map((v) => v.hasher));
  for (const name of names) assert.ok(HASHERS[name] && PASSWORD_HASHER_NAMES.includes(name), name);
  assert.deepEqual(Object.keys(HASHERS).sort(), [...PASSWORD_HASHER_NAMES].sort());
  assert.equal(names.size, 9);
});

test('Django 3.2\'s hashes: check_password\'s answer for the password and its Unicode variants, for every vector', async () => {
  const wrong = [];
  for (const v of django.vectors) {
    assert.equal(algorithmOf(v.encoded), v.identified, v.encoded);
    // At full cost (argon2 at 100 MiB takes a second in WebAssembly) only the right password: the cheap vectors cover the rest.
    for (const c of v.defaultCost || v.manoucheCost ? v.checks.slice(0, 1) : v.checks) {
      const got = await hashers.verifyPassword(c.password, v.encoded);
      if (got.ok !== c.django) wrong.push({ encoded: v.encoded, password: c.password, django: c.django, got: got.ok });
      // Verified with a hasher or cost other than the first of PASSWORD_HASHERS: re-hashed at this login.
      if (got.ok) assert.equal(got.needsUpgrade, true, v.encoded);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(django.vectors.length >= 60);
});

test('the hashes manouche writes are byte for byte the ones Django writes (deterministic hashers, same salt)', async () => {
  let compared = 0;
  for (const v of django.vectors) {
    const h = HASHERS[v.hasher];
    let salt;
    if (v.hasher === 'pbkdf2_sha256' || v.hasher === 'pbkdf2_sha1') { if (!v.manoucheCost) continue; salt = v.encoded.split('$')[2]; }
    else if (v.hasher === 'argon2') { if (!v.defaultCost) continue; salt = Buffer.from(v.encoded.split('$').at(-2), 'base64').toString(); }
    else if (['sha1', 'md5'].includes(v.hasher)) salt = v.encoded.split('$')[1];
    else if (v.hasher.startsWith('unsalted')) { if (v.hasher === 'unsalted_md5' && v.encoded.includes('$')) continue; salt = ''; }
    else continue;
    assert.equal(await h.encode(v.password, salt), v.encoded, v.hasher);
    compared++;
  }
  assert.equal(compared, 2 + 1 + 7 + 7 + 7 + 8);
  for (const name of ['bcrypt', 'bcrypt_sha256']) {
    const mine = await HASHERS[name].encode('correct horse battery', '');
    assert.match(mine, new RegExp(`^${name}\\$\\$2b\\$12\\$[./A-Za-z0-9]{53}$`));
    assert.equal(await HASHERS[name].verify('correct horse battery', mine), true);
  }
});

test('scrypt: Django\'s format and parameters (N, r, p) and no Unicode normalisation, against Django 5.2', async () => {
  assert.deepEqual({ N: djangoScrypt.defaults.N, r: djangoScrypt.defaults.r, p: djangoScrypt.defaults.p }, { N: 16384, r: 8, p: 5 });
  const wrong = [];
  for (const v of djangoScrypt.vectors) {
    assert.equal(await HASHERS.scrypt.encode(v.password, v.salt), v.encoded, `scrypt of ${JSON.stringify(v.password)}`);
    // The right password and its Unicode look-alikes (each scrypt costs a quarter second at Django's cost).
    for (const c of v.checks.filter((x) => x.password.normalize('NFKC') === v.password.normalize('NFKC'))) {
      const got = await hashers.verifyPassword(c.password, v.encoded);
      if (got.ok !== c.django) wrong.push({ hash: v.password, password: c.password, django: c.django, got: got.ok });
    }
  }
  assert.deepEqual(wrong, []);
  // ﬁnance-2024's hash does not take finance-2024 (manouche used to NFKC-normalise before scrypt).
  const fi = djangoScrypt.vectors.find((v) => v.password === '\ufb01nance-2024');
  assert.equal((await hashers.verifyPassword('finance-2024', fi.encoded)).ok, false);
  // New hashes use Django's defaults, and so stay within what Django (OpenSSL's 32 MiB) can verify.
  assert.match(await hashers.makePassword('x-y-z-w'), /^scrypt\$16384\$[A-Za-z0-9]{22}\$8\$5\$/);
  assert.match(djangoScrypt.n17Refused, /memory limit exceeded/);
});

test('PASSWORD_HASHERS lists only hashers that exist, by Django\'s names', () => {
  const { resolveSettings } = require('../../dist/core/conf/settings');
  assert.throws(() => resolveSettings({ SECRET_KEY: 'x', PASSWORD_HASHERS: ['crypt'] }, __dirname), /PASSWORD_HASHERS.*'scrypt', 'pbkdf2_sha256'/);
  assert.deepEqual(resolveSettings({ SECRET_KEY: 'x', PASSWORD_HASHERS: ['pbkdf2_sha1', 'md5'] }, __dirname).settings.PASSWORD_HASHERS, ['pbkdf2_sha1', 'md5']);
});

test('a malformed hash in the database is a failed check and a logged warning, never an exception', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  for (const encoded of ['pbkdf2_sha256$abc', 'pbkdf2_sha256$-5$salt$AAAA', 'scrypt$1000$s$8$1$AAAA', 'argon2$argon2id$v=19$m=x',
    'bcrypt_sha256$$2b$12$short', 'bcrypt$nonsense', 'sha1$onlysalt', 'pbkdf2_sha1$1000$salt$']) {
    assert.deepEqual(await hashers.verifyPassword('password', encoded), { ok: false, needsUpgrade: false }, encoded);
  }
  assert.equal(warn.mock.callCount(), 8);
  assert.match(warn.mock.calls[0].arguments[0], /malformed pbkdf2_sha256 hash/);
  assert.doesNotMatch(warn.mock.calls.map((c) => c.arguments[0]).join('\n'), /AAAA|onlysalt/, 'the stored hash is not logged');
});
