// Plans and runs migrations: forwards or back to a target, each in a transaction where the database allows it, recorded.
import type { Sequelize, Transaction } from 'sequelize';
import { ManoucheError } from '../../conf/errors';
import { MigrationError } from './errors';
import { key, replay, type Migration, type MigrationGraph } from './loader';
import { operationKind, type RunJsContext } from './operations';
import { MigrationRecorder } from './recorder';
import { SchemaEditor } from './schema';
import { ProjectState } from './state';

export interface PlanStep {
  migration: Migration;
  backwards: boolean;
}

/** A migration applied while one of its dependencies is not: Django's InconsistentMigrationHistory. */
export function checkConsistentHistory(graph: MigrationGraph, applied: Set<string>): void {
  for (const k of graph.order) {
    if (!applied.has(k)) continue;
    for (const [a, n] of graph.nodes.get(k)!.dependencies) {
      const dep = key(a, n);
      if (graph.nodes.has(dep) && !applied.has(dep)) throw new ManoucheError('E_INCONSISTENT_HISTORY', { applied: k, dependency: dep });
    }
  }
}

/** Every migration that (transitively) depends on `k`, `k` included. */
function dependents(graph: MigrationGraph, k: string): Set<string> {
  const out = new Set([k]);
  for (const n of graph.order) {
    const m = graph.nodes.get(n)!;
    const deps = m.dependencies.map(([a, x]) => key(a, x));
    const sameAppEarlier = graph.order.filter((o) => graph.nodes.get(o)!.app === m.app && o < n);
    if ([...deps, ...sameAppEarlier].some((d) => out.has(d))) out.add(n);
  }
  return out;
}

/** Everything `k` needs (transitively), `k` included. */
function ancestors(graph: MigrationGraph, k: string): Set<string> {
  const out = new Set<string>();
  const visit = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    const m = graph.nodes.get(n)!;
    for (const [a, x] of m.dependencies) visit(key(a, x));
    for (const o of graph.order) if (graph.nodes.get(o)!.app === m.app && o < n) visit(o);
  };
  visit(k);
  return out;
}

/**
 * The steps to reach a target: no app → apply everything; an app alone → apply its migrations (and what they
 * need); app + name → apply up to it, or unapply what comes after it; app + 'zero' → unapply the whole app.
 */
export function makePlan(graph: MigrationGraph, applied: Set<string>, app?: string, target?: string): PlanStep[] {
  if (app && !graph.apps.includes(app)) throw new MigrationError(`app '${app}' does not have migrations (apps with migrations: ${graph.apps.join(', ') || 'none'})`);
  if (!app || target === undefined) {
    const wanted = app ? new Set(graph.order.filter((k) => graph.nodes.get(k)!.app === app).flatMap((k) => [...ancestors(graph, k)])) : undefined;
    return graph.order.filter((k) => !applied.has(k) && (!wanted || wanted.has(k))).map((k) => ({ migration: graph.nodes.get(k)!, backwards: false }));
  }
  const own = graph.order.filter((k) => graph.nodes.get(k)!.app === app);
  if (target === 'zero') return unapplyPlan(graph, applied, own.length ? dependents(graph, own[0]) : new Set());
  const matches = own.filter((k) => graph.nodes.get(k)!.name.startsWith(target));
  if (matches.length === 0) throw new MigrationError(`cannot find a migration matching '${target}' in app '${app}'`);
  if (matches.length > 1 && !matches.some((k) => graph.nodes.get(k)!.name === target)) {
    throw new MigrationError(`more than one migration matches '${target}' in app '${app}': ${matches.map((k) => graph.nodes.get(k)!.name).join(', ')}`);
  }
  const t = matches.find((k) => graph.nodes.get(k)!.name === target) ?? matches[0];
  if (applied.has(t)) {
    const later = new Set<string>();
    for (const k of own.slice(own.indexOf(t) + 1)) for (const d of dependents(graph, k)) later.add(d);
    return unapplyPlan(graph, applied, later);
  }
  const need = ancestors(graph, t);
  return graph.order.filter((k) => need.has(k) && !applied.has(k)).map((k) => ({ migration: graph.nodes.get(k)!, backwards: false }));
}

function unapplyPlan(graph: MigrationGraph, applied: Set<string>, remove: Set<string>): PlanStep[] {
  return graph.order.filter((k) => remove.has(k) && applied.has(k)).reverse().map((k) => ({ migration: graph.nodes.get(k)!, backwards: true }));
}

/** The state before a migration runs: every migration applied (or about to be) before it, in graph order. */
export function stateBefore(graph: MigrationGraph, present: Set<string>, k: string): ProjectState {
  const s = new ProjectState();
  for (const n of graph.order) {
    if (n === k) break;
    if (present.has(n)) replay(s, graph.nodes.get(n)!);
  }
  return s;
}

