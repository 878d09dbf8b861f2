// The migration system's front: migrate(), makeMigrations(), pendingMigrations(), showMigrations(), sqlMigrate().
import fs from 'node:fs';
import path from 'node:path';
import { CommandError } from '../../conf/errors';
import { getDb } from '../connection';
import { getModelMeta, modelsOf, allModels } from '../models';
import { registerCheck, state, type CheckMessage } from '../../conf/state';
import { detectChanges, nonInteractive, orderByReferences, referencedTables, suggestName, type Questioner } from './autodetector';
import { checkConsistentHistory, makePlan, migrationSql, runStep } from './executor';
import { key, leafOf, loadGraph, migrationApps, migrationFiles, stateAt } from './loader';
import { operationKind } from './operations';
import { MigrationRecorder } from './recorder';
import { SchemaEditor } from './schema';
import { modelToState } from './state';
import { renderMigration } from './writer';

export { MigrationError } from './errors';
export { loadGraph } from './loader';

type Out = { write(s: string): void };
const silent: Out = { write() {} };
const style = (s: string) => s;

export interface MigrateOptions {
  app?: string;
  target?: string;
  /** No output (tests, the test database). */
  quiet?: boolean;
  stdout?: Out;
  success?: (s: string) => string;
  warning?: (s: string) => string;
  /** Create the tables of apps that have models but no migration files (the test database does this). */
  syncUnmigrated?: boolean;
}

/**
 * Applies every unapplied migration (or moves one app to a target: a name, a prefix like '0001', or 'zero'),
 * then runs the post-migrate hooks. Prints Django's "Applying blog.0001_initial... OK" lines.
 * @example await migrate({ app: 'blog', target: '0001' })
 */
export async function migrate(opts: MigrateOptions = {}): Promise<void> {
  const out = opts.quiet ? silent : opts.stdout ?? process.stdout;
  const ok = opts.success ?? style;
  const warn = opts.warning ?? style;
  const sequelize = getDb();
  const graph = loadGraph();
  const recorder = new MigrationRecorder(sequelize);
  await recorder.ensureTable();
  const applied = await recorder.applied();
  checkConsistentHistory(graph, applied);
  const plan = makePlan(graph, applied, opts.app, opts.target);
  out.write('Operations to perform:\n');
  if (opts.target !== undefined && opts.app) out.write(`  Target specific migration: ${opts.target === 'zero' ? 'zero' : opts.target}, from ${opts.app}\n`);
  else out.write(`  Apply all migrations: ${(opts.app ? [opts.app] : graph.apps).join(', ') || '(none)'}\n`);
  out.write('Running migrations:\n');
  if (plan.length === 0) out.write('  No migrations to apply.\n');
  const present = new Set(applied);
  for (const step of plan) {
    const m = step.migration;
    const k = key(m.app, m.name);
    if (!step.backwards) {
      const stateBeforeIt = stateAt(graph, new Set([...present].filter((x) => x !== k)));
      const losses = m.operations.map((op) => operationKind(op).loss?.(op, stateBeforeIt, m.app)).filter(Boolean);
      for (const l of losses) out.write(warn(`  Warning: ${m.app}.${m.name} ${l}.\n`));
    }
    out.write(`  ${step.backwards ? 'Unapplying' : 'Applying'} ${m.app}.${m.name}...`);
    try {
      await runStep(sequelize, graph, present, step);
    } catch (err) {
      out.write(' FAILED\n');
      throw err;
    }
    if (step.backwards) present.delete(k);
    else present.add(k);
    out.write(` ${ok('OK')}\n`);
  }
  // After the migrations, unlike Django: an app without migration files routinely points at auth_user, which
  // PostgreSQL and MariaDB need to exist before a table can reference it (framework apps never point back).
  if (opts.syncUnmigrated) await syncUnmigrated(graph.apps, out);
  if (!opts.quiet && !opts.target) await warnAboutModelChanges(graph, out, warn);
  for (const hook of state.postMigrate) await hook({ quiet: Boolean(opts.quiet) });
}

