// An exact count cache on PostgreSQL, validated by the server's MVCC snapshot (the change list's and the API's totals).
import type { Sequelize } from 'sequelize';
import { unwrap } from '../conf/state';

/**
 * Why a cached count is exact when the snapshot text is unchanged.
 *
 * `pg_current_snapshot()` is (xmin, xmax, the top-level xids in progress). Every transaction that writes anything — a row,
 * a TRUNCATE, a schema change — is assigned an xid first; xids are handed out in increasing order from the cluster's next
 * xid, which is ≥ xmax. Which rows a statement sees depends only on its snapshot: a row whose writer is finished and below
 * xmin or between xmin and xmax and not in progress is judged by that writer's (final) commit status; a writer in progress
 * or at/after xmax is invisible. If the text read now equals the text read before an earlier COUNT:
 * - no transaction finished in between: a commit or an abort of an xid ≥ xmax moves xmax (it becomes the latest completed
 *   xid + 1), one of an xid < xmax removes it from the in-progress list (a subtransaction's rows follow its top-level xid,
 *   which is listed);
 * - so every xid assigned in between is still in progress and invisible, and every xid's status as the snapshot judges it
 *   is the same: the same statement sees exactly the same rows, and the count is the same number.
 * The snapshot is read BEFORE the count statement, which takes its own (later) snapshot: a commit in between only makes the
 * count newer than the stored snapshot, and since xmax never goes back, the next comparison differs and the count is run
 * again (conservative). The snapshot is cluster-wide: a write to any table of any database invalidates every entry,
 * which costs a count, never exactness.
 *
 * What the snapshot does not cover, and is therefore left out: a count inside a transaction (its own uncommitted writes
 * have no effect on the snapshot text), SQL whose result depends on the clock or is volatile (`now()`, `CURRENT_DATE`,
 * `random()`, a user's function: only known functions are accepted, see `cacheable`), and the server's state before a
 * crash or restart (a crash may lose asynchronous commits and reuse their xids, and empties unlogged tables): the cache is
 * emptied whenever the pool opens a connection, which every query after a restart needs.
 */
const SNAPSHOT_SQL = 'SELECT pg_current_snapshot()::text AS "snapshot"';
/** The counts remembered per database (the oldest stored is dropped first). */
export const MAX_CACHED_COUNTS = 500;
const OPTION = 'manoucheSnapshotCount';

interface Entry { snapshot: string; result: unknown }
interface DialectQuery { connection: unknown; run(sql: string, parameters?: unknown): Promise<unknown> }
type DialectQueryClass = new (connection: unknown, sequelize: Sequelize, options: object) => DialectQuery;

class CountCache {
  /** undefined until the server first answers `pg_current_snapshot()`; false once it failed before ever answering. */
  supported: boolean | undefined;
  readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(readonly sequelize: Sequelize) {}

  /** The snapshot text, read on the count's own connection; undefined when the server cannot tell it. */
  async snapshot(query: DialectQuery, options: { logging?: unknown; benchmark?: unknown }): Promise<string | undefined> {
    const Query = (this.sequelize as unknown as { dialect: { Query: DialectQueryClass } }).dialect.Query;
    try {
      // A query of the dialect, so that it is logged (and timed) like the count it stands for.
      const read = new Query(query.connection, this.sequelize, { logging: options.logging, benchmark: options.benchmark, type: 'SELECT', plain: true, raw: true });
      const row = await read.run(SNAPSHOT_SQL) as { snapshot?: unknown } | null;
      if (typeof row?.snapshot !== 'string') throw new Error('pg_current_snapshot() answered no text');
      this.supported = true;
      return row.snapshot;
    } catch {
      // PostgreSQL before 13 has no pg_current_snapshot(): counts are run as before, and the question is not asked again.
      // A server that did answer it before keeps the cache (the count itself will meet the same trouble, if any).
      if (this.supported !== true) this.supported = false;
      return undefined;
    }
  }

  store(key: string, snapshot: string, result: unknown): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_CACHED_COUNTS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { snapshot, result });
  }
}

const caches = new WeakMap<object, CountCache>();

