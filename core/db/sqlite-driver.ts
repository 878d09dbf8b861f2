// The SQLite driver handed to sequelize as its dialectModule: one place decides which package provides SQLite.
import { ImproperlyConfigured } from '../conf/errors';

let loaded: object | undefined;

/**
 * The sqlite3 module sequelize drives (Database(file, mode, cb), run/all/get/exec/serialize/close). A driver that is
 * installed but cannot load (a native build that failed, another Node version) stops the app at startup with the
 * cause and the command that fixes it.
 * @example new Sequelize({ dialect: 'sqlite', dialectModule: sqliteDriver() })
 */
export function sqliteDriver(): object {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('sqlite3') as object;
  } catch (err) {
    const cause = (err as Error).message.split('\n')[0];
    throw new ImproperlyConfigured('', 'E_DRIVER_BROKEN', { name: 'sqlite3', cause, fix: 'npm rebuild sqlite3' });
  }
  return loaded;
}
