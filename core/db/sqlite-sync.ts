// sqlite3's callback API, the one sequelize drives, over the synchronous DatabaseSync of node:sqlite's API (as shipped
// prebuilt by @photostructure/sqlite): SQLite without a compile, the same answers as sqlite3.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';

/** The part of node:sqlite's StatementSync used here. */
export interface SyncStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  all(...params: unknown[]): Array<Record<string, unknown>>;
  setReadBigInts(readBigInts: boolean): void;
}

/** The part of node:sqlite's DatabaseSync used here. */
export interface SyncDatabase {
  prepare(sql: string): SyncStatement;
  exec(sql: string): void;
  close(): void;
}

/** node:sqlite's DatabaseSync constructor (or a module with the same API). */
export type SyncDatabaseClass = new (location: string, options?: {
  readOnly?: boolean; timeout?: number; enableForeignKeyConstraints?: boolean; enableDoubleQuotedStringLiterals?: boolean;
}) => SyncDatabase;

type Callback = (this: unknown, err: Error | null, result?: unknown) => void;

// sqlite3's open flags (SQLite's own values).
const OPEN_READONLY = 0x1;
const OPEN_READWRITE = 0x2;
const OPEN_CREATE = 0x4;

/** SQLite's primary result codes by number, for errors shaped like sqlite3's (`code: 'SQLITE_CONSTRAINT'`). */
const CODES = ['OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR',
  'CORRUPT', 'NOTFOUND', 'FULL', 'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE',
  'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB'];

/** Prepared statements kept per connection; sequelize inlines most values, so the cache only needs to be small. */
const STATEMENT_CACHE = 100;
/** The busy wait happens here, between turns of the event loop, never inside SQLite (which would block the process). */
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 50;

/** sqlite3's Statement: what `run`'s callback gets as `this` (sequelize reads lastID and changes, and the class name). */
class Statement {
  constructor(readonly sql: string, readonly lastID: number, readonly changes: number) {}
}

/** SQLite's own text for a primary result code (sqlite3_errstr), for errors that arrive without their code. */
const TEXTS: Record<string, number> = {
  'database is locked': 5, 'database table is locked': 6, 'out of memory': 7, 'attempt to write a readonly database': 8,
  interrupted: 9, 'disk I/O error': 10, 'database disk image is malformed': 11, 'database or disk is full': 13,
  'unable to open database file': 14, 'database schema has changed': 17, 'string or blob too big': 18,
  'datatype mismatch': 20, 'bad parameter or other API misuse': 21, 'file is not a database': 26,
};

/** The result code of a driver error: its own when it has one, else read off the message (some paths omit it). */
function resultCode(e: Error & { errcode?: number; code?: string }): number | undefined {
  if (typeof e.errcode === 'number') return e.errcode;
  if (e.code !== 'ERR_SQLITE_ERROR') return undefined;
  return TEXTS[e.message] ?? (/constraint failed/i.test(e.message) ? 19 : 1);
}

/** An sqlite3-shaped error: `code` is the primary result code's name and the message starts with it, as sqlite3's do. */
function sqliteError(err: unknown, sql?: string): Error {
  const e = err as Error & { errcode?: number; code?: string; errno?: number };
  const extended = resultCode(e ?? {});
  if (extended === undefined) {
    const wrapped = new Error(`SQLITE_MISMATCH: ${e?.message ?? String(err)}`) as Error & { code: string; errno: number; sql?: string };
    wrapped.code = 'SQLITE_MISMATCH';
    wrapped.errno = 20;
    if (sql) wrapped.sql = sql;
    return wrapped;
  }
  const primary = extended & 0xff;
  const code = `SQLITE_${CODES[primary] ?? 'ERROR'}`;
  const out = new Error(`${code}: ${e.message}`) as Error & { code: string; errno: number; extendedCode: number; sql?: string };
  out.code = code;
  out.errno = primary;
  out.extendedCode = extended;
  if (sql) out.sql = sql;
  return out;
}

const isBusy = (err: Error & { errno?: number }): boolean => err.errno === 5 || err.errno === 6;

