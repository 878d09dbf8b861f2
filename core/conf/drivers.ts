// The optional drivers (pg, mysql2, redis): loaded only by the setting that needs them, named with their install command.
import { ImproperlyConfigured } from './errors';

/** What each optional backend needs from npm; the packages are optional peer dependencies of manouche. */
export const OPTIONAL_DRIVERS = {
  postgres: { packages: ['pg', 'pg-hstore'], what: 'PostgreSQL' },
  mysql: { packages: ['mysql2'], what: 'MySQL/MariaDB' },
  redis: { packages: ['redis', 'connect-redis'], what: 'the Redis session store' },
} as const;

export type OptionalBackend = keyof typeof OPTIONAL_DRIVERS;

/**
 * Requires the packages a backend needs and returns them by name; a missing one throws E_DRIVER_MISSING with the exact
 * `npm install …` command, so the app stops at startup instead of failing on its first query.
 * @example const { pg } = loadDrivers('postgres', 'DATABASE_URL postgres://…')
 */
export function loadDrivers(backend: OptionalBackend, setting: string): Record<string, any> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return withDrivers(backend, setting, (name) => require(name));
}

/**
 * Throws what loadDrivers() would for a missing package, without loading any: configure() checks the database's
 * driver this way, since the database itself opens later (core/db/deferred.ts), maybe after the server listens.
 * @example checkDriversInstalled('postgres', 'DATABASE_URL postgres://…')
 */
export function checkDriversInstalled(backend: OptionalBackend, setting: string): void {
  withDrivers(backend, setting, (name) => require.resolve(name));
}

function withDrivers(backend: OptionalBackend, setting: string, load: (name: string) => unknown): Record<string, any> {
  const { packages, what } = OPTIONAL_DRIVERS[backend];
  const loaded: Record<string, any> = {};
  const missing: string[] = [];
  for (const name of packages) {
    try {
      loaded[name] = load(name);
    } catch (err) {
      if (!isMissing(err, name)) throw err;
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new ImproperlyConfigured('', 'E_DRIVER_MISSING', { setting, what, missing: missing.join(', '), install: `npm install ${packages.join(' ')}` });
  }
  return loaded;
}

// True when `err` says that `name` itself is not installed (not one of its own dependencies, not a bug inside it).
function isMissing(err: unknown, name: string): boolean {
  const e = err as NodeJS.ErrnoException;
  return e?.code === 'MODULE_NOT_FOUND' && new RegExp(`Cannot find module '${name}'`).test(e.message);
}
