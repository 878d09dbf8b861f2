// SQLite under concurrent writers: one writer at a time per process, queued in JS; reads beside it (WAL); a clear error on timeout.
import type { Sequelize } from 'sequelize';
import { ManoucheError } from '../conf/errors';
import { activeTransaction } from './context';
import { WriteLock } from './write-lock';

/** The key of the one connection every write of this process goes through (sequelize keys SQLite connections by uuid). */
const WRITER = 'manouche-writer';

/** What the driver's connection object must offer: sqlite3's Database API. */
interface DriverConnection {
  configure(option: 'busyTimeout', ms: number): void;
  run(sql: string, callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  uuid?: string;
}

/** The database is locked by another process for longer than the busy timeout (or this process's queue is that long). */
export class DatabaseLocked extends ManoucheError {
  /** Seconds a client may wait before trying again (the 503's Retry-After). */
  readonly retryAfter: number;
  constructor(detail: string) {
    super('E_DB_LOCKED', { detail });
    this.retryAfter = 1;
  }
}

/**
 * Makes a SQLite Sequelize instance take concurrent writers the way its users expect:
 * - every transaction and every write outside one waits its turn on an in-process queue (a JS promise, not
 *   SQLite's busy handler, which sleeps on one of libuv's four threads and can starve the lock holder of them),
 *   then runs on one writer connection with `BEGIN IMMEDIATE`; other processes wait in the busy timeout;
 * - queries made inside `db.transaction(async () => …)` join it without `{ transaction }` (the async context carries
 *   it), and `db.transaction()` inside one becomes a savepoint, instead of waiting on a lock the process holds;
 * - reads outside a transaction use their own connection, beside the writer (WAL); a file has two handles per process;
 * - a wait longer than `busyTimeoutMs` fails with E_DB_LOCKED (503) and leaves the database usable.
 */
export function installSqliteStrategy(sequelize: Sequelize, { file, busyTimeoutMs }: { file: boolean; busyTimeoutMs: number }): void {
  const lock = new WriteLock(busyTimeoutMs, (waited) => new DatabaseLocked(`this process waited ${waited / 1000}s for its turn to write`
    + ' (a transaction is taking that long, or a write is waiting on a transaction opened without a callback: use db.transaction(async () => …) or pass { transaction }).'));
  routeConnections(sequelize, file, busyTimeoutMs);
  skipRollbackOfUnbegun(sequelize);
  queueTransactions(sequelize, lock);
  queueWrites(sequelize, lock, file);
}

/** Transactions and queued writes share the writer connection; it stays open between them (no handle per transaction). */
function routeConnections(sequelize: Sequelize, file: boolean, busyTimeoutMs: number): void {
  const cm = (sequelize as any).connectionManager;
  const get = cm.getConnection.bind(cm);
  const release = cm.releaseConnection.bind(cm);
  const tuned = new WeakSet<object>();
  cm.getConnection = async (options: { uuid?: string } = {}) => {
    if (file && options.uuid && options.uuid !== 'default') options.uuid = WRITER;
    const conn: DriverConnection = await get(options);
    if (!tuned.has(conn)) {
      tuned.add(conn);
      conn.configure('busyTimeout', busyTimeoutMs);
      if (file) {
        await run(conn, 'PRAGMA journal_mode=WAL');
        // What Rails and most SQLite servers use with WAL: durable across a crash of the process (the kill -9 case), only
        // the last transactions may be lost on power failure; no fsync per commit.
        await run(conn, 'PRAGMA synchronous=NORMAL');
        // Reads through a memory map of the file (128 MB, as Rails does) instead of copying pages into each connection's
        // 2 MB page cache: a scan bigger than that cache (an OFFSET walking 50,000 keys) re-read its pages from the
        // kernel on every request (2.8 ms against 0.45 ms for that walk). Writes still go through the journal.
        await run(conn, 'PRAGMA mmap_size=134217728');
      }
    }
    return conn;
  };
  cm.releaseConnection = (conn: DriverConnection, force?: boolean) => {
    if (conn === cm.connections[WRITER] && !force) return;
    return release(conn, force);
  };
  // After a failed rollback sequelize destroys the connection: close the writer, the next write opens a fresh one.
  cm.destroyConnection = async (conn: DriverConnection) => {
    for (const [key, c] of Object.entries(cm.connections)) if (c === conn) delete cm.connections[key];
    await new Promise<void>((resolve) => conn.close(() => resolve()));
  };
}

/**
 * A BEGIN IMMEDIATE that timed out leaves no transaction: sequelize would still roll it back, fail ("no transaction is
 * active"), warn, and destroy the connection. Nothing began, so there is nothing to roll back.
 */
function skipRollbackOfUnbegun(sequelize: Sequelize): void {
  const qi = sequelize.getQueryInterface() as any;
  const start = qi.startTransaction.bind(qi);
  const rollback = qi.rollbackTransaction.bind(qi);
  const unbegun = new WeakSet<object>();
  qi.startTransaction = async (transaction: object, options: unknown) => {
    try {
      return await start(transaction, options);
    } catch (err) {
      unbegun.add(transaction);
      throw err;
    }
  };
  qi.rollbackTransaction = async (transaction: object, options: unknown) => (unbegun.has(transaction) ? undefined : rollback(transaction, options));
}

function run(conn: DriverConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => conn.run(sql, (err) => (err ? reject(err) : resolve())));
}

