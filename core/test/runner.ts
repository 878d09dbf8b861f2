// Tests next to the app: test() registers them, runTests() runs them (and tests.js, tests/**/*.test.js) on node:test.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { syncBuiltinESMExports } from 'node:module';
import type { TestContext as NodeTestContext } from 'node:test';
import { Client } from './client';
import { db } from '../db/models';
import { requireConfigured, state } from '../conf/state';

/** What a test function receives: a fresh Client, the database (unless `{ db: false }`) and node's TestContext. */
export interface TestContext {
  client: Client;
  db: typeof db | undefined;
  /** node:test's own context (`t.mock`, `t.diagnostic()` …). */
  t: NodeTestContext;
}
export type TestFn = (ctx: TestContext) => unknown;

/** `db: false` skips the database; `skip`, `todo` and `timeout` (ms) are node:test's own. */
export interface TestOptions {
  db?: boolean;
  skip?: boolean | string;
  todo?: boolean | string;
  timeout?: number;
}

interface RegisteredTest { name: string; fn: TestFn; db: boolean; node: Omit<TestOptions, 'db'> }

const registered: RegisteredTest[] = [];

/**
 * Registers a test. It runs only under `node app.js test` (never on import or under runserver), with a clean test
 * database; `{ db: false }` skips the database (Django's SimpleTestCase) and keeps the run fast; `skip`, `todo` and
 * `timeout` are passed to node:test.
 * @example
 * test('homepage renders', async ({ client }) => {
 *   assert.equal((await client.get('/')).status, 200);
 * }, { db: false });
 */
export function test(name: string, fn: TestFn, options: TestOptions = {}): void {
  if (typeof name !== 'string' || !name) throw new TypeError('test(name, fn) needs a name: test(\'homepage renders\', async ({ client }) => { … }).');
  if (typeof fn !== 'function') throw new TypeError(`test('${name}', fn) needs a function as its second argument.`);
  const { db: useDb, ...node } = options;
  registered.push({ name, fn, db: useDb !== false, node });
}

/** The tests registered so far (the runner's input; handy to list them). */
export function registeredTests(): ReadonlyArray<Readonly<RegisteredTest>> {
  return registered;
}

export interface RunOptions {
  /** Only tests whose name (or an enclosing describe's name) contains this text. */
  pattern?: string;
  /** Test files to load; default: `tests.js` and `tests/**\/*.test.{js,cjs,mjs}` in the app directory. */
  files?: string[];
}

type NodeTest = typeof import('node:test');
type NodeTestFn = (...args: any[]) => Promise<unknown>;

/**
 * Runs the registered tests and the app's test files on node's test runner; resolves with 1 when a test failed.
 * Node prints the TAP report (`# pass N`, `# fail N`) when the event loop empties, after closeAll().
 * @example process.exitCode = await runTests({ pattern: 'login' })
 */
export async function runTests(options: RunOptions = {}): Promise<number> {
  const { appDir, appFile } = requireConfigured('running tests');
  const pattern = options.pattern || undefined;
  let needsDb = false;
  let dbReady = false;
  let release!: () => void;
  const allRegistered = new Promise<void>((resolve) => { release = resolve; });
  // Runs once, before the first test (node holds every test until it resolves), when all files are loaded.
  const nodeTest = loadNodeTest(async () => {
    await allRegistered;
    if (!needsDb) return;
    dbReady = true; // even a half-done setup is torn down afterwards
    for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  });
  const runTest = nodeTest.test as unknown as NodeTestFn; // the real one: node:test's exports get wrapped below
  const tracked: Array<Promise<unknown>> = [];
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;

  const withLifecycle = (useDb: boolean, body: (t: unknown) => unknown) => async (t: unknown) => {
    for (const hooks of state.testLifecycle) await hooks.beforeEach?.({ db: useDb });
    try {
      return await body(t);
    } finally {
      for (const hooks of state.testLifecycle) await hooks.afterEach?.({ db: useDb });
    }
  };

  let flushed = 0;
  const flushRegistered = (): void => {
    for (const entry of registered.slice(flushed)) {
      if (pattern && !entry.name.includes(pattern)) continue;
      needsDb ||= entry.db && !entry.node.skip;
      const body = (t: unknown) => entry.fn({ client: new Client(), db: entry.db ? db : undefined, t: t as NodeTestContext });
      tracked.push(runTest(entry.name, entry.node, withLifecycle(entry.db, body)));
    }
    flushed = registered.length;
  };

  flushRegistered();
  const restore = patchNodeTest(nodeTest, pattern, (promise, isTest) => {
    needsDb ||= isTest; // a test written with node:test directly may touch the database: set it up
    tracked.push(promise);
  }, withLifecycle);
  try {
    for (const file of options.files ?? findTestFiles(appDir)) {
      if (path.resolve(file) === appFile) continue;
      try {
        await loadFile(file);
      } catch (err) {
        // Reported as a failing test (as `node --test` does), so that the other files still run.
        tracked.push(runTest(`loading ${path.relative(appDir, file)}`, () => { throw err; }));
      }
      flushRegistered();
    }
  } finally {
    restore();
    release();
  }
  for (let seen = 0; seen < tracked.length;) {
    const batch = tracked.slice(seen);
    seen = tracked.length;
    await Promise.allSettled(batch);
  }
  let failed = process.exitCode === 1; // node's runner sets it when a test fails
  if (dbReady) {
    for (const hooks of state.testLifecycle) {
      try { await hooks.afterAll?.(); } catch (err) {
        process.stderr.write(`Error while tearing down the test database: ${(err as Error)?.stack ?? err}\n`);
        failed = true;
      }
    }
  }
  process.exitCode = failed ? 1 : savedExitCode;
  return failed ? 1 : 0;
}

