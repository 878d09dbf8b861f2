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
// node10 resolution (package.json typesVersions sends it here) ignores "exports", so zod's 'zod' is its CommonJS
// declarations, whose locales need esModuleInterop; 'zod/index' is the same declarations as ES modules, which don't.
const dts = path.join(root, 'dist', 'index.d.ts');
const node10 = fs.readFileSync(dts, 'utf8').replace("from 'zod';", "from 'zod/index';");
if (!node10.includes("from 'zod/index';")) throw new Error("scripts/build.js: dist/index.d.ts no longer imports 'zod' as expected; update the node10 declarations step.");
fs.writeFileSync(path.join(root, 'dist', 'index.node10.d.ts'), node10);
require('./build-esm.js');
