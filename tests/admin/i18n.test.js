// The admin's strings go through one function and one catalogue per language: a translation is one JSON file
// (LOCALE_PATHS/<language>.json), LANGUAGE_CODE picks it, anything it leaves out stays English.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setupBlog, useTestDatabase, clientFor } = require('./helpers');

const { m, Post } = setupBlog({ LANGUAGE_CODE: 'fr', LOCALE_PATHS: [path.join(__dirname, 'fixtures', 'locale')] });
const Item = m.model('Item', { name: { type: m.DataTypes.STRING(50), allowNull: false }, price: { type: m.DataTypes.INTEGER, allowNull: false, validate: { min: 0 } } });
m.admin.register(Post, { listFilter: ['published'], searchFields: ['title'], filterHorizontal: ['tags'] });
m.admin.register(Item);
m.run();
useTestDatabase();
const { t, languageChain } = require('../../dist/admin/i18n');

test('a French catalogue in LOCALE_PATHS changes the rendered admin pages; what it leaves out stays English', async () => {
  const { client } = await clientFor();
  await Post.create({ title: 'Bonjour', body: '' });
  const list = await client.get('/admin/blog/post/?q=Bon');
  assert.equal(list.status, 200);
  assert.match(list.text, /<html lang="fr">/);
  assert.match(list.text, /<a href="\/admin\/">Accueil<\/a>/);
  assert.match(list.text, /<h1>Sélectionnez l’objet post à changer<\/h1>/);
  assert.match(list.text, /class="addlink">Ajouter post<\/a>/);
  assert.match(list.text, /<summary>Par published<\/summary>/);
  assert.match(list.text, />Tout<\/a>/);
  assert.match(list.text, />Oui<\/a>/);
  // French plural rules pick the form: 1 → "one".
  assert.match(list.text, /1 résultat \(/);
  assert.match(list.text, /<button type="submit">Déconnexion<\/button>/);
  // Not in the French file: English.
  assert.match(list.text, /View site<\/a>/);
  assert.doesNotMatch(list.text, />Home</);
  const form = await client.get('/admin/blog/post/add/');
  assert.match(form.text, /value="Enregistrer" class="default" name="_save"/);
  // The scripts' strings ride along as a JSON island that jsi18n.js reads.
  const island = /<script type="application\/json" id="admin-i18n">([^<]*)<\/script>/.exec(form.text);
  assert.ok(island, 'the change form carries the scripts\' translations');
  assert.deepEqual(JSON.parse(island[1]), {
    'Available {name}': '{name} disponibles', 'Chosen {name}': '{name} choisis', 'Filter': 'Filtre', 'Choose all': 'Tout choisir',
    'Choose': 'Choisir', 'Remove': 'Enlever', 'Search…': 'Rechercher…',
  });
});

test('form errors and messages are translated too', async () => {
  const { client } = await clientFor();
  const bad = await client.post('/admin/blog/item/add/', { name: '', price: '-1' });
  assert.equal(bad.status, 200);
  // Field labels are looked up too: the catalogue may name your fields; the user admin's labels are in en.json.
  assert.match(bad.text, /<label class="required" for="id_name">Nom:<\/label>/);
  assert.match(bad.text, /<label class="required" for="id_price">Price:<\/label>/);
  const userPage = await client.get(`/admin/auth/user/${(await m.User.findOne()).id}/change/`);
  assert.match(userPage.text, /<label class="vCheckboxLabel" for="id_isStaff">Statut équipe<\/label>/);
  // A sentence around a link: the link is put in after the sentence is translated and escaped.
  assert.match(userPage.text, /but you can change the password using <a href="[^"]*password\/">this form<\/a>\./);
  assert.match(bad.text, /<li>Ce champ est obligatoire\.<\/li>/);
  const low = await client.post('/admin/blog/item/add/', { name: 'Pen', price: '-1' });
  assert.match(low.text, /<li>Assurez-vous que cette valeur est supérieure ou égale à 0\.<\/li>/);
  const ok = await client.post('/admin/blog/item/add/', { name: 'Pen', price: '3' });
  assert.equal(ok.status, 302);
  const next = await client.get(ok.headers.location);
  assert.match(next.text, /L’objet item « Item object \(\d+\) » a été ajouté avec succès\.|L’objet item « Pen » a été ajouté avec succès\./);
});

test('LANGUAGE_CODE fr-ca takes fr, then fr-ca over it; an unknown text comes back filled in', () => {
  assert.deepEqual(languageChain('fr-CA'), ['fr', 'fr-ca']);
  // A new settings object is a new catalogue (configure() makes one; here the test swaps it for a moment).
  const { state } = require('../../dist/core/conf/state');
  const saved = state.settings;
  try {
    state.settings = { ...saved, LANGUAGE_CODE: 'fr-ca' };
    assert.equal(t('Save'), 'Sauvegarder');
    assert.equal(t('Home'), 'Accueil');
    state.settings = { ...saved, LANGUAGE_CODE: 'de' };
    assert.equal(t('Save'), 'Save');
    assert.equal(t('{count} results', { count: 1 }), '1 result');
    assert.equal(t('{count} results', { count: 2 }), '2 results');
    assert.equal(t('Not in any catalogue, {who}', { who: 'you' }), 'Not in any catalogue, you');
  } finally {
    state.settings = saved;
  }
  assert.equal(t('Save'), 'Enregistrer');
});

test('every string the admin translates is in the English catalogue (a translation starts from one file)', () => {
  const root = path.join(__dirname, '..', '..');
  const en = JSON.parse(fs.readFileSync(path.join(root, 'admin', 'locale', 'en.json'), 'utf8'));
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|html|js)$/.test(e.name) && !/\.d\.ts$/.test(e.name) && e.name !== 'i18n.ts') files.push(p);
    }
  };
  for (const d of ['admin/views', 'admin/templates', 'admin/static']) walk(path.join(root, d));
  for (const f of fs.readdirSync(path.join(root, 'admin'))) if (f.endsWith('.ts') && f !== 'i18n.ts') files.push(path.join(root, 'admin', f));
  const missing = [];
  let count = 0;
  for (const f of files) {
    for (const match of fs.readFileSync(f, 'utf8').matchAll(/(?<![\w.])(?:t|gettext|_)\(\s*'((?:[^'\\]|\\.)*)'/g)) {
      count++;
      if (!(match[1] in en)) missing.push(`${path.relative(root, f)}: ${match[1]}`);
    }
  }
  assert.ok(count > 150, `found ${count} translated strings`);
  assert.deepEqual(missing, []);
  const { JS_MSGIDS } = require('../../dist/admin/i18n');
  assert.deepEqual(JS_MSGIDS.filter((id) => !(id in en)), []);
});
