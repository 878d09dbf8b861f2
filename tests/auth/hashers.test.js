// Password hashing: Django's formats verify, weaker hashes are flagged for upgrade, huge passwords are refused.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings } = require('./helpers');
const { configure, ValidationError } = require('manouche');
const hashers = require('../../dist/auth/hashers');

configure({ ...baseSettings(), SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 } });

// Made by Django 5.2.17's make_password() (django/contrib/auth/hashers.py), not by this code.
const DJANGO = {
  password: 'pbkdf2_sha256$1000000$seasalt$YAIKAoSUTEdxN9PnpbX3zRB+moycA+WW4OS32mkutqM=',
  letmein: 'pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=',
  weakPbkdf2: 'pbkdf2_sha256$1000$abcdefgh12345678$mH6jTTVttILGPsJcS1GbVOZ2wH3aMJ9J1Z+YoGY7D78=',
  scrypt: 'scrypt$16384$seasalt$8$5$ECMIUp+LMxMSK8xB/IVyba+KYGTI7FTnet025q/1f/vBAVnnP3hdYqJuRi+mJn6ji6ze3Fbb7JEFPKGpuEf5vw==',
};

test('hashes made by Django verify, and only with the right password', async () => {
  assert.deepEqual(await hashers.verifyPassword('password', DJANGO.password), { ok: true, needsUpgrade: true });
  assert.equal((await hashers.verifyPassword('lètmein', DJANGO.letmein)).ok, true);
  assert.equal((await hashers.verifyPassword('letmein', DJANGO.letmein)).ok, false);
  assert.equal((await hashers.verifyPassword('correct horse battery', DJANGO.weakPbkdf2)).ok, true);
  assert.equal((await hashers.verifyPassword('lètmein', DJANGO.scrypt)).ok, true);
  assert.equal((await hashers.verifyPassword('lètmeout', DJANGO.scrypt)).ok, false);
});

test('new hashes use scrypt with the configured parameters, in Django\'s format, salted', async () => {
  const a = await hashers.makePassword('s3cret-pass');
  const b = await hashers.makePassword('s3cret-pass');
  assert.match(a, /^scrypt\$1024\$[a-zA-Z0-9]{22}\$8\$1\$[A-Za-z0-9+/]{86}==$/);
  assert.notEqual(a, b, 'each hash has its own salt');
  assert.deepEqual(await hashers.verifyPassword('s3cret-pass', a), { ok: true, needsUpgrade: false });
  assert.deepEqual(await hashers.verifyPassword('s3cret-pasS', a), { ok: false, needsUpgrade: false });
});

test('a hash from another hasher, or with other parameters than the configured ones, needs an upgrade', async () => {
  assert.equal((await hashers.verifyPassword('correct horse battery', DJANGO.weakPbkdf2)).needsUpgrade, true);
  // As Django's must_update(): any cost other than the configured one is re-hashed (here Django's N=16384, p=5).
  assert.equal((await hashers.verifyPassword('lètmein', DJANGO.scrypt)).needsUpgrade, true);
  const weak = 'scrypt$16$abc$1$1$' + require('node:crypto').scryptSync('pw-weak-one', 'abc', 64, { N: 16, r: 1, p: 1 }).toString('base64');
  assert.deepEqual(await hashers.verifyPassword('pw-weak-one', weak), { ok: true, needsUpgrade: true });
});

test('garbage, unknown algorithms, unusable and empty hashes never verify (and never throw)', async () => {
  for (const encoded of ['', null, undefined, '!unusable', 'md5$x$y', 'scrypt$', 'scrypt$abc$s$8$1$AAAA', 'pbkdf2_sha256$notanumber$s$AAAA',
    'pbkdf2_sha256$99999999999$s$AAAA', 'scrypt$1073741824$s$8$1$AAAA', 'pbkdf2_sha256$1000$salt$']) {
    assert.equal((await hashers.verifyPassword('password', encoded)).ok, false, String(encoded));
  }
  assert.equal(hashers.isPasswordUsable(hashers.makeUnusablePassword()), false);
});

test('passwords longer than 4096 characters are refused before hashing', async () => {
  const huge = 'x'.repeat(1_000_000);
  await assert.rejects(hashers.makePassword(huge), ValidationError);
  const good = await hashers.makePassword('x'.repeat(4096));
  assert.equal((await hashers.verifyPassword('x'.repeat(4096), good)).ok, true);
  assert.equal((await hashers.verifyPassword(huge, good)).ok, false);
});

test('constant-time comparison is used for the hash bytes', () => {
  assert.equal(hashers.constantTimeEqual(Buffer.from('abc'), Buffer.from('abc')), true);
  assert.equal(hashers.constantTimeEqual(Buffer.from('abc'), Buffer.from('abd')), false);
  assert.equal(hashers.constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd')), false);
});
