// The app's one Sequelize instance: opened from DATABASE_URL, tuned per database, pointed at the test database in tests.
import path from 'node:path';
import type { Sequelize, Options } from 'sequelize';
import { ImproperlyConfigured } from '../conf/errors';
import { maskUrlPassword } from '../conf/settings';
import { registerCheck, type AppState } from '../conf/state';
import { reportStartupError } from '../conf/configure';

export type Vendor = 'sqlite' | 'postgres' | 'mysql' | 'mariadb';

/** What a DATABASE_URL says: the vendor, and either a SQLite file (or ':memory:') or a server database. */
export interface DatabaseConfig {
  vendor: Vendor;
  url: string;
  storage?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  database?: string;
}

let current: Sequelize | undefined;
let currentConfig: DatabaseConfig | undefined;
/** Opens the configured database on first use (set by initDatabase): an app without models never loads sequelize. */
let opener: (() => Sequelize) | undefined;

/**
 * Parses a DATABASE_URL. Relative SQLite paths are resolved against the app directory.
 * @example parseDatabaseUrl('sqlite:db.sqlite3', '/srv/blog') // { vendor: 'sqlite', storage: '/srv/blog/db.sqlite3', … }
 */
export function parseDatabaseUrl(url: string, baseDir = process.cwd()): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    let rest = url.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === '' || rest === ':memory:' || rest === '/:memory:') return { vendor: 'sqlite', url, storage: ':memory:' };
    return { vendor: 'sqlite', url, storage: path.resolve(baseDir, rest) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImproperlyConfigured('', 'E_BAD_SETTING', { name: 'DATABASE_URL', detail: `cannot parse ${maskUrlPassword(url)}` });
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  const vendor: Vendor = scheme === 'postgresql' || scheme === 'postgres' ? 'postgres' : scheme === 'mariadb' ? 'mariadb' : 'mysql';
  return {
    vendor,
    url,
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : vendor === 'postgres' ? 5432 : 3306,
    username: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
  };
}

/**
 * Opens a Sequelize instance for a parsed URL (nothing connects until the first query). Queries made inside
 * `db.transaction(async () => …)` join it on every database (an async context carries it). SQLite gets WAL, a busy
 * timeout and one queued writer per process (core/db/sqlite.ts); every connection error names the URL (password
 * masked) and the cause.
 * @example openDatabase(parseDatabaseUrl('sqlite:db.sqlite3'), { busyTimeoutMs: 15000 })
 */
export function openDatabase(config: DatabaseConfig, { busyTimeoutMs = 15000 } = {}): Sequelize {
  // What opening needs loads here, not with this module: configure() loads it to check DATABASE_URL, and an app
  // without models never opens a database.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { useTransactionContext } = require('./context') as typeof import('./context');
  const { sqliteDriver } = require('./sqlite-driver') as typeof import('./sqlite-driver');
  const { installSqliteStrategy } = require('./sqlite') as typeof import('./sqlite');
  const { Sequelize } = require('sequelize') as typeof import('sequelize');
  /* eslint-enable @typescript-eslint/no-require-imports */
  useTransactionContext();
  const common: Options = { logging: false, define: { timestamps: true } };
  let sequelize: Sequelize;
  if (config.vendor === 'sqlite') {
    sequelize = new Sequelize({ ...common, dialect: 'sqlite', dialectModule: sqliteDriver(), storage: config.storage, transactionType: 'IMMEDIATE' as never });
    installSqliteStrategy(sequelize, { file: config.storage !== ':memory:', busyTimeoutMs });
  } else {
    sequelize = new Sequelize({
      ...common,
      // mysql2 speaks to MariaDB too; one driver fewer to install.
      dialect: config.vendor === 'postgres' ? 'postgres' : 'mysql',
      dialectModule: serverDriver(config),
      host: config.host,
      port: config.port,
      username: config.username,
      password: config.password,
      database: config.database,
      pool: { max: 5, min: 0, idle: 10000 },
    });
  }
  explainConnectionErrors(sequelize, config.url);
  return sequelize;
}