/** Django's reminder after migrate: the models changed since the last migration, so migrate did not apply that. */
async function warnAboutModelChanges(graph: ReturnType<typeof loadGraph>, out: Out, warn: (s: string) => string): Promise<void> {
  const app = state.appLabel;
  const ops = await detectChanges(app, stateAt(graph), modelsOf(app).map((m) => modelToState(app, m)), nonInteractive(() => undefined, false));
  if (!ops.length) return;
  out.write(warn(`  Your models in app(s): '${app}' have changes that are not yet reflected in a migration, and so won't be applied.\n`));
  out.write(warn("  Run 'node app.js makemigrations' to make new migrations, and then re-run 'node app.js migrate' to apply them.\n"));
}

/** Creates the tables of models whose app has no migrations (tests only: real apps run makemigrations). */
async function syncUnmigrated(migratedApps: string[], out: Out): Promise<void> {
  const models = allModels().filter((m) => !migratedApps.includes(getModelMeta(m).appLabel));
  if (!models.length) return;
  out.write(`  Synchronize unmigrated apps: ${[...new Set(models.map((m) => getModelMeta(m).appLabel))].join(', ')}\n`);
  const editor = new SchemaEditor(getDb(), null);
  const qi = getDb().getQueryInterface();
  for (const ms of orderByReferences(models.map((m) => modelToState(getModelMeta(m).appLabel, m)))) {
    if (!(await qi.tableExists(ms.table))) await editor.createTable(ms);
  }
}

/** The migrations not applied yet (runserver and `check` warn about them). @example (await pendingMigrations()).length */
export async function pendingMigrations(): Promise<Array<{ app: string; name: string }>> {
  const graph = loadGraph();
  // No migration anywhere: nothing is pending, and the database is not opened (the hello app makes no db.sqlite3).
  if (!graph.order.length) return [];
  const applied = await new MigrationRecorder(getDb()).applied();
  return graph.order.filter((k) => !applied.has(k)).map((k) => ({ app: graph.nodes.get(k)!.app, name: graph.nodes.get(k)!.name }));
}

