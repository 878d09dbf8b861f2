// Regression: `migrate auth zero` crashed in the post-migrate hook that creates permissions, once auth's tables were gone.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { configure, callCommand, Permission, db } = require('manouche');

// A file, not :memory:: each command closes the database when it is done, as it does from the command line.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-zero-'));
configure({ DEBUG: true, auth: true, APP_LABEL: 'zero_app', DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite3')}`, SESSION_STORE: 'memory' });

const quiet = { stdout: { write() {} }, stderr: { write() {} } };

test('auth can be unapplied to zero and applied again, permissions coming back', async () => {
  assert.equal(await callCommand('migrate', [], quiet), 0);
  assert.ok((await Permission.count()) > 0);
  assert.equal(await callCommand('migrate', ['auth', 'zero'], quiet), 0);
  assert.equal(await db.getQueryInterface().tableExists('auth_permission'), false);
  assert.equal(await callCommand('migrate', [], quiet), 0);
  assert.ok((await Permission.count()) > 0);
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