/**
 * node:test prints a TAP report only when stdout is not a terminal; `# pass N` must appear in both cases, so the
 * runner is started the way `node --test` starts its children. Left alone when the user chose a reporter.
 */
function loadNodeTest(beforeAll: () => Promise<void>): NodeTest {
  const chosen = process.execArgv.some((a) => a.startsWith('--test-reporter'));
  const saved = process.env.NODE_TEST_CONTEXT;
  if (!chosen) process.env.NODE_TEST_CONTEXT = 'child';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeTest = require('node:test') as NodeTest;
    nodeTest.before(beforeAll); // boots node's test harness now, while the variable is set
    return nodeTest;
  } finally {
    if (saved === undefined) delete process.env.NODE_TEST_CONTEXT;
    else process.env.NODE_TEST_CONTEXT = saved;
  }
}

/**
 * While test files load, `test`/`it`/`describe` from node:test are wrapped so that their tests follow the pattern,
 * get the database lifecycle, and are awaited before the run ends. Returns a function that restores them.
 */
function patchNodeTest(
  nodeTest: NodeTest,
  pattern: string | undefined,
  track: (p: Promise<unknown>, isTest: boolean) => void,
  withLifecycle: (useDb: boolean, body: (t: unknown) => unknown) => (t: unknown) => Promise<unknown>,
): () => void {
  const mutable = nodeTest as unknown as Record<string, NodeTestFn>;
  const originals = { test: mutable.test, it: mutable.it, describe: mutable.describe, suite: mutable.suite };
  const matchedSuites: boolean[] = [];
  const selected = (name: string) => !pattern || name.includes(pattern) || matchedSuites.at(-1) === true;

  const wrapTest = (original: NodeTestFn): NodeTestFn => function wrappedTest(...args: any[]) {
    const { name, opts, fn } = testArgs(args);
    if (!selected(name)) return Promise.resolve();
    // A callback-style test (fn(t, done)) keeps its own signature: it runs without the lifecycle.
    const body = typeof fn === 'function' && fn.length < 2 ? withLifecycle(true, (t) => fn(t)) : fn;
    const promise = original(name, opts, body);
    track(promise, true);
    return promise;
  };
  const wrapSuite = (original: NodeTestFn): NodeTestFn => function wrappedSuite(...args: any[]) {
    const { name, opts, fn } = testArgs(args);
    const matched = selected(name) && !!pattern;
    const body = typeof fn === 'function' ? function (this: unknown, ...a: unknown[]) {
      matchedSuites.push(matched || matchedSuites.at(-1) === true);
      try { return fn.apply(this, a); } finally { matchedSuites.pop(); }
    } : fn;
    const promise = original(name, opts, body);
    track(promise, false);
    return promise;
  };
  for (const key of ['test', 'it'] as const) mutable[key] = Object.assign(wrapTest(originals[key]), originals[key]);
  for (const key of ['describe', 'suite'] as const) mutable[key] = Object.assign(wrapSuite(originals[key]), originals[key]);
  syncBuiltinESMExports();
  return () => {
    Object.assign(mutable, originals);
    syncBuiltinESMExports();
  };
}

/** node:test's `(name?, options?, fn?)` in any of its forms. */
function testArgs(args: any[]): { name: string; opts: Record<string, unknown>; fn: any } {
  const name = typeof args[0] === 'string' ? args.shift() : undefined;
  const opts = args[0] && typeof args[0] === 'object' ? args.shift() : {};
  const fn = args[0];
  return { name: name ?? (typeof fn === 'function' ? fn.name : '') ?? '', opts, fn };
}

/** `tests.js` and `tests/**\/*.test.{js,cjs,mjs}` in the app directory, in a stable order. */
export function findTestFiles(appDir: string): string[] {
  const out: string[] = [];
  for (const name of ['tests.js', 'tests.cjs', 'tests.mjs']) {
    const file = path.join(appDir, name);
    if (fs.existsSync(file)) out.push(file);
  }
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.test\.[cm]?js$/.test(entry.name)) out.push(full);
    }
  };
  walk(path.join(appDir, 'tests'));
  return out;
}

// tsc turns import() into require() under CommonJS; this keeps a real import() for ES module test files.
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

async function loadFile(file: string): Promise<void> {
  if (file.endsWith('.mjs')) {
    await importModule(pathToFileURL(file).href);
    return;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code !== 'ERR_REQUIRE_ESM') throw err;
    await importModule(pathToFileURL(file).href);
  }
}
