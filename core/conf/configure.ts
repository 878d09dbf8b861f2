// configure(): resolves settings and switches, finds the app folder, opens the database and sets up batteries.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImproperlyConfigured, ManoucheError } from './errors';
import { resolveSettings, type ConfigureInput, type Settings } from './settings';
import { state, lateBound, requireConfigured } from './state';
import { resolveBatteries } from './batteries';
import { PACKAGE_ROOT } from './paths';
import { registerCoreChecks } from './checks';

/**
 * Configures the app: UPPERCASE keys are settings, lowercase keys are switches (`admin`, `auth`, `sessions`).
 * Must come first in the app file, before models and routes; a second call throws ImproperlyConfigured.
 * @example configure({ DEBUG: true, admin: true })
 */
export function configure(input: ConfigureInput = {}): Settings {
  if (state.configured) throw new ImproperlyConfigured('', 'E_CONFIGURE_TWICE');
  const appFile = callerFile();
  const appDir = path.dirname(appFile);
  let settings: Settings;
  try {
    let switches;
    ({ settings, switches } = resolveSettings(input as Record<string, unknown>, appDir));
    state.appFile = appFile;
    state.appDir = appDir;
    state.appLabel = settings.APP_LABEL;
    state.switches = switches;
    state.settings = settings;
    state.testing = isTestRun(appFile);
    state.migrationsApps.push({ label: settings.APP_LABEL, dir: path.join(appDir, 'migrations') });
    state.configured = true;
    // The database layer sits above conf (it reads settings): it loads here, as the batteries do, not at import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('../db/connection') as typeof import('../db/connection')).initDatabase(state);
    registerCoreChecks();
    resolveBatteries(state);
  } catch (err) {
    state.configured = false;
    reportStartupError(err, appFile);
    throw err;
  }
  Object.freeze(settings);
  return settings;
}

/** The resolved, frozen settings; reading them before configure() throws ImproperlyConfigured. */
export const settings: Settings = lateBound<Settings>('settings', () => state.settings);

/**
 * The app label: the app folder's name, lowered, non `[a-z0-9_]` turned to `_` (or `APP_LABEL`).
 * @example getAppLabel() // 'blog' for blog/app.js
 */
export function getAppLabel(): string {
  return requireConfigured('getAppLabel()').appLabel;
}

/**
 * `node app.js …` with a broken setup (a bad setting, a missing or broken driver, a bad URL) while the app file loads:
 * one line that says what to do, exit 1, no stack (`--traceback` shows it). Anything else returns, for the caller to
 * throw.
 */
export function reportStartupError(err: unknown, appFile = state.appFile): void {
  if (!(err instanceof ManoucheError) || !appFile || !isCommandLine(appFile) || process.argv.includes('--traceback')) return;
  process.stderr.write(`${err.name} [${err.code}]: ${err.message}\n`);
  process.exit(1);
}

/**
 * True when the app file was started as a command (`node app.js …`): a startup error then prints one line and exits.
 * A test file that node's test runner starts without arguments gets the error thrown, so that it can assert on it.
 */
function isCommandLine(appFile: string): boolean {
  return isMainFile(appFile) && (process.argv.length > 2 || !process.env.NODE_TEST_CONTEXT);
}

/** True for `node app.js test` (or MANOUCHE_TESTING=1): the database module then uses the test database. */
function isTestRun(appFile: string): boolean {
  if (process.env.MANOUCHE_TESTING === '1') return true;
  return isMainFile(appFile) && process.argv[2] === 'test';
}

/** True when `file` is the script node was started with (`node app.js …`, with or without the extension). */
function isMainFile(file: string): boolean {
  const main = process.argv[1] ? path.resolve(process.argv[1]) : '';
  return main === file || main.replace(/\.[cm]?[jt]s$/, '') === file.replace(/\.[cm]?[jt]s$/, '');
}

/** The first file on the stack outside the framework: the app file that called configure(). */
function callerFile(): string {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_err, stack) => stack;
    const stack = new Error().stack as unknown as NodeJS.CallSite[];
    for (const site of stack) {
      let file = site.getFileName();
      if (!file || file.startsWith('node:')) continue;
      if (file.startsWith('file://')) file = fileURLToPath(file);
      if (!path.isAbsolute(file)) continue;
      if (isFrameworkFile(file)) continue;
      return file;
    }
  } finally {
    Error.prepareStackTrace = original;
  }
  return path.join(process.cwd(), 'app.js');
}

function isFrameworkFile(file: string): boolean {
  const rel = path.relative(PACKAGE_ROOT, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return file.includes(`${path.sep}node_modules${path.sep}`);
  const top = rel.split(path.sep)[0];
  return ['dist', 'core', 'auth', 'admin', 'sessions', 'index.ts', 'node_modules'].includes(top);
}