/** `[X] 0001_initial` lines grouped by app label, as `showmigrations` prints them. */
export async function showMigrations(): Promise<string> {
  const graph = loadGraph();
  const applied = await new MigrationRecorder(getDb()).applied();
  const lines: string[] = [];
  for (const { label } of migrationApps()) {
    lines.push(label);
    const own = graph.order.filter((k) => graph.nodes.get(k)!.app === label).sort();
    if (!own.length) lines.push(' (no migrations)');
    for (const k of own) lines.push(` [${applied.has(k) ? 'X' : ' '}] ${graph.nodes.get(k)!.name}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The SQL a migration runs (or, backwards, unruns) on the configured database. */
export async function sqlMigrate(app: string, name: string, backwards = false): Promise<string> {
  const graph = loadGraph();
  const matches = graph.order.filter((k) => graph.nodes.get(k)!.app === app && graph.nodes.get(k)!.name.startsWith(name));
  if (!graph.apps.includes(app) && !migrationApps().some((a) => a.label === app)) throw new CommandError(`App '${app}' does not have migrations.`);
  if (matches.length !== 1) {
    const exact = matches.find((k) => graph.nodes.get(k)!.name === name);
    if (!exact) throw new CommandError(matches.length ? `More than one migration matches '${name}' in app '${app}'. Please be more specific.` : `Cannot find a migration matching '${name}' from app '${app}'.`);
    matches.splice(0, matches.length, exact);
  }
  const sql = await migrationSql(getDb(), graph, matches[0], backwards);
  return `${sql.join('\n')}\n`;
}

export interface MakeMigrationsOptions {
  name?: string;
  check?: boolean;
  dryRun?: boolean;
  empty?: boolean;
  /** Apps to diff; by default the project's own app (framework apps ship their migrations). */
  apps?: string[];
  stdout?: Out;
  questioner?: Questioner;
}

/**
 * Diffs the models against the replayed migrations and writes the next migration file per app.
 * Returns the exit code: 1 with --check when a migration is missing, else 0.
 * @example await makeMigrations({ name: 'add_slug' })
 */
export async function makeMigrations(opts: MakeMigrationsOptions = {}): Promise<number> {
  const out = opts.stdout ?? process.stdout;
  const q = opts.questioner ?? nonInteractive((m) => out.write(`${m}\n`), !opts.check);
  const graph = loadGraph();
  const from = stateAt(graph);
  const apps = opts.apps ?? [state.appLabel];
  let changed = false;
  for (const app of apps) {
    const dirEntry = migrationApps().find((a) => a.label === app);
    if (!dirEntry) throw new CommandError(`App '${app}' could not be found. Is it in configure()?`);
    const ops = opts.empty ? [] : await detectChanges(app, from, modelsOf(app).map((m) => modelToState(app, m)), q);
    if (!ops.length && !opts.empty) continue;
    changed = true;
    const leaf = leafOf(graph, app);
    const dependencies: Array<[string, string]> = leaf ? [[app, leaf]] : [];
    for (const table of referencedTables(ops)) {
      const owner = [...from.models.values()].find((m) => m.table === table)?.app;
      const ownerLeaf = owner && owner !== app ? leafOf(graph, owner) : undefined;
      if (ownerLeaf && !dependencies.some(([a]) => a === owner)) dependencies.push([owner!, ownerLeaf]);
    }
    const files = migrationFiles(dirEntry.dir);
    const number = files.length ? Number(files[files.length - 1].slice(0, 4)) + 1 : 1;
    const label = opts.name ?? (opts.empty ? 'custom' : suggestName(ops, !leaf));
    if (!/^[A-Za-z0-9_]+$/.test(label)) throw new CommandError(`The migration name must be letters, digits and _ (got '${label}').`);
    const file = path.join(dirEntry.dir, `${String(number).padStart(4, '0')}_${label}.js`);
    const descriptions = ops.map((op) => operationKind(op).describe(op));
    const losses = ops.map((op) => operationKind(op).loss?.(op, from, app)).filter((l): l is string => Boolean(l));
    out.write(`Migrations for '${app}':\n  ${path.relative(process.cwd(), file) || file}\n`);
    for (const d of descriptions) out.write(`    - ${d}\n`);
    for (const l of losses) out.write(`    ! this migration ${l}\n`);
    if (opts.check || opts.dryRun) continue;
    fs.mkdirSync(dirEntry.dir, { recursive: true });
    fs.writeFileSync(file, renderMigration({ app, dependencies, operations: ops, descriptions, losses, dir: dirEntry.dir }));
  }
  if (!changed) out.write(`No changes detected${apps.length === 1 ? ` in app '${apps[0]}'` : ''}\n`);
  return opts.check && changed ? 1 : 0;
}

/** Registers the `check` warning about unapplied migrations (runserver prints its own, as Django does). */
/** migrations.W001 (unapplied migrations) and E001 (unreadable ones): the check configure() registers. */
export async function migrationChecks(): Promise<CheckMessage[]> {
  try {
    const pending = await pendingMigrations();
    if (!pending.length) return [];
    const apps = [...new Set(pending.map((p) => p.app))].join(', ');
    return [{ level: 'warning', id: 'migrations.W001', msg: `You have ${pending.length} unapplied migration(s) for app(s): ${apps}.`, hint: "Run 'node app.js migrate' to apply them." }];
  } catch (err) {
    return [{ level: 'error', id: 'migrations.E001', msg: `Cannot read the migrations: ${(err as Error).message}` }];
  }
}
