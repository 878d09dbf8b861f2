// Settings resolution (a pure function): defaults, switches, environment, and a clear error for each bad value.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { resolveSettings, labelFromDir, maskedSettings, maskUrlPassword, INSECURE_DEV_KEY } = require('../../dist/core/conf/settings.js');

const dir = path.join(path.sep, 'srv', 'My-Blog');
const resolve = (input, env = {}) => resolveSettings(input, dir, env);

test('defaults follow the app folder: sqlite database, templates and static next to the file', () => {
  const { settings, switches } = resolve({ DEBUG: true });
  assert.equal(settings.DATABASE_URL, `sqlite:${path.join(dir, 'db.sqlite3')}`);
  assert.deepEqual(settings.TEMPLATES_DIRS, [path.join(dir, 'templates')]);
  assert.deepEqual(settings.STATIC_DIRS, [path.join(dir, 'static')]);
  assert.equal(settings.APP_LABEL, 'my_blog');
  assert.equal(settings.APPEND_SLASH, true);
  assert.equal(settings.SESSION_COOKIE_AGE, 1209600);
  assert.equal(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 * 1024 * 1024);
  assert.deepEqual(settings.PASSWORD_HASHERS, ['scrypt', 'pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt',
    'sha1', 'md5', 'unsalted_sha1', 'unsalted_md5'], 'scrypt writes; Django\'s hashers verify (and are upgraded)');
  assert.equal(settings.LOGIN_URL, '/accounts/login/');
  assert.equal(settings.TRUST_PROXY, false, 'X-Forwarded-* is believed only when a proxy is named');
  assert.deepEqual(switches, { api: false, admin: false, auth: false, sessions: false });
});

test('DEBUG with no ALLOWED_HOSTS allows the local names only, and uses an insecure dev key with a warning', () => {
  const { settings, warnings } = resolve({ DEBUG: true });
  assert.deepEqual(settings.ALLOWED_HOSTS, ['localhost', '127.0.0.1', '[::1]']);
  assert.equal(settings.SECRET_KEY, INSECURE_DEV_KEY);
  assert.match(warnings.join('\n'), /insecure development key/);
});

test('env DEBUG=1 turns DEBUG on only when the key is absent; env SECRET_KEY and DATABASE_URL are read', () => {
  assert.equal(resolve({}, { DEBUG: '1' }).settings.DEBUG, true);
  assert.equal(resolve({ DEBUG: false, SECRET_KEY: 'k' }, { DEBUG: '1' }).settings.DEBUG, false);
  const { settings } = resolve({}, { SECRET_KEY: 'from-env', DATABASE_URL: 'postgres://u:p@h/db' });
  assert.equal(settings.SECRET_KEY, 'from-env');
  assert.equal(settings.DATABASE_URL, 'postgres://u:p@h/db');
});

test('admin implies auth implies sessions, and moves LOGIN_URL to the admin login', () => {
  const { switches, settings } = resolve({ DEBUG: true, admin: true });
  assert.deepEqual(switches, { api: false, admin: true, auth: true, sessions: true });
  assert.equal(settings.LOGIN_URL, '/admin/login/');
  assert.deepEqual(resolve({ DEBUG: true, auth: true }).switches, { api: false, admin: false, auth: true, sessions: true });
});

test('api implies nothing; its settings have defaults and are checked', () => {
  const { switches, settings } = resolve({ DEBUG: true, api: true });
  assert.deepEqual(switches, { api: true, admin: false, auth: false, sessions: false });
  assert.deepEqual([settings.API_URL, settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE], ['/api/', 50, 1000]);
  assert.throws(() => resolve({ DEBUG: true, API_URL: 'api' }), /Setting API_URL is invalid: must start and end with "\/"/);
  assert.throws(() => resolve({ DEBUG: true, API_PAGE_SIZE: 2000 }), /Setting API_PAGE_SIZE is invalid: must be a whole number no larger than API_MAX_PAGE_SIZE \(1000\)/);
  assert.throws(() => resolve({ DEBUG: true, API_MAX_PAGE_SIZE: 0 }), /API_MAX_PAGE_SIZE is invalid/);
});

test('without DEBUG a SECRET_KEY is required, with a message that says where to put it', () => {
  assert.throws(() => resolve({}), (err) => err.code === 'E_NO_SECRET_KEY' && /SECRET_KEY environment variable/.test(err.message));
});

test('an unknown lowercase key names the known switches', () => {
  assert.throws(() => resolve({ DEBUG: true, admn: true }),
    (err) => err.name === 'ImproperlyConfigured' && err.code === 'E_UNKNOWN_SWITCH' && /"admn".*admin, auth, sessions/.test(err.message));
});

test('bad values are refused naming the setting', () => {
  const bad = [
    [{ ALLOWED_HOSTS: 'example.com' }, /ALLOWED_HOSTS/],
    [{ DATABASE_URL: 'oracle://x' }, /DATABASE_URL.*sqlite:/],
    [{ STATIC_URL: 'static' }, /STATIC_URL.*"\/"/],
    [{ SESSION_COOKIE_AGE: -1 }, /SESSION_COOKIE_AGE/],
    [{ SESSION_STORE: 'memcached' }, /SESSION_STORE/],
    [{ PASSWORD_HASHERS: ['crypt'] }, /PASSWORD_HASHERS/],
    [{ SESSION_COOKIE_SAMESITE: 'lax' }, /SESSION_COOKIE_SAMESITE/],
    [{ APP_LABEL: 'My App' }, /APP_LABEL/],
    [{ TRUST_PROXY: { hops: 1 } }, /TRUST_PROXY/],
  ];
  for (const [input, re] of bad) {
    assert.throws(() => resolve({ DEBUG: true, ...input }), (err) => err.code === 'E_BAD_SETTING' && re.test(err.message), JSON.stringify(input));
  }
});

test("an app label equal to a switched-on battery's is refused: labels must be unique", () => {
  assert.throws(() => resolveSettings({ DEBUG: true, auth: true }, '/srv/auth', {}), /app label "auth".*must be unique.*APP_LABEL/);
  assert.equal(resolveSettings({ DEBUG: true, auth: true, APP_LABEL: 'accounts' }, '/srv/auth', {}).settings.APP_LABEL, 'accounts');
  assert.equal(resolveSettings({ DEBUG: true }, '/srv/admin', {}).settings.APP_LABEL, 'admin', 'no clash while the battery is off');
});

test('app labels are lowered, with other characters turned to _', () => {
  assert.equal(labelFromDir('/x/Blog'), 'blog');
  assert.equal(labelFromDir('/x/my-shop.v2'), 'my_shop_v2');
  assert.equal(labelFromDir('/x/2fast'), '_2fast');
});

test('secrets are masked for display, passwords in database URLs too', () => {
  const { settings } = resolve({ DEBUG: true, SECRET_KEY: 's3cret', API_TOKEN: 't', DATABASE_URL: 'postgres://bob:hunter2@db/app' });
  const shown = maskedSettings(settings);
  assert.equal(shown.SECRET_KEY, '********************');
  assert.equal(shown.API_TOKEN, '********************');
  assert.equal(shown.DATABASE_URL, 'postgres://bob:********@db/app');
  assert.equal(shown.DEBUG, true);
  assert.equal(maskUrlPassword('sqlite::memory:'), 'sqlite::memory:');
});