// pg and mysql2 are optional peer dependencies: a URL that needs a missing one stops here, naming `npm install …`.
function serverDriver(config: DatabaseConfig): object {
  const setting = `DATABASE_URL ${maskUrlPassword(config.url)}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadDrivers } = require('../conf/drivers') as typeof import('../conf/drivers');
  return config.vendor === 'postgres' ? loadDrivers('postgres', setting).pg : loadDrivers('mysql', setting).mysql2;
}

function explainConnectionErrors(sequelize: Sequelize, url: string): void {
  const cm = (sequelize as any).connectionManager;
  const original = cm.getConnection.bind(cm);
  cm.getConnection = async (options: unknown) => {
    try {
      return await original(options);
    } catch (err) {
      const e = err as Error & { original?: Error; parent?: Error };
      if (!/Connection|HostNotFound|AccessDenied|InvalidConnection/.test(e.name) && !/SQLITE_CANTOPEN/.test(e.message)) throw err;
      const cause = (e.original ?? e.parent ?? e).message || e.message;
      const wrapped = new ImproperlyConfigured('', 'E_DB_CONNECTION', { url: maskUrlPassword(url), cause });
      (wrapped as Error & { cause?: unknown }).cause = err;
      throw wrapped;
    }
  };
}

/** True when some app (the project's or a switched-on battery's) has a migration file. */
function hasMigrationFiles(app: AppState): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { migrationFiles } = require('./migrations/loader') as typeof import('./migrations/loader');
  return app.migrationsApps.some((a) => migrationFiles(a.dir).length > 0);
}

/** The server database the tests use: `test_<name>` (plus the pid when node's test runner runs files side by side). */
export function testDatabaseName(config: DatabaseConfig): string {
  const suffix = process.env.NODE_TEST_CONTEXT ? `_${process.pid}` : '';
  return `test_${config.database ?? 'manouche'}${suffix}`;
}

/** Runs one statement against the server's maintenance database (to create or drop the test database). */
async function adminQuery(config: DatabaseConfig, sql: string): Promise<void> {
  const admin = openDatabase({ ...config, database: config.vendor === 'postgres' ? 'postgres' : undefined });
  try {
    await admin.query(sql);
  } finally {
    await admin.close();
  }
}

const openHooks: Array<(sequelize: Sequelize) => void> = [];

/**
 * Runs `hook` on the app's Sequelize instance when it opens (at once when it is already open). models.ts installs its
 * define hooks this way, so the connection never imports the layer built on it.
 * @example onDatabaseOpened((sequelize) => sequelize.addHook('beforeDefine', …));
 */
export function onDatabaseOpened(hook: (sequelize: Sequelize) => void): void {
  openHooks.push(hook);
  if (current) hook(current);
}

const readyHooks: Array<(sequelize: Sequelize) => void> = [];
const replacedHooks: Array<() => void> = [];

// The models waiting for the database (core/db/deferred.ts), loaded by the first model(): an app without models never loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deferred = (): typeof import('./deferred') => require('./deferred');

/** Runs `hook` each time configure() replaces the database: models.ts forgets the models that waited for the old one. */
export function onDatabaseReplaced(hook: () => void): void {
  replacedHooks.push(hook);
}

/**
 * Runs `hook` each time the app's database has opened and is the one getDb() returns: models.ts defines there the
 * models the app defined before (core/db/deferred.ts).
 */
export function onDatabaseReady(hook: (sequelize: Sequelize) => void): void {
  readyHooks.push(hook);
}

/** The app's Sequelize instance; throws E_NOT_CONFIGURED before configure(). */
export function getDb(): Sequelize {
  if (!current && opener) {
    current = opener();
    for (const hook of readyHooks) hook(current);
  }
  if (!current) throw new ImproperlyConfigured('', 'E_NOT_CONFIGURED', { what: 'using the database' });
  return current;
}

/**
 * Opens the database if models wait for it (core/db/deferred.ts), which defines them; throws what stopped them.
 * `serve` calls it once it listens, `check` to find an error in a model.
 */
export function defineWaitingModels(): void {
  const { deferredFailure, hasDeferredModels } = deferred();
  const failed = deferredFailure();
  if (failed) throw failed;
  if (hasDeferredModels()) getDb();
}

/** True once something has used the database in this process (closing an unopened one is a no-op). */
export function dbOpened(): boolean {
  return current !== undefined;
}

/** The vendor of the configured database: 'sqlite', 'postgres', 'mysql' or 'mariadb'. */
export function dbVendor(): Vendor {
  return currentConfig?.vendor ?? 'sqlite';
}

/** The parsed DATABASE_URL in use (the test database's, under tests). */
export function dbConfig(): DatabaseConfig {
  if (!currentConfig) throw new ImproperlyConfigured('', 'E_NOT_CONFIGURED', { what: 'using the database' });
  return currentConfig;
}

/**
 * Called by configure(): opens the database, registers its closer, and under `node app.js test` points it at the
 * test database (in-memory SQLite, or `test_<name>` created before the tests, migrated, and dropped after).
 */
export function initDatabase(app: AppState): void {
  const config = parseDatabaseUrl(app.settings.DATABASE_URL, app.appDir);
  if (config.vendor !== 'sqlite') {
    // The driver loads when the database opens, which may be after the server listens: that it is installed is
    // checked now, so that a DATABASE_URL without its driver still stops the app at startup.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkDriversInstalled } = require('../conf/drivers') as typeof import('../conf/drivers');
    checkDriversInstalled(config.vendor === 'postgres' ? 'postgres' : 'mysql', `DATABASE_URL ${maskUrlPassword(config.url)}`);
  }
  let used = config;
  if (app.testing) used = config.vendor === 'sqlite' ? { ...config, storage: ':memory:' } : { ...config, database: testDatabaseName(config) };
  currentConfig = used;
  current = undefined;
  for (const hook of replacedHooks) hook();
  opener = () => {
    let sequelize: Sequelize;
    try {
      sequelize = openDatabase(used, { busyTimeoutMs: app.settings.DATABASE_BUSY_TIMEOUT * 1000 });
    } catch (err) {
      // Opened while the app file runs (its code used a model or `db`), a driver that is missing or broken is a startup
      // error; opened later, the caller reports it (`serve` stops, `check` says models.E001).
      if (require.cache[app.appFile]?.loaded === false) reportStartupError(err);
      throw err;
    }
    for (const hook of openHooks) hook(sequelize);
    return sequelize;
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    opener = undefined;
    await current?.close();
  };
  app.closers.push(close);
  if (!app.testing) {
    // Models wait for the database (core/db/deferred.ts): `check` defines them, so that an error in one is found there.
    registerCheck(() => {
      try {
        defineWaitingModels();
        return [];
      } catch (err) {
        return [{ level: 'error', id: 'models.E001', msg: `The models could not be defined: ${(err as Error).message}` }];
      }
    });
    // The migration system loads when the checks run: it needs the models module, which needs this one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    registerCheck(() => require('./migrations/index').migrationChecks());
    return;
  }
  const server = used.vendor !== 'sqlite';
  const q = (name: string) => (used.vendor === 'postgres' ? `"${name}"` : `\`${name}\``);
  // The test database is built once per run: migrated in beforeAll, then emptied before each test that uses it.
  let prepared = false;
  // SQLite's total_changes() right after the last flush: a test that wrote nothing leaves nothing to empty.
  let cleanAt: number | undefined;
  const totalChanges = async () => ((await current!.query('SELECT total_changes() AS n', { type: 'SELECT' as never, plain: true })) as unknown as { n: number }).n;
  app.testLifecycle.push({
    async beforeAll() {
      // An app without models or migrations (the hello app) gets no test database, and never loads sequelize.
      if (!current && !deferred().hasDeferredModels() && !hasMigrationFiles(app)) return;
      prepared = true;
      if (server) {
        await adminQuery(config, `DROP DATABASE IF EXISTS ${q(used.database!)}`);
        await adminQuery(config, `CREATE DATABASE ${q(used.database!)}`);
      }
      const { migrate } = await import('./migrations/index');
      await migrate({ quiet: true, syncUnmigrated: true });
    },
    async beforeEach({ db }) {
      if (!db || !prepared) return;
      if (!server && cleanAt !== undefined && (await totalChanges()) === cleanAt) return;
      const { flushDatabase } = await import('./fixtures');
      await flushDatabase();
      if (!server) cleanAt = await totalChanges();
    },
    async afterAll() {
      await close();
      if (server && prepared) await adminQuery(config, `DROP DATABASE IF EXISTS ${q(used.database!)}`);
    },
  });
}
