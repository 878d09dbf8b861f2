// The published declarations, compiled as a consumer would: tests/types/apps/*.ts import 'manouche' and 'manouche/test'
// from a project outside the repo (node_modules/manouche links here), strict, skipLibCheck false, under each
// moduleResolution. Their `// @ts-expect-error` lines fail the build if a type decays to any (TS2578: unused directive).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');

const root = path.join(__dirname, '..', '..');
const appsDir = path.join(__dirname, 'apps');
const apps = fs.readdirSync(appsDir).filter((f) => f.endsWith('.ts')).sort();
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// Each configuration is compiled by TypeScript 5.9's tsc and by the native TypeScript 7 (tsgo), which has dropped
// node10. node10 reads package.json's typesVersions ('manouche/test', and the root declarations that take zod's as
// ES modules), and needs no esModuleInterop.
const CONFIGS = [
  { name: 'node16-cjs', type: 'commonjs', module: 'node16', moduleResolution: 'node16', compilers: ['tsc', 'tsgo'] },
  { name: 'nodenext-esm', type: 'module', module: 'nodenext', moduleResolution: 'nodenext', compilers: ['tsc', 'tsgo'] },
  { name: 'bundler', type: 'module', module: 'preserve', moduleResolution: 'bundler', compilers: ['tsc', 'tsgo'] },
  { name: 'node10', type: 'commonjs', module: 'commonjs', moduleResolution: 'node10', compilers: ['tsc'] },
];

function project(base, cfg) {
  const dir = path.join(base, cfg.name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  for (const app of apps) fs.copyFileSync(path.join(appsDir, app), path.join(dir, 'src', app));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `types-${cfg.name}`, private: true, type: cfg.type }));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, skipLibCheck: false, noEmit: true, target: 'es2022', lib: ['es2023'], types: ['node'],
      module: cfg.module, moduleResolution: cfg.moduleResolution, noUnusedLocals: false,
    },
    files: apps.map((a) => `src/${a}`),
  }, null, 2));
  return dir;
}

function compile(dir, compiler) {
  return new Promise((resolve) => {
    execFile(bin(compiler), ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code ?? 1 : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** Runs the jobs at most `width` at a time (one compiler per core: tsc checks every declaration, skipLibCheck false). */
async function pool(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => { while (next < jobs.length) { const i = next++; results[i] = await jobs[i](); } };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

test('the declarations compile in a consumer project under every moduleResolution, mistakes included as errors', async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist', 'index.d.ts')), 'build first: npx tsc -p tsconfig.json');
  assert.ok(apps.length >= 1, 'no apps in tests/types/apps');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-types-'));
  try {
    fs.mkdirSync(path.join(base, 'node_modules', '@types'), { recursive: true });
    fs.symlinkSync(root, path.join(base, 'node_modules', 'manouche'), 'dir');
    fs.symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(base, 'node_modules', '@types', 'node'), 'dir');
    const runs = CONFIGS.flatMap((cfg) => { const dir = project(base, cfg); return cfg.compilers.map((compiler) => ({ cfg, dir, compiler })); });
    const results = await pool(runs.map((r) => () => compile(r.dir, r.compiler)), Math.max(1, os.availableParallelism()));
    const failures = runs.map((r, i) => ({ ...r, ...results[i] })).filter((r) => r.code !== 0 || r.output);
    assert.deepEqual(failures.map((f) => `${f.cfg.name} (${f.compiler}):\n${f.output}`), []);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('every TypeScript example of the README is part of a compiled app', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > 0, 'the README has TypeScript examples');
  const sources = apps.map((a) => fs.readFileSync(path.join(appsDir, a), 'utf8'));
  const missing = blocks.filter((b) => !sources.some((s) => s.includes(b)));
  assert.deepEqual(missing, [], 'README ```ts blocks not found verbatim in tests/types/apps/*.ts');
});