/** Functions (and keywords written before a parenthesis) whose result depends only on their arguments and the rows. */
const KNOWN_CALLS = new Set([
  'count', 'distinct', 'lower', 'upper', 'coalesce', 'nullif', 'cast', 'extract', 'date_part', 'length', 'char_length',
  'trim', 'substring', 'position', 'abs', 'round', 'floor', 'ceil', 'greatest', 'least',
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'exists', 'any', 'all', 'some', 'on', 'join', 'as', 'using',
  'values', 'case', 'when', 'then', 'else', 'between', 'like', 'ilike', 'is', 'escape', 'array', 'row', 'offset', 'limit',
]);
/** SQL keywords that read the clock or the session without parentheses. */
const CLOCK_KEYWORDS = /\b(current_date|current_time|current_timestamp|localtime|localtimestamp|current_user|session_user|current_role|user)\b/i;
/** Date literals PostgreSQL reads relative to now. */
const CLOCK_LITERALS = /^\s*(now|today|tomorrow|yesterday)\s*$/i;

/**
 * True when the count's SQL answers the same on the same rows: every function is one of `KNOWN_CALLS`, no clock keyword
 * and no string the server would read as a relative date ('now', 'today'…).
 */
export function cacheable(sql: string): boolean {
  let literalIsClock = false;
  const bare = sql
    .replace(/'((?:[^']|'')*)'/g, (_, s: string) => { if (CLOCK_LITERALS.test(s)) literalIsClock = true; return "''"; })
    .replace(/"(?:[^"]|"")*"/g, '""');
  if (literalIsClock || CLOCK_KEYWORDS.test(bare)) return false;
  for (const m of bare.matchAll(/([a-z_][a-z0-9_$.]*)\s*\(/gi)) if (!KNOWN_CALLS.has(m[1].toLowerCase())) return false;
  return true;
}

/** sequelize's beforeQuery hook: a count marked by `snapshotCountOptions`, outside a transaction, goes through the cache. */
function beforeQuery(options: Record<string, unknown>, query: DialectQuery): void {
  const cache = options[OPTION];
  // options.transaction is set by now when the query joins the context's transaction (sequelize reads it before the hook).
  if (!(cache instanceof CountCache) || options.transaction || cache.supported === false) return;
  const run = query.run;
  query.run = async function snapshotCountRun(sql: string, parameters?: unknown): Promise<unknown> {
    if (!cacheable(sql)) return run.call(query, sql, parameters);
    // Read before the count: see the comment at the top.
    const snapshot = await cache.snapshot(query, options);
    if (snapshot === undefined) return run.call(query, sql, parameters);
    const key = parameters === undefined || (Array.isArray(parameters) && parameters.length === 0) ? sql : `${sql}\0${JSON.stringify(parameters)}`;
    const hit = cache.entries.get(key);
    if (hit && hit.snapshot === snapshot) { cache.hits++; return hit.result; }
    cache.misses++;
    const result = await run.call(query, sql, parameters);
    cache.store(key, snapshot, result);
    return result;
  };
}

/**
 * The options that let a count go through the snapshot-validated cache of its database: on PostgreSQL, `options` plus the
 * cache (sequelize carries it to the query, where a hook answers from the cache when the snapshot is unchanged); on other
 * databases, or once PostgreSQL said it has no `pg_current_snapshot()`, `options` as they are. For the statements whose
 * rows are only counted: the cached answer is the statement's result of last time.
 * @example await Post.count(snapshotCountOptions(Post.sequelize, { where }));
 */
export function snapshotCountOptions<T extends object>(db: Sequelize, options: T): T {
  const sequelize = unwrap(db);
  if (sequelize.getDialect() !== 'postgres') return options;
  let cache = caches.get(sequelize);
  if (!cache) {
    cache = new CountCache(sequelize);
    caches.set(sequelize, cache);
    const hooks = sequelize as unknown as { addHook(type: string, name: string, fn: (...args: any[]) => unknown): void };
    hooks.addHook('beforeQuery', 'manouche:snapshotCount', beforeQuery);
    // A new connection may follow a crash or a restart of the server: nothing counted before it is trusted after.
    const emptied = cache;
    hooks.addHook('afterConnect', 'manouche:snapshotCountReset', () => { emptied.entries.clear(); });
  }
  if (cache.supported === false) return options;
  return { ...options, [OPTION]: cache };
}

/**
 * How the count cache of a database has done (tests and benchmarks): counts answered from it, counts run, counts
 * remembered, and whether the server reads snapshots (undefined: not asked yet).
 * @example countCacheStats(db) // db, or the Sequelize instance of a model // { hits: 12, misses: 3, size: 3, supported: true }
 */
export function countCacheStats(sequelize: Sequelize): { hits: number; misses: number; size: number; supported: boolean | undefined } {
  const cache = caches.get(unwrap(sequelize));
  return { hits: cache?.hits ?? 0, misses: cache?.misses ?? 0, size: cache?.entries.size ?? 0, supported: cache?.supported };
}
