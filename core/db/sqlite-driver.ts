// The SQLite driver handed to sequelize as its dialectModule: one place decides which package provides SQLite.
import { ImproperlyConfigured } from '../conf/errors';
import type { SyncDatabaseClass } from './sqlite-sync';

/** The package that provides SQLite: node:sqlite's API with prebuilt binaries inside its npm tarball (no compile). */
export const SQLITE_PACKAGE = '@photostructure/sqlite';

let loaded: object | undefined;

/**
 * The sqlite3-shaped module sequelize drives (Database(file, mode, cb), run/all/get/exec/serialize/close), built over
 * DatabaseSync. A driver that is installed but cannot load (no binary for this platform and a failed build, a broken
 * install) stops the app at startup with the cause and the command that fixes it.
 * @example new Sequelize({ dialect: 'sqlite', dialectModule: sqliteDriver() })
 */
export function sqliteDriver(): object {
  if (loaded) return loaded;
  let DatabaseSync: SyncDatabaseClass;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ DatabaseSync } = require(SQLITE_PACKAGE) as { DatabaseSync: SyncDatabaseClass });
  } catch (err) {
    const cause = (err as Error).message.split('\n')[0];
    throw new ImproperlyConfigured('', 'E_DRIVER_BROKEN', { name: SQLITE_PACKAGE, cause, fix: `npm rebuild ${SQLITE_PACKAGE}` });
  }
  // The adapter loads with the driver, when a SQLite database first opens: an app without models never reads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded = (require('./sqlite-sync') as typeof import('./sqlite-sync')).sqlite3Api(DatabaseSync);
  return loaded;
}
