// The error table: every code has a status and a message that says what to do, and each class answers with its status.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const errors = require('../../dist/core/conf/errors.js');

test('every row of the table has an HTTP status and a message', () => {
  for (const [code, spec] of Object.entries(errors.ERRORS)) {
    assert.match(code, /^E_[A-Z0-9_]+$/, code);
    assert.ok(Number.isInteger(spec.status) && spec.status >= 400 && spec.status < 600, `${code} status`);
    assert.ok(spec.message.length > 0, `${code} message`);
  }
});

test('formatMessage fills placeholders and keeps unknown ones visible', () => {
  assert.equal(
    errors.formatMessage('E_UNKNOWN_SWITCH', { name: 'admn', known: 'admin, auth, sessions' }),
    'Unknown switch "admn" passed to configure(). Known switches: admin, auth, sessions. Settings are UPPERCASE (e.g. DEBUG).',
  );
  assert.match(errors.formatMessage('E_DISALLOWED_HOST', { host: 'evil.com' }), /evil\.com.*\{hostname\}/);
});

test('HTTP errors carry their status and code, and are ManoucheErrors', () => {
  const cases = [
    [new errors.Http404('No post 3'), 404, 'E_HTTP_404', 'No post 3'],
    [new errors.PermissionDenied(), 403, 'E_HTTP_403', 'Forbidden'],
    [new errors.BadRequest('page must be a number'), 400, 'E_HTTP_400', 'page must be a number'],
    [new errors.MethodNotAllowed(['GET']), 405, 'E_HTTP_405', 'Method Not Allowed (allowed: GET)'],
  ];
  for (const [err, status, code, message] of cases) {
    assert.ok(err instanceof errors.ManoucheError && err instanceof errors.HttpError);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
  }
  assert.deepEqual(new errors.MethodNotAllowed(['GET', 'POST']).allowed, ['GET', 'POST']);
});

test('CommandError keeps its message and exit code; NoReverseMatch names the route', () => {
  const err = new errors.CommandError('No user named "bob".', 3);
  assert.equal(err.message, 'No user named "bob".');
  assert.equal(err.returncode, 3);
  assert.match(new errors.NoReverseMatch('post-detail', 'with { id: "x" } not found.').message, /^Reverse for "post-detail" with/);
});