/** sqlite3 binds booleans as 1/0, undefined as NULL and a Date as its milliseconds; node:sqlite refuses those. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value;
}

/** The parameters of an sqlite3 call: `(sql, [a, b], cb)`, `(sql, { $a: 1 }, cb)`, `(sql, a, b, cb)` or `(sql, cb)`. */
function splitArgs(args: unknown[]): { params: unknown[]; callback?: Callback } {
  const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined;
  if (args.length === 1 && Array.isArray(args[0])) return { params: args[0].map(bindable), callback };
  if (args.length === 1 && args[0] !== null && typeof args[0] === 'object' && !(args[0] instanceof Date) && !ArrayBuffer.isView(args[0])) {
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args[0] as Record<string, unknown>)) named[key] = bindable(value);
    return { params: [named], callback };
  }
  return { params: args.map(bindable), callback };
}

/** A row as sqlite3 gives it: a plain object, BLOBs as Buffers. */
function plainRow(row: Record<string, unknown>, bigints: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    let value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) value = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    // Read again as BigInts because one integer was past 2^53: exact digits where a number would round.
    else if (bigints && typeof value === 'bigint') value = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    out[key] = value;
  }
  return out;
}

const TOO_LARGE = /too large to be represented/i;
const READ_ONLY = /^\s*(SELECT|PRAGMA|EXPLAIN)\b/i;

/**
 * Builds an sqlite3-compatible module (Database, Statement, OPEN_* flags) over a DatabaseSync class. Differences from
 * sqlite3 a user could see: none intended. Statements run on the calling thread (they are short on an embedded
 * database); a statement that meets another process's lock is retried between turns of the event loop until the busy
 * timeout, so the process keeps serving while it waits; integers past 2^53 read as exact digit strings, not rounded.
 */
export function sqlite3Api(DatabaseSync: SyncDatabaseClass): Sqlite3Module {
  class Database extends SqliteDatabase {
    constructor(filename: string, mode?: number | Callback, callback?: Callback) {
      super(DatabaseSync, filename, mode, callback);
    }
  }
  return { Database, Statement, OPEN_READONLY, OPEN_READWRITE, OPEN_CREATE, verbose() { return this; } };
}

/** The module sequelize is handed as its dialectModule. */
export interface Sqlite3Module {
  Database: new (filename: string, mode?: number | Callback, callback?: Callback) => SqliteDatabase;
  Statement: typeof Statement;
  OPEN_READONLY: number;
  OPEN_READWRITE: number;
  OPEN_CREATE: number;
  verbose(): Sqlite3Module;
}

/** One connection with sqlite3's Database API. */
export class SqliteDatabase extends EventEmitter {
  readonly filename: string;
  open = false;
  private db?: SyncDatabase;
  private readonly statements = new Map<string, SyncStatement>();
  private busyTimeoutMs = 0;
  /** Calls that arrived while an earlier one waits for a lock: they run after it, in order, as in sqlite3. */
  private readonly queue: Array<() => void> = [];
  private waiting = false;

  constructor(DatabaseSync: SyncDatabaseClass, filename: string, mode?: number | Callback, callback?: Callback) {
    super();
    if (typeof mode === 'function') [callback, mode] = [mode, undefined];
    const flags = mode ?? OPEN_READWRITE | OPEN_CREATE;
    this.filename = filename;
    let error: Error | null = null;
    try {
      const memory = filename === ':memory:' || filename === '';
      if (!memory && !(flags & OPEN_CREATE) && !fs.existsSync(filename)) {
        throw Object.assign(new Error('unable to open database file'), { errcode: 14 });
      }
      this.db = new DatabaseSync(memory ? ':memory:' : filename, {
        readOnly: !(flags & OPEN_READWRITE),
        // sqlite3's defaults: foreign keys off until `PRAGMA foreign_keys = ON` (sequelize sends it), "strings" allowed.
        enableForeignKeyConstraints: false,
        enableDoubleQuotedStringLiterals: true,
      });
      this.open = true;
    } catch (err) {
      error = sqliteError(err);
    }
    this.settle(callback, error, 'open');
  }