function queueTransactions(sequelize: Sequelize, lock: WriteLock): void {
  const begin = sequelize.transaction.bind(sequelize) as (...args: any[]) => Promise<any>;
  (sequelize as any).transaction = (optionsOrFn?: any, maybeFn?: any) => {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    const options = { ...(typeof optionsOrFn === 'function' ? {} : optionsOrFn ?? {}) };
    // Nested in a transaction of this context: a savepoint (a second one would wait for the first forever).
    if (options.transaction === undefined) options.transaction = activeTransaction(sequelize);
    if (options.transaction) return fn ? begin(options, fn) : begin(options);
    const started = lock.acquire().then(async (release) => {
      if (fn) return begin(options, fn).finally(release);
      let t: any;
      try {
        t = await begin(options);
      } catch (err) {
        release();
        throw err;
      }
      for (const end of ['commit', 'rollback'] as const) {
        const original = t[end].bind(t);
        t[end] = async () => { try { return await original(); } finally { release(); } };
      }
      return t;
    });
    return started.catch(explainBusy);
  };
}

/** Writes outside a transaction take their turn like transactions do, on the writer; reads go straight through. */
function queueWrites(sequelize: Sequelize, lock: WriteLock, file: boolean): void {
  const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: any) => Promise<any>;
  (sequelize as any).query = (sql: unknown, options?: any) => {
    // sequelize's SQLite dialect runs `PRAGMA table_info` for each table a SELECT names, to type the columns of
    // model rows; a raw SELECT (rows(), countRows(), findAll({ raw: true })) never reads those types: skip it.
    const o = options?.raw ? { ...options, tableNames: [] } : options ?? {};
    if (o.transaction) return query(sql, o).catch(explainBusy);
    const t = o.transaction === undefined ? activeTransaction(sequelize) : undefined;
    if (t) return query(sql, { ...o, transaction: t }).catch(explainBusy);
    if (!isWrite(sql)) return query(sql, { ...o, transaction: null }).catch(explainBusy);
    return lock.acquire()
      .then((release) => query(sql, { ...o, transaction: null, ...(file ? { uuid: WRITER } : {}) }).finally(release))
      .catch(explainBusy);
  };
}

const READ = /^\s*(SELECT\b|EXPLAIN\b|PRAGMA\s+[\w.]+\s*(\(|;|$))/i;

/** True unless the statement only reads (SELECT, EXPLAIN, a PRAGMA that sets nothing). */
export function isWrite(sql: unknown): boolean {
  const text = typeof sql === 'string' ? sql : String((sql as { query?: unknown })?.query ?? '');
  return !READ.test(text);
}

/** SQLITE_BUSY from the driver (another process held the lock past the busy timeout) becomes E_DB_LOCKED. */
function explainBusy(err: unknown): never {
  const e = err as Error & { parent?: Error; original?: Error };
  const text = `${e?.message ?? ''} ${e?.parent?.message ?? ''} ${e?.original?.message ?? ''}`;
  if (!(err instanceof DatabaseLocked) && /SQLITE_BUSY|database is locked/.test(text)) {
    const locked = new DatabaseLocked('another process held the write lock for longer than the busy timeout (DATABASE_BUSY_TIMEOUT).');
    (locked as Error & { cause?: unknown }).cause = err;
    throw locked;
  }
  throw err;
}
