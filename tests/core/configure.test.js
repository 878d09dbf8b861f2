// configure(): the order of calls a single file must follow, and the errors that say how to fix it.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

delete process.env.DEBUG;
delete process.env.SECRET_KEY;
const manouche = require('manouche');
const { configure, route, model, db, settings, getAppLabel, DataTypes, User } = manouche;

const notConfigured = (what) => (err) =>
  err.name === 'ImproperlyConfigured' && err.code === 'E_NOT_CONFIGURED' && err.message.includes(what) && /configure\(\) must be called before/.test(err.message);

test('before configure(): routes, models, db, settings and the label refuse, saying what to do', () => {
  assert.throws(() => route('posts/', () => 'x'), notConfigured("route('posts/')"));
  assert.throws(() => model('Post', { title: DataTypes.STRING }), notConfigured("model('Post')"));
  assert.throws(() => db.authenticate(), notConfigured('db'));
  assert.throws(() => settings.DEBUG, notConfigured('settings'));
  assert.throws(() => getAppLabel(), notConfigured('getAppLabel()'));
  assert.throws(() => User.findAll(), notConfigured('User'));
});

test('a failed configure() (unknown switch, missing key) leaves the app unconfigured and can be retried', () => {
  assert.throws(() => configure({ DEBUG: true, admn: true }), /Unknown switch "admn".*admin, auth, sessions/);
  assert.throws(() => configure({}), (err) => err.code === 'E_NO_SECRET_KEY');
  assert.throws(() => settings.DEBUG, notConfigured('settings'));
});

test('configure() resolves settings from the calling file, freezes them, and refuses a second call', () => {
  const resolved = configure({ DEBUG: true, DATABASE_URL: 'sqlite::memory:', PAGE_SIZE: 20 });
  assert.equal(resolved.DEBUG, true);
  assert.equal(settings.PAGE_SIZE, 20, 'extra UPPERCASE keys are kept as settings');
  assert.equal(getAppLabel(), 'core', 'the label is the folder of the file that called configure()');
  assert.deepEqual(settings.TEMPLATES_DIRS, [path.join(__dirname, 'templates')]);
  assert.throws(() => { 'use strict'; settings.DEBUG = false; }, TypeError);
  assert.throws(() => configure({ DEBUG: true }), (err) => err.code === 'E_CONFIGURE_TWICE' && /Call it once/.test(err.message));
});

test('after configure(): routes and models work, and a battery that is off names the switch to turn on', async () => {
  const Post = model('Post', { title: { type: DataTypes.STRING(100), allowNull: false } });
  assert.equal(Post.getTableName(), 'core_post');
  assert.equal(typeof route('posts/', () => 'ok', { name: 'posts' }), 'function');
  assert.equal(manouche.reverse('posts'), '/posts/');
  assert.throws(() => User.findAll(), /configure\(\{ auth: true \}\)/);
  await db.close();
});
