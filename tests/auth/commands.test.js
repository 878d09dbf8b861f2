// createsuperuser and changepassword: Django's prompts under a real pseudo-terminal, --noinput, refusals.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { manage, interact } = require('./http');

const GOOD = 'violet-tractor-93!';
let env;
let tmp;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-cmd-'));
  env = { DATABASE_URL: `sqlite:${path.join(tmp, 'db.sqlite3')}` };
  const res = manage(['migrate'], env);
  assert.equal(res.status, 0, res.stderr + res.stdout);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const checkLogin = (username, password) => manage(['check-login', username, password], env).stdout.trim();

test('createsuperuser prompts like Django: mismatch, blank, validators with bypass refused, then success', async () => {
  const { code, output } = await interact(['createsuperuser'], [
    [/Username \(leave blank to use '[^']+'\): /, 'admin1'],
    ['Email address: ', 'admin1@example.com'],
    ['Password: ', 'one-password-1'],
    ['Password (again): ', 'another-password-2'],
    ["Error: Your passwords didn't match.", null],
    ['Password: ', ''],
    ['Password (again): ', ''],
    ["Error: Blank passwords aren't allowed.", null],
    ['Password: ', '12345678'],
    ['Password (again): ', '12345678'],
    ['Bypass password validation and create user anyway? [y/N]: ', 'n'],
    ['Password: ', GOOD],
    ['Password (again): ', GOOD],
  ], env);
  assert.equal(code, 0, output);
  assert.match(output, /This password is too common\.\nThis password is entirely numeric\.\n/);
  assert.match(output, /Superuser created successfully\./);
  assert.doesNotMatch(output, /one-password-1|another-password-2|violet-tractor/, 'passwords are not echoed');
  assert.equal(checkLogin('admin1', GOOD), 'ok admin1 email=admin1@example.com staff=true superuser=true');
});

test('createsuperuser: answering y bypasses the validators; a blank username takes the offered default', async () => {
  const { code, output } = await interact(['createsuperuser'], [
    [/Username \(leave blank to use '([^']+)'\): /, ''],
    ['Email address: ', ''],
    ['Password: ', 'password'],
    ['Password (again): ', 'password'],
    ['Bypass password validation and create user anyway? [y/N]: ', 'y'],
  ], env);
  assert.equal(code, 0, output);
  const name = /leave blank to use '([^']+)'/.exec(output)[1];
  assert.equal(name, os.userInfo().username);
  assert.match(checkLogin(name, 'password'), /^ok /);
});

test('createsuperuser: a taken or invalid username is refused with Django\'s message and asked again', async () => {
  const { code, output } = await interact(['createsuperuser', '--username', 'admin1'], [
    [/Username( \(leave blank to use '[^']+'\))?: /, 'bad name!'],
    ['Error: Enter a valid username.', null],
    [/Username( \(leave blank to use '[^']+'\))?: /, 'admin2'],
    ['Email address: ', 'not-an-email'],
    ['Error: Enter a valid email address.', null],
    ['Email address: ', 'admin2@example.com'],
    ['Password: ', GOOD],
    ['Password (again): ', GOOD],
  ], env);
  assert.equal(code, 0, output);
  assert.match(output, /Error: That username is already taken\./);
  assert.match(checkLogin('admin2', GOOD), /^ok admin2/);
});

test('createsuperuser --noinput takes MANOUCHE_SUPERUSER_* from the environment', () => {
  const res = manage(['createsuperuser', '--noinput'], { ...env, MANOUCHE_SUPERUSER_USERNAME: 'ops', MANOUCHE_SUPERUSER_EMAIL: 'ops@example.com', MANOUCHE_SUPERUSER_PASSWORD: GOOD });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'Superuser created successfully.');
  assert.equal(checkLogin('ops', GOOD), 'ok ops email=ops@example.com staff=true superuser=true');
});

test('createsuperuser --noinput with a taken username exits 1 with Django\'s message', () => {
  const res = manage(['createsuperuser', '--noinput', '--username', 'ops'], { ...env, MANOUCHE_SUPERUSER_PASSWORD: GOOD });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /Error: That username is already taken\./);
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
});

test('createsuperuser outside a terminal without --noinput refuses, naming --noinput, exit 1', () => {
  const res = manage(['createsuperuser', '--username', 'nobody'], env);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /--noinput/);
  assert.match(checkLogin('nobody', GOOD), /refused/);
});

test('changepassword: a mismatch is asked again, then the new password works and the old one does not', async () => {
  manage(['createsuperuser', '--noinput', '--username', 'carol'], { ...env, MANOUCHE_SUPERUSER_PASSWORD: GOOD });
  const { code, output } = await interact(['changepassword', 'carol'], [
    ["Changing password for user 'carol'", null],
    ['Password: ', 'new-violet-1'],
    ['Password (again): ', 'new-violet-2'],
    ['Passwords do not match. Please try again.', null],
    ['Password: ', 'new-violet-tractor-7'],
    ['Password (again): ', 'new-violet-tractor-7'],
  ], env);
  assert.equal(code, 0, output);
  assert.match(output, /Password changed successfully for user 'carol'/);
  assert.match(checkLogin('carol', 'new-violet-tractor-7'), /^ok carol/);
  assert.equal(checkLogin('carol', GOOD), 'refused');
});

test('changepassword for an unknown user exits 1', () => {
  const res = manage(['changepassword', 'ghost'], env);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /user 'ghost' does not exist/);
});

test('the shipped auth and sessions migrations match their models (makemigrations --check finds nothing)', () => {
  for (const app of ['auth', 'sessions']) {
    const res = manage(['makemigrations', app, '--check', '--dry-run'], env);
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.match(res.stdout, new RegExp(`No changes detected in app '${app}'`));
  }
});
