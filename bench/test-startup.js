#!/usr/bin/env node
// Tests start fast: the characters demo's three tests run by `node demo/characters/app.js test`, against the same
// three tests of the same app written as a single-file Django app (bench/test-startup/django, Django's SimpleTestCase,
// as in "A Django REST API in a Single File"), run by `python3 app.py test`. Wall time of the whole command (process
// start to exit), the two in alternation, BENCH_ROUNDS times (9); prints medians and the ratio. The target:
// manouche ≤ Django. Django comes from Debian's python3-django (3.2); without it only manouche's figure is printed.
// Run: node bench/test-startup.js
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROUNDS = Number(process.env.BENCH_ROUNDS || 9);
const ROOT = path.join(__dirname, '..');
const PYTHON = process.env.BENCH_PYTHON || '/usr/bin/python3';

const cases = [
  { name: 'manouche: node demo/characters/app.js test', cmd: process.execPath, args: [path.join(ROOT, 'demo', 'characters', 'app.js'), 'test'], cwd: ROOT, ok: /# pass 3\n# fail 0/ },
  { name: 'Django 3.2: python3 app.py test', cmd: PYTHON, args: ['app.py', 'test'], cwd: path.join(__dirname, 'test-startup', 'django'), ok: /Ran 3 tests[\s\S]*\nOK/ },
];

const hasDjango = spawnSync(PYTHON, ['-c', 'import django'], { stdio: 'ignore' }).status === 0;
if (!hasDjango) {
  process.stdout.write(`Django is not installed for ${PYTHON} (apt-get install python3-django): timing manouche alone.\n`);
  cases.pop();
}

function once(c) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(c.cmd, c.args, { cwd: c.cwd, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: undefined } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0 || !c.ok.test(res.stdout + res.stderr)) throw new Error(`${c.name} failed:\n${res.stdout}${res.stderr}`);
  return ms;
}

for (const c of cases) once(c); // warm the file cache (and Python's bytecode cache)
const times = cases.map(() => []);
for (let r = 0; r < ROUNDS; r++) cases.forEach((c, i) => times[i].push(once(c)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`test command, start to exit, median of ${ROUNDS} (ms), node ${process.version}\n`);
process.stdout.write(`${'case'.padEnd(48)} ${'median'.padStart(6)} ${'min'.padStart(6)}  ×Django\n`);
const base = median(times[times.length - 1]);
cases.forEach((c, i) => {
  const m = median(times[i]);
  process.stdout.write(`${c.name.padEnd(48)} ${m.toFixed(0).padStart(6)} ${Math.min(...times[i]).toFixed(0).padStart(6)}  ${cases.length > 1 ? (m / base).toFixed(2) : '-'}\n`);
});
