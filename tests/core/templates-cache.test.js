// Templates outside DEBUG: compiled once and cached (an edited file is not re-read), while template.add() still replaces.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { configure, template } = require('manouche');
const { renderToString } = require('../../dist/core/template/engine');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2-tpl-cache-'));
configure({ DEBUG: false, SECRET_KEY: 'templates-cache-test-key', DATABASE_URL: 'sqlite::memory:', TEMPLATES_DIRS: [dir] });

test('without DEBUG a template file is read once: later edits need a restart', () => {
  const file = path.join(dir, 'cached.html');
  fs.writeFileSync(file, 'first {{ n }}');
  assert.equal(renderToString('cached.html', { n: 1 }), 'first 1');
  fs.writeFileSync(file, 'second {{ n }}');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file, later, later);
  assert.equal(renderToString('cached.html', { n: 2 }), 'first 2');
});

test('without DEBUG, template.add() of an existing name still replaces the cached template', () => {
  template.add('inline.html', 'one');
  assert.equal(renderToString('inline.html'), 'one');
  template.add('inline.html', 'two');
  assert.equal(renderToString('inline.html'), 'two');
});

test('settings seen by templates hold DEBUG and public settings, never SECRET_KEY or DATABASE_URL', () => {
  template.add('settings.html', '{{ settings.DEBUG }}|{{ settings.STATIC_URL }}|{{ settings.SECRET_KEY }}|{{ settings.DATABASE_URL }}');
  assert.equal(renderToString('settings.html'), 'false|/static/||');
});

test('without DEBUG, where a name resolves is looked up once: templateExists does not stat the disk per request', () => {
  const { templateExists } = require('manouche');
  const file = path.join(dir, 'override.html');
  assert.equal(templateExists('override.html'), false);
  fs.writeFileSync(file, 'late');
  // Like Django's cached loader, a template added after the first lookup needs a restart.
  assert.equal(templateExists('override.html'), false);
  const statSync = fs.statSync;
  let stats = 0;
  fs.statSync = (...args) => { stats++; return statSync(...args); };
  try {
    assert.equal(templateExists('cached.html'), true);
    for (let i = 0; i < 5; i++) templateExists('cached.html');
    assert.equal(stats, 0);
  } finally {
    fs.statSync = statSync;
  }
});
