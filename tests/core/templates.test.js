// Templates: lookup order, global helpers, what every template sees, clear errors, and DEBUG reloading.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { configure, route, template, render, Response, Client, ManoucheError, Http404 } = require('manouche');
const { renderToString, templateExists, getEnvironment } = require('../../dist/core/template/engine');
const { state } = require('../../dist/core/conf/state');

const appTemplates = fs.mkdtempSync(path.join(os.tmpdir(), 'h2-tpl-app-'));
const frameworkTemplates = fs.mkdtempSync(path.join(os.tmpdir(), 'h2-tpl-fw-'));
const write = (dir, name, src) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), src);
};

// Registered before configure(): helpers must survive the environment being built later.
template.filter('shout', (s) => `${String(s).toUpperCase()}!`);

configure({ DEBUG: true, SECRET_KEY: 'templates-test-key', DATABASE_URL: 'sqlite::memory:', TEMPLATES_DIRS: [appTemplates], STATIC_URL: '/assets/' });
state.frameworkTemplateDirs.push(frameworkTemplates);

write(appTemplates, 'page.html', '<p>{{ title }}</p>');
write(frameworkTemplates, 'page.html', 'framework page');
write(frameworkTemplates, 'admin/only-framework.html', 'from the framework');
write(appTemplates, 'shadowed.html', 'app file');

route('posts/<int:id>/', () => 'post', { name: 'post-detail' });
route('page/', (req) => render(req, 'page.html', { title: 'Hello <b>' }, { status: 201, headers: { 'x-page': '1' } }), { name: 'page' });

test('render() answers an HTML Response with the status and headers given, escaping variables', async () => {
  const res = await new Client().get('/page/');
  assert.equal(res.status, 201);
  assert.match(res.headers['content-type'], /^text\/html/);
  assert.equal(res.headers['x-page'], '1');
  assert.equal(res.text, '<p>Hello &lt;b&gt;</p>');
  assert.ok(render({}, 'page.html', { title: 't' }) instanceof Response);
});

test('TEMPLATES_DIRS come before the framework folders; template.add() comes before both', () => {
  assert.equal(renderToString('page.html', { title: 'x' }), '<p>x</p>');
  assert.equal(renderToString('admin/only-framework.html'), 'from the framework');
  template.add('shadowed.html', 'inline wins');
  assert.equal(renderToString('shadowed.html'), 'inline wins');
  template.add('shadowed.html', 'inline, redefined');
  assert.equal(renderToString('shadowed.html'), 'inline, redefined');
});

test('inline templates extend and include files and each other', () => {
  write(appTemplates, 'base.html', '<main>{% block content %}{% endblock %}</main>');
  template.add('child.html', '{% extends "base.html" %}{% block content %}{% include "part.html" %}{% endblock %}');
  template.add('part.html', '[{{ name }}]');
  assert.equal(renderToString('child.html', { name: 'Ann' }), '<main>[Ann]</main>');
});

test('filters, globals, simple tags and tests work in every template, registered before or after the first render', () => {
  template.global('greet', (name) => `Hi ${name} & co`);
  template.simpleTag('twice', (n) => n * 2);
  template.test('even', (n) => n % 2 === 0);
  template.add('helpers.html', '{{ "a b" | shout }} {{ greet("Ann") }} {{ twice(21) }} {% if 4 is even %}even{% endif %}');
  assert.equal(renderToString('helpers.html'), 'A B! Hi Ann &amp; co 42 even');
  template.filter(function initials(s) { return s.split(' ').map((w) => w[0]).join(''); });
  template.add('late.html', '{{ "Ada Lovelace" | initials }}');
  assert.equal(renderToString('late.html'), 'AL');
  assert.throws(() => template.filter('nameless'), /needs a name and a function/);
});

test('autoescape is on; |safe opts out', () => {
  template.add('escape.html', '{{ html }}|{{ html | safe }}');
  assert.equal(renderToString('escape.html', { html: '<i>"x"</i>' }), '&lt;i&gt;&quot;x&quot;&lt;/i&gt;|<i>"x"</i>');
});

test('url() reverses route names (positional object or keyword arguments); static() prefixes STATIC_URL', () => {
  template.add('links.html', '{{ url("post-detail", { id: 3 }) }} {{ url("post-detail", id=4) }} {{ url("page") }} {{ static("css/site.css") }} {{ static("/img/a.png") }}');
  assert.equal(renderToString('links.html'), '/posts/3/ /posts/4/ /page/ /assets/css/site.css /assets/img/a.png');
});

test('every template sees request, user, settings.DEBUG (never secrets) and the context processors; ctx wins', () => {
  state.contextProcessors.push((req) => ({ messages: ['saved'], fromProcessor: req ? req.path : 'no request' }));
  try {
    template.add('ctx.html', '{{ request.path }}|{{ user.username }}|{{ settings.DEBUG }}|{{ settings.SECRET_KEY }}|{{ messages | join(",") }}|{{ fromProcessor }}');
    const req = { path: '/x/', user: { username: 'ann' } };
    assert.equal(renderToString('ctx.html', {}, req), '/x/|ann|true||saved|/x/');
    assert.equal(renderToString('ctx.html', { fromProcessor: 'mine' }, req), '/x/|ann|true||saved|mine');
    assert.equal(renderToString('ctx.html'), '||true||saved|no request');
  } finally {
    state.contextProcessors.pop();
  }
});

