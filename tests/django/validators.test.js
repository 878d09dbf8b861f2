// Differential: Django 3.2's password validators on the same passwords (data/validators.json), and its common list.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const fs = require('node:fs');
const path = require('node:path');
const { configure } = require('manouche');
const { validatePassword, getCommonPasswords } = require('../../dist/auth/validators');
const data = require('./data/validators.json');

configure({ SECRET_KEY: 'django-validators', DATABASE_URL: 'sqlite::memory:' });

test('the validators give Django\'s messages, in Django\'s order (Unicode digits are numeric too)', () => {
  const u = data.user;
  const user = { username: u.username, firstName: u.first_name, lastName: u.last_name, email: u.email };
  const wrong = [];
  for (const c of data.cases) {
    const got = validatePassword(c.password, user);
    if (JSON.stringify(got) !== JSON.stringify(c.errors)) wrong.push({ password: c.password, django: c.errors, got });
  }
  assert.deepEqual(wrong, []);
});

test('the common-password list holds every entry of Django 3.2\'s', () => {
  const django = zlib.gunzipSync(fs.readFileSync(path.join(__dirname, 'data', 'common-passwords-django32.txt.gz'))).toString('utf8')
    .split('\n').map((s) => s.trim()).filter(Boolean);
  assert.equal(new Set(django).size, data.commonPasswordCount);
  const ours = getCommonPasswords();
  assert.deepEqual(django.filter((p) => !ours.has(p)), []);
});
