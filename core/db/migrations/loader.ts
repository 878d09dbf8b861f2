// Finds every app's migration files, loads them (a broken file is named with its line), and orders them into one graph.
import fs from 'node:fs';
import path from 'node:path';
import { state } from '../../conf/state';
import { MigrationError } from './errors';
import { applyToState, operationKind, type Operation } from './operations';
import { ProjectState } from './state';

/** One loaded migration file. */
export interface Migration {
  app: string;
  /** '0001_initial' */
  name: string;
  file: string;
  dependencies: Array<[string, string]>;
  operations: Operation[];
}

/** All migrations of all apps, in an order where every migration comes after its dependencies. */
export interface MigrationGraph {
  nodes: Map<string, Migration>;
  order: string[];
  /** App labels that have a migrations folder with at least one migration. */
  apps: string[];
}

export const key = (app: string, name: string) => `${app}.${name}`;
const FILE_RE = /^(\d{4})_[A-Za-z0-9_]+\.(c?js)$/;

/** Framework apps are planned before the project's own (within the order their dependencies allow). */
const FRAMEWORK_ORDER = ['sessions', 'auth', 'admin'];

/** The apps whose migrations are managed, framework apps first; one entry per label. */
export function migrationApps(): Array<{ label: string; dir: string }> {
  const seen = new Map<string, string>();
  for (const a of state.migrationsApps) if (!seen.has(a.label)) seen.set(a.label, a.dir);
  const rank = (l: string) => (FRAMEWORK_ORDER.includes(l) ? FRAMEWORK_ORDER.indexOf(l) : FRAMEWORK_ORDER.length);
  return [...seen].map(([label, dir]) => ({ label, dir })).sort((a, b) => rank(a.label) - rank(b.label));
}

/** The migration files of one folder, by number. */
export function migrationFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => FILE_RE.test(f)).sort();
}

/** Loads one migration file; a syntax or runtime error names the file and the line. */
export function loadMigration(app: string, file: string): Migration {
  const name = path.basename(file).replace(/\.c?js$/, '');
  let mod: any;
  try {
    delete require.cache[require.resolve(file)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(file);
  } catch (err) {
    const e = err as Error;
    throw new MigrationError(`could not load the migration ${file}${lineOf(e, file)}: ${e.name}: ${e.message.split('\n')[0]}`);
  }
  const body = mod?.default ?? mod;
  const where = `the migration ${file}`;
  if (!body || typeof body !== 'object' || !Array.isArray(body.operations)) {
    throw new MigrationError(`${where} must export { dependencies: [...], operations: [...] } (module.exports = { … })`);
  }
  const dependencies = (body.dependencies ?? []) as Array<[string, string]>;
  if (!Array.isArray(dependencies) || !dependencies.every((d) => Array.isArray(d) && d.length === 2 && d.every((x) => typeof x === 'string'))) {
    throw new MigrationError(`${where}: dependencies must be a list of [appLabel, migrationName] pairs`);
  }
  body.operations.forEach((op: Operation, i: number) => {
    try {
      operationKind(op).check(op);
    } catch (err) {
      throw new MigrationError(`${where}, operation #${i + 1} (${op?.type}): ${(err as Error).message}`);
    }
  });
  return { app, name, file, dependencies, operations: body.operations };
}

/** ":12" from a SyntaxError's "file:12" header or a stack frame in the file. */
function lineOf(err: Error, file: string): string {
  const stack = String(err.stack ?? '');
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = stack.match(new RegExp(`${esc}:(\\d+)`));
  return m ? `, line ${m[1]}` : '';
}

/**
 * Loads every app's migrations and orders them: dependencies first, each app's files by number, framework apps
 * before the project's when nothing else decides. A dependency on a migration that does not exist is an error.
 */
export function loadGraph(): MigrationGraph {
  const nodes = new Map<string, Migration>();
  const apps: string[] = [];
  const implicit = new Map<string, string>();
  for (const { label, dir } of migrationApps()) {
    const files = migrationFiles(dir);
    if (files.length) apps.push(label);
    let previous: string | undefined;
    for (const f of files) {
      const m = loadMigration(label, path.join(dir, f));
      nodes.set(key(label, m.name), m);
      if (previous) implicit.set(key(label, m.name), previous);
      previous = key(label, m.name);
    }
  }
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (k: string, from?: string) => {
    if (order.includes(k)) return;
    const m = nodes.get(k);
    if (!m) throw new MigrationError(`${from} depends on ${k}, which does not exist (is its app turned on in configure()?)`);
    if (visiting.has(k)) throw new MigrationError(`circular dependency between migrations involving ${k}`);
    visiting.add(k);
    const deps = m.dependencies.map(([a, n]) => key(a, n));
    const prev = implicit.get(k);
    if (prev && !deps.includes(prev)) deps.unshift(prev);
    for (const d of deps) visit(d, k);
    visiting.delete(k);
    order.push(k);
  };
  for (const k of nodes.keys()) visit(k);
  return { nodes, order, apps };
}

/** The model state after replaying the given migrations (all of them by default), in graph order. */
export function stateAt(graph: MigrationGraph, only?: Set<string>): ProjectState {
  const s = new ProjectState();
  for (const k of graph.order) {
    if (only && !only.has(k)) continue;
    replay(s, graph.nodes.get(k)!);
  }
  return s;
}

/** Applies one migration's operations to a state, naming the migration and operation on failure. */
export function replay(s: ProjectState, m: Migration): void {
  m.operations.forEach((op, i) => {
    try {
      applyToState(s, m.app, op);
    } catch (err) {
      throw new MigrationError(`${m.app}.${m.name}, operation #${i + 1} (${op.type}): ${(err as Error).message}`);
    }
  });
}

/** The last migration of an app (the one a new migration depends on), or undefined. */
export function leafOf(graph: MigrationGraph, app: string): string | undefined {
  const own = graph.order.filter((k) => graph.nodes.get(k)!.app === app);
  return own.length ? graph.nodes.get(own[own.length - 1])!.name : undefined;
}
