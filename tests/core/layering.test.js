// The source keeps Django's layering: a lower folder never imports a higher one, and no module imports itself in a circle.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
// Lowest first. A module may import (at run time) only from its own layer or a lower one.
const LAYERS = [
  ['core/conf'], ['core/db'], ['core/urls'], ['core/template'], ['core/http'], ['core/test'], ['core/management'],
  ['core/app.ts', 'core/index.ts'], ['sessions'], ['auth'], ['admin'], ['api'], ['index.ts', 'bin.ts'],
];

function layerOf(file) {
  const i = LAYERS.findIndex((names) => names.some((n) => file === n || file.startsWith(n + '/')));
  assert.notEqual(i, -1, `${file} belongs to no layer: add its folder to LAYERS in ${path.relative(ROOT, __filename)}`);
  return i;
}

function sourceFiles(dir, out = []) {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) { if (!['node_modules', 'dist', 'templates', 'migrations', 'static', 'tests', 'demo', 'bench', 'docs', 'scripts'].includes(e.name) && !e.name.startsWith('.')) sourceFiles(rel, out); }
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/**
 * Imports a file makes when it loads: `import type` and `export type` vanish when compiled, and a require() inside a
 * function body runs later, on demand (that is how batteries and commands load lazily), so neither counts.
 */
function runtimeImports(file) {
  const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [];
  const re = /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']+)'|^(?:const|let|var)\s[^=\n]*=\s*require\('(\.[^']+)'\)/gm;
  for (const m of src.matchAll(re)) {
    if (m[1]) continue;
    specs.push(m[2] || m[3]);
  }
  return specs.map((spec) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    for (const cand of [base + '.ts', base + '/index.ts', base]) if (fs.existsSync(path.join(ROOT, cand)) && fs.statSync(path.join(ROOT, cand)).isFile()) return cand;
    return base;
  }).filter((t) => t.endsWith('.ts'));
}

const files = sourceFiles('.').map((f) => f.replace(/^\.\//, ''));
const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

test('no module imports a module of a higher layer (conf < db < urls < template < http < test < management < app < batteries)', () => {
  const upward = [];
  for (const [from, tos] of graph) for (const to of tos) if (layerOf(to) > layerOf(from)) upward.push(`${from} -> ${to}`);
  assert.deepEqual(upward, [], 'imports that go up a layer');
});

test('no import cycles between modules', () => {
  // Tarjan's strongly connected components: any component with more than one file is a cycle.
  let index = 0; const idx = new Map(); const low = new Map(); const stack = []; const on = new Set(); const cycles = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = []; let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) cycles.push(comp.sort().join(' ⇄ '));
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  assert.deepEqual(cycles, [], 'modules that import each other, directly or through others');
});
