#!/usr/bin/env node
// Builds dist/ from an empty folder (so the tarball never carries a file of a source that is gone): the TypeScript
// compile, then the ES module entry points. npm runs it before `pack`/`publish` (prepack), `test` and `demo`. No source maps (tsconfig): the package does not ship its
// .ts sources, and a map pointing at missing files is worse than none.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
} catch (err) {
  process.exit(err.status || 1); // tsc has printed its errors
}
require('./build-esm.js');
