// FORCE_SCRIPT_NAME (issue 11): behind a proxy that strips the prefix, the URLs the app builds still carry it.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const inject = require('light-my-request');
const m = require('manouche');

m.configure({ SECRET_KEY: 'script-name-tests', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', FORCE_SCRIPT_NAME: '/blog' });
m.template.add('links.html', '<a href="{{ url(\'about\') }}"></a><link href="{{ static(\'site.css\') }}">');
m.route('about/', () => ({ url: m.reverse('about') }), { name: 'about' });
m.route('links/', (req) => m.render(req, 'links.html'));
const app = m.getApp();
const get = (url) => inject(app, { method: 'GET', url });

test('FORCE_SCRIPT_NAME: the proxy strips /blog, reverse(), url(), static() and APPEND_SLASH put it back', async () => {
  assert.deepEqual((await get('/about/')).json(), { url: '/blog/about/' });
  const page = (await get('/links/')).payload;
  assert.match(page, /href="\/blog\/about\/"/);
  assert.match(page, /href="\/blog\/static\/site.css"/);
  assert.equal((await get('/about?x=1')).headers.location, '/blog/about/?x=1');
});

test('FORCE_SCRIPT_NAME is checked: a leading slash, no trailing slash', () => {
  const { resolveSettings } = require('../../dist/core/conf/settings');
  assert.throws(() => resolveSettings({ FORCE_SCRIPT_NAME: 'blog/', SECRET_KEY: 'x' }, __dirname), /FORCE_SCRIPT_NAME is invalid: must be a path like '\/blog'/);
  assert.throws(() => resolveSettings({ X_FRAME_OPTIONS: '', SECRET_KEY: 'x' }, __dirname), /X_FRAME_OPTIONS is invalid/);
});
