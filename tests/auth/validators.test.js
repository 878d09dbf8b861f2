// Password validators: Django's four rules and messages, with the shipped common-password list.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { baseSettings } = require('./helpers');
const { configure } = require('manouche');
const { validatePassword, getCommonPasswords, quickRatio } = require('../../dist/auth/validators');

configure(baseSettings());

test('the shipped common-password list holds at least 20,000 entries, lowercased', () => {
  const list = getCommonPasswords();
  assert.ok(list.size >= 20000, `only ${list.size}`);
  for (const p of ['123456', 'password', 'qwerty', 'iloveyou', 'dragon']) assert.ok(list.has(p), p);
});

test('a good password passes', () => {
  assert.deepEqual(validatePassword('violet-tractor-93!', { username: 'ann', email: 'ann@example.com' }), []);
});

test('too short, entirely numeric, too common: Django\'s messages', () => {
  assert.deepEqual(validatePassword('zq7Vw-x'), ['This password is too short. It must contain at least 8 characters.']);
  assert.deepEqual(validatePassword('83749285610'), ['This password is entirely numeric.']);
  assert.deepEqual(validatePassword('Password'), ['This password is too common.']);
  assert.deepEqual(validatePassword('12345678'), ['This password is too common.', 'This password is entirely numeric.']);
});

test('too similar to the username, the email or its parts', () => {
  assert.deepEqual(validatePassword('margaret-thatcher', { username: 'margaretthatcher' }), ['The password is too similar to the username.']);
  assert.deepEqual(validatePassword('wunderbar.example', { username: 'x', email: 'wunderbar@example.com' }), ['The password is too similar to the email address.']);
  assert.deepEqual(validatePassword('completely different words', { username: 'bob' }), []);
  assert.equal(quickRatio('abcd', 'abcd'), 1);
  assert.equal(quickRatio('ab', 'cd'), 0);
});

test('a huge password gets one clear error, without running the other checks', () => {
  const errors = validatePassword('a'.repeat(5000), { username: 'ann' });
  assert.equal(errors.length, 1);
  assert.match(errors[0], /at most 4096 characters/);
});