/** Runs a function inside the database's way of being atomic; returns the transaction to pass to queries. */
async function atomic(sequelize: Sequelize, fn: (t?: Transaction) => Promise<void>): Promise<void> {
  const dialect = sequelize.getDialect();
  if (dialect === 'postgres') {
    await sequelize.transaction(async (t) => fn(t));
  } else if (dialect === 'sqlite') {
    // Foreign keys off for table rebuilds (the pragma is ignored inside a transaction; it is set on the writer
    // connection every transaction runs on), checked before commit.
    await sequelize.query('PRAGMA foreign_keys = OFF');
    try {
      await sequelize.transaction(async (t) => {
        await fn(t);
        const broken = (await sequelize.query('PRAGMA foreign_key_check', { type: 'SELECT' as never, transaction: t })) as unknown as Array<Record<string, unknown>>;
        if (broken.length) throw new MigrationError(`foreign key check failed: ${broken.length} row(s) of ${broken[0].table} point to missing rows in ${broken[0].parent}`);
      });
    } finally {
      await sequelize.query('PRAGMA foreign_keys = ON');
    }
  } else {
    // MariaDB/MySQL commit implicitly after every schema change: a failing migration cannot be rolled back there.
    await fn(undefined);
  }
}

/**
 * Applies (or unapplies) one migration and records it, atomically on SQLite and PostgreSQL. A failure names the
 * migration and the operation, and nothing is recorded. MariaDB/MySQL cannot roll back DDL: a migration that fails
 * there midway leaves the operations before the failing one applied (the error says so).
 */
export async function runStep(sequelize: Sequelize, graph: MigrationGraph, present: Set<string>, step: PlanStep): Promise<void> {
  const m = step.migration;
  const k = key(m.app, m.name);
  const states: ProjectState[] = [stateBefore(graph, present, k)];
  m.operations.forEach((op) => {
    const next = states[states.length - 1].clone();
    operationKind(op).state(next, m.app, op);
    states.push(next);
  });
  const recorder = new MigrationRecorder(sequelize);
  await atomic(sequelize, async (transaction) => {
    const editor = new SchemaEditor(sequelize, null, transaction);
    const ctx: RunJsContext = { sequelize, queryInterface: sequelize.getQueryInterface(), transaction, app: m.app };
    const indexes = m.operations.map((_, i) => i);
    for (const i of step.backwards ? indexes.reverse() : indexes) {
      const op = m.operations[i];
      const kind = operationKind(op);
      try {
        if (step.backwards) await kind.backwards(editor, m.app, op, states[i], states[i + 1], ctx);
        else await kind.forwards(editor, m.app, op, states[i], states[i + 1], ctx);
      } catch (err) {
        const partial = sequelize.getDialect() === 'mysql' && i > 0 ? ' (MariaDB/MySQL cannot roll back schema changes: the operations before this one stay applied)' : '';
        const e = new MigrationError(`${step.backwards ? 'Unapplying' : 'Applying'} ${m.app}.${m.name} failed at operation #${i + 1} (${kind.describe(op)}): ${(err as Error).message}${partial}`);
        (e as Error & { cause?: unknown }).cause = err;
        throw e;
      }
    }
    if (step.backwards) await recorder.recordUnapplied(m.app, m.name, transaction);
    else await recorder.recordApplied(m.app, m.name, transaction);
  });
}

/** The SQL of one migration for the configured database (sqlmigrate), generated from the replayed state. */
export async function migrationSql(sequelize: Sequelize, graph: MigrationGraph, k: string, backwards = false): Promise<string[]> {
  const m = graph.nodes.get(k)!;
  const states: ProjectState[] = [stateBefore(graph, new Set(graph.order), k)];
  for (const op of m.operations) {
    const next = states[states.length - 1].clone();
    operationKind(op).state(next, m.app, op);
    states.push(next);
  }
  const out: string[] = [];
  const editor = new SchemaEditor(sequelize, out);
  const ctx: RunJsContext = { sequelize, queryInterface: sequelize.getQueryInterface(), app: m.app };
  const indexes = m.operations.map((_, i) => i);
  for (const i of backwards ? indexes.reverse() : indexes) {
    const op = m.operations[i];
    const kind = operationKind(op);
    out.push(`-- ${kind.describe(op)}`);
    if (backwards) await kind.backwards(editor, m.app, op, states[i], states[i + 1], ctx);
    else await kind.forwards(editor, m.app, op, states[i], states[i + 1], ctx);
  }
  return out;
}