test('csrfInput() is a hidden input with the request token; the token is only asked for when printed', () => {
  let calls = 0;
  const req = { path: '/', csrfToken: () => { calls += 1; return 'tok"en'; } };
  template.add('form.html', '<form>{{ csrfInput() }}</form>|{{ csrfToken }}');
  assert.equal(renderToString('form.html', {}, req), '<form><input type="hidden" name="csrfmiddlewaretoken" value="tok&#34;en"></form>|tok&quot;en');
  assert.equal(calls, 1);
  template.add('noform.html', 'no form here');
  renderToString('noform.html', {}, req);
  assert.equal(calls, 1);
  assert.equal(renderToString('form.html', {}, { path: '/' }), '<form></form>|');
});

test('a missing template names itself and every folder searched (E_TEMPLATE_NOT_FOUND)', () => {
  assert.throws(() => renderToString('nope.html'), (err) => {
    assert.ok(err instanceof ManoucheError);
    assert.equal(err.code, 'E_TEMPLATE_NOT_FOUND');
    assert.match(err.message, /Template "nope\.html" was not found/);
    assert.ok(err.message.includes('template.add()'), err.message);
    assert.ok(err.message.includes(appTemplates), err.message);
    assert.ok(err.message.includes(frameworkTemplates), err.message);
    assert.deepEqual(err.tried.slice(1), [appTemplates, frameworkTemplates]);
    return true;
  });
  template.add('includes-missing.html', 'a {% include "gone.html" %}');
  assert.throws(() => renderToString('includes-missing.html'), /Template "gone\.html" was not found.*needed by "includes-missing\.html"/s);
});

test('a template name cannot climb out of its folder', () => {
  write(path.dirname(appTemplates), `${path.basename(appTemplates)}-secret.txt`, 'secret');
  assert.equal(templateExists(`../${path.basename(appTemplates)}-secret.txt`), false);
  assert.throws(() => renderToString(`../${path.basename(appTemplates)}-secret.txt`), /was not found/);
});

test('a syntax error names the template and the line', () => {
  template.add('broken.html', 'line one\n{% if %}oops{% endif %}');
  assert.throws(() => renderToString('broken.html'), (err) => {
    assert.match(err.message, /broken\.html/);
    assert.match(err.message, /Line 2/);
    return true;
  });
  write(appTemplates, 'broken-file.html', 'ok\nok\n{% endfor %}\nok');
  assert.throws(() => renderToString('broken-file.html'), (err) => {
    assert.ok(err.message.includes(path.join(appTemplates, 'broken-file.html')), err.message);
    assert.match(err.message, /Line 3/);
    return true;
  });
  template.add('unclosed.html', 'one\ntwo\n{% if x %}three');
  assert.throws(() => renderToString('unclosed.html'), /\(unclosed\.html\) \[Line 3, at the end of the template\]/);
  template.add('runtime.html', 'one\ntwo\n{{ notAFunction() }}');
  assert.throws(() => renderToString('runtime.html'), /\(runtime\.html\) \[Line 3, Column \d+\]\s+Error: Unable to call `notAFunction`/);
});

test('errors thrown inside a template keep their class and code, plus where they happened', async () => {
  template.add('badlink.html', 'a\n{{ url("no-such-route") }}');
  assert.throws(() => renderToString('badlink.html'), (err) => {
    assert.equal(err.code, 'E_NO_REVERSE_MATCH');
    assert.match(err.message, /no-such-route.*\(in template \(badlink\.html\)/s);
    return true;
  });
  template.global('findOr404', (id) => { if (id !== 1) throw new Http404(`No thing ${id}`); return 'thing'; });
  template.add('lookup.html', '{{ findOr404(id) }}');
  assert.throws(() => renderToString('lookup.html', { id: 2 }), (err) => err instanceof Http404 && err.message === 'No thing 2');
  route('lookup/<int:id>/', (req, { id }) => render(req, 'lookup.html', { id }));
  assert.equal((await new Client().get('/lookup/2/')).status, 404);
  assert.equal((await new Client().get('/lookup/1/')).text, 'thing');
});

test('templateExists() answers for inline templates and files, without throwing', () => {
  assert.equal(templateExists('page.html'), true);
  assert.equal(templateExists('admin/only-framework.html'), true);
  assert.equal(templateExists('helpers.html'), true);
  assert.equal(templateExists('missing.html'), false);
});

test('with DEBUG, an edited template (and a newly shadowing one) is picked up at the next render', () => {
  write(appTemplates, 'live.html', 'version 1');
  assert.equal(renderToString('live.html'), 'version 1');
  write(appTemplates, 'live.html', 'version 2');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(appTemplates, 'live.html'), later, later);
  assert.equal(renderToString('live.html'), 'version 2');
  assert.equal(renderToString('admin/only-framework.html'), 'from the framework');
  write(appTemplates, 'admin/only-framework.html', 'overridden by the app');
  assert.equal(renderToString('admin/only-framework.html'), 'overridden by the app');
});

test('getEnvironment() is the nunjucks Environment, autoescaping', () => {
  const env = getEnvironment();
  assert.equal(env.opts.autoescape, true);
  assert.equal(typeof env.getFilter('shout'), 'function');
  assert.equal(getEnvironment(), env);
});
