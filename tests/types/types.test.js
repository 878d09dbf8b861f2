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

// tsgo (TypeScript 7) is fast but has dropped node10; TypeScript 5.9 checks node10 (typesVersions for 'manouche/test').
const CONFIGS = [
  { name: 'node16-cjs', compiler: 'tsgo', type: 'commonjs', module: 'node16', moduleResolution: 'node16' },
  { name: 'nodenext-esm', compiler: 'tsgo', type: 'module', module: 'nodenext', moduleResolution: 'nodenext' },
  { name: 'bundler', compiler: 'tsgo', type: 'module', module: 'preserve', moduleResolution: 'bundler' },
  { name: 'node10-ts5', compiler: 'tsc', type: 'commonjs', module: 'commonjs', moduleResolution: 'node10' },
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
      // zod's declarations (the api battery's) need it under node10, as most node10 projects have it.
      ...(cfg.moduleResolution === 'node10' ? { esModuleInterop: true } : {}),
    },
    files: apps.map((a) => `src/${a}`),
  }, null, 2));
  return dir;
}

function compile(dir, cfg) {
  return new Promise((resolve) => {
    execFile(bin(cfg.compiler), ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code ?? 1 : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

test('the declarations compile in a consumer project under every moduleResolution, mistakes included as errors', async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist', 'index.d.ts')), 'build first: npx tsc -p tsconfig.json');
  assert.ok(apps.length >= 1, 'no apps in tests/types/apps');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'manouche-types-'));
  try {
    fs.mkdirSync(path.join(base, 'node_modules', '@types'), { recursive: true });
    fs.symlinkSync(root, path.join(base, 'node_modules', 'manouche'), 'dir');
    fs.symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(base, 'node_modules', '@types', 'node'), 'dir');
    const results = await Promise.all(CONFIGS.map((cfg) => compile(project(base, cfg), cfg)));
    const failures = CONFIGS.map((cfg, i) => ({ cfg, ...results[i] })).filter((r) => r.code !== 0 || r.output);
    assert.deepEqual(failures.map((f) => `${f.cfg.name} (${f.cfg.compiler}):\n${f.output}`), []);
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