  /** sqlite3's `configure('busyTimeout', ms)`: how long a statement waits for another process's lock. */
  configure(option: string, value: number): void {
    if (option === 'busyTimeout') this.busyTimeoutMs = Number(value) || 0;
  }

  serialize(callback?: () => void): void {
    if (callback) callback();
  }

  run(sql: string, ...args: unknown[]): this {
    const { params, callback } = splitArgs(args);
    this.schedule(sql, callback, () => {
      const stmt = this.prepare(sql);
      // BigInts so that a rowid past 2^53 cannot fail the call after the write was made.
      stmt.setReadBigInts(true);
      const { changes, lastInsertRowid } = stmt.run(...params);
      return new Statement(sql, Number(lastInsertRowid), Number(changes));
    }, true);
    return this;
  }

  all(sql: string, ...args: unknown[]): this {
    const { params, callback } = splitArgs(args);
    this.schedule(sql, callback, () => this.rows(sql, params));
    return this;
  }

  get(sql: string, ...args: unknown[]): this {
    const { params, callback } = splitArgs(args);
    this.schedule(sql, callback, () => this.rows(sql, params)[0]);
    return this;
  }

  exec(sql: string, callback?: Callback): this {
    this.schedule(sql, callback, () => {
      this.connection().exec(sql);
      return undefined;
    });
    return this;
  }

  close(callback?: Callback): void {
    let error: Error | null = null;
    try {
      this.statements.clear();
      this.connection().close();
      this.open = false;
    } catch (err) {
      error = sqliteError(err);
    }
    this.settle(callback, error, 'close');
  }

  /** Answers an open or a close as sqlite3 does: the callback (or an 'error' event), then the event, after this call returns. */
  private settle(callback: Callback | undefined, error: Error | null, event: 'open' | 'close'): void {
    process.nextTick(() => {
      if (callback) callback.call(this, error);
      else if (error) this.emit('error', error);
      if (!error) this.emit(event);
    });
  }

  private connection(): SyncDatabase {
    if (!this.db || !this.open) throw Object.assign(new Error('Database is closed'), { errcode: 21 });
    return this.db;
  }

  private prepare(sql: string): SyncStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.connection().prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private rows(sql: string, params: unknown[]): Array<Record<string, unknown>> {
    const stmt = this.prepare(sql);
    stmt.setReadBigInts(false);
    try {
      return stmt.all(...params).map((row) => plainRow(row, false));
    } catch (err) {
      if (!TOO_LARGE.test((err as Error).message) || !READ_ONLY.test(sql)) throw err;
      stmt.setReadBigInts(true);
      return stmt.all(...params).map((row) => plainRow(row, true));
    }
  }

  /** Runs `work` now (or after the calls queued before it), retrying on SQLITE_BUSY; answers through the callback. */
  private schedule(sql: string, callback: Callback | undefined, work: () => unknown, statementThis = false): void {
    const started = Date.now();
    let delay = RETRY_FIRST_MS;
    const attempt = (): void => {
      let result: unknown;
      let error: (Error & { errno?: number }) | null = null;
      try {
        result = work();
      } catch (err) {
        error = sqliteError(err, sql);
      }
      if (error && isBusy(error) && Date.now() - started < this.busyTimeoutMs) {
        this.waiting = true;
        setTimeout(attempt, Math.min(delay, Math.max(1, this.busyTimeoutMs - (Date.now() - started))));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        return;
      }
      this.waiting = false;
      const self = statementThis && !error ? result : new Statement(sql, 0, 0);
      // The answer comes on the next turn of the event loop, as sqlite3's did from its thread pool: a handler awaiting
      // query after query (an import, an action on 500 rows) lets other requests, timers and I/O run between them.
      // Answered with process.nextTick, such a loop never yielded and froze the server until it ended.
      setImmediate(() => {
        if (callback) callback.call(self, error, statementThis ? undefined : result);
        else if (error) this.emit('error', error);
      });
      while (!this.waiting && this.queue.length) (this.queue.shift() as () => void)();
    };
    if (this.waiting) this.queue.push(attempt);
    else attempt();
  }
}
