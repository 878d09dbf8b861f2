// Every setting's default and its check, in one place (as express's defaultConfiguration()).
import path from 'node:path';
import { ImproperlyConfigured } from './errors';

/** The switches configure() accepts (lowercase keys); each names a battery. Order matters: a battery implies those after it. */
export const SWITCHES = ['api', 'admin', 'auth', 'sessions'] as const;
export type SwitchName = (typeof SWITCHES)[number];
/** What each switch turns on besides itself (admin → auth → sessions). */
export const SWITCH_IMPLIES: Record<SwitchName, SwitchName[]> = {
  // The API uses auth when it is on, and works without it (public resources, permission() overrides).
  api: [],
  admin: ['auth'],
  auth: ['sessions'],
  sessions: [],
};

/**
 * Settings of your own, declared so that configure() accepts them and `settings` types them:
 * `declare module 'manouche' { interface CustomSettings { STRIPE_KEY: string } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface CustomSettings {}

/** The resolved settings: every key of SPEC §2, plus any extra UPPERCASE key the app passed. */
export interface Settings extends CustomSettings {
  DEBUG: boolean;
  SECRET_KEY: string;
  ALLOWED_HOSTS: string[];
  DATABASE_URL: string;
  APPEND_SLASH: boolean;
  TEMPLATES_DIRS: string[];
  STATIC_URL: string;
  STATIC_DIRS: string[];
  MEDIA_URL: string;
  MEDIA_ROOT: string;
  LOGIN_URL: string;
  LOGIN_REDIRECT_URL: string;
  ADMIN_URL: string;
  APP_LABEL: string;
  SESSION_STORE: string;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_AGE: number;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_SAMESITE: 'Lax' | 'Strict' | 'None';
  CSRF_TRUSTED_ORIGINS: string[];
  CSRF_COOKIE_NAME: string;
  DATA_UPLOAD_MAX_MEMORY_SIZE: number;
  /** Form fields (multipart or urlencoded) a request may carry (Django's default, 1000): more → 400. */
  DATA_UPLOAD_MAX_NUMBER_FIELDS: number;
  /** Files a multipart request may carry (Django's default, 100): more → 400. */
  DATA_UPLOAD_MAX_NUMBER_FILES: number;
  FILE_UPLOAD_MAX_SIZE: number;
  /** Uploaded files larger than this stream to a temporary file (removed after the response) instead of memory. */
  FILE_UPLOAD_MAX_MEMORY_SIZE: number;
  /** Where those temporary files go (null: the OS's temp folder). */
  FILE_UPLOAD_TEMP_DIR: string | null;
  /** Security headers, Django's names: each is a default, applied only when a middleware or view has not set it. */
  X_FRAME_OPTIONS: string | null;
  SECURE_CONTENT_TYPE_NOSNIFF: boolean;
  SECURE_REFERRER_POLICY: string | null;
  SECURE_CROSS_ORIGIN_OPENER_POLICY: string | null;
  /** The URL prefix the app lives under, for reverse() and redirects, when a proxy strips it (null: from the mount). */
  FORCE_SCRIPT_NAME: string | null;
  PASSWORD_HASHERS: string[];
  /** scrypt cost parameters; tests may lower them (SCRYPT_PARAMS: { N: 1024 }) to run fast. */
  SCRYPT_PARAMS: { N: number; r: number; p: number };
  MIDDLEWARE: unknown[];
  /** Which proxies' X-Forwarded-For/-Proto to believe, in express's 'trust proxy' syntax (false: none). */
  TRUST_PROXY: boolean | number | string | string[];
  /** Failed logins allowed per (username, address) before refusal, per address across usernames, and the window in seconds. */
  LOGIN_ATTEMPTS_LIMIT: number;
  LOGIN_ATTEMPTS_ADDRESS_LIMIT: number;
  LOGIN_ATTEMPTS_WINDOW: number;
  /** Seconds a SQLite write waits for the lock (its process's queue, then other processes) before E_DB_LOCKED. */
  DATABASE_BUSY_TIMEOUT: number;
  /** Seconds serve and runserver give in-flight requests at SIGTERM/SIGINT before cutting them off and exiting 1. */
  SHUTDOWN_GRACE_TIMEOUT: number;
  /** Seconds a client has to send its headers, its whole request; an idle keep-alive socket lives; any socket may stay silent. */
  SERVER_HEADERS_TIMEOUT: number;
  SERVER_REQUEST_TIMEOUT: number;
  SERVER_KEEPALIVE_TIMEOUT: number;
  SERVER_IDLE_TIMEOUT: number;
  /** Datetimes are stored in UTC and shown/entered in TIME_ZONE (an IANA name) when USE_TZ is true, as Django's. */
  TIME_ZONE: string;
  USE_TZ: boolean;
  /** The locale of numbers and dates the admin formats with Intl ('en-us'), and the language of its strings. */
  LANGUAGE_CODE: string;
  /** Folders of translation catalogues (`<folder>/fr.json`), searched before the admin's own, as Django's LOCALE_PATHS. */
  LOCALE_PATHS: string[];
  /** Where the API is mounted (SPEC §10), its default page size and the most a client may ask for. */
  API_URL: string;
  API_PAGE_SIZE: number;
  API_MAX_PAGE_SIZE: number;
  [extra: string]: unknown;
}

/** The known settings (the index signature of extras dropped), so that a misspelt key is a compile error. */
type KnownSettings = { [K in keyof Settings as string extends K ? never : number extends K ? never : K]: Settings[K] };

/**
 * What configure() accepts: known settings (UPPERCASE) with their types, the switches (lowercase), and the
 * CustomSettings you declared; anything else is refused at compile time, as resolveSettings() refuses it at run time.
 * @example configure({ DEBUG: true, admin: true, SESSION_COOKIE_SAMESITE: 'Strict' })
 */
export type ConfigureInput = Partial<KnownSettings> & Partial<Record<SwitchName, boolean>>;

/** The insecure key used in DEBUG when none is given; `check --deploy` flags it. */
export const INSECURE_DEV_KEY = 'manouche-insecure-dev-key-do-not-use-in-production';

/** Inputs the defaults depend on, so that resolution is a pure function (and testable). */
export interface SettingsContext {
  appDir: string;
  appLabel: string;
  switches: Record<SwitchName, boolean>;
  env: NodeJS.ProcessEnv;
}

const MB = 1024 * 1024;
/** The password hashers auth/ implements, by Django's names (auth/hasher-algorithms.ts), strongest first. */
export const PASSWORD_HASHER_NAMES = ['scrypt', 'pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt',
  'sha1', 'md5', 'unsalted_sha1', 'unsalted_md5'];

/** Defaults for every setting, given the app directory, its label and the switches. */
export function defaultSettings(ctx: SettingsContext, debug: boolean): Settings {
  const { appDir, env, switches } = ctx;
  return {
    DEBUG: debug,
    SECRET_KEY: env.SECRET_KEY ?? '',
    ALLOWED_HOSTS: [],
    DATABASE_URL: env.DATABASE_URL || `sqlite:${path.join(appDir, 'db.sqlite3')}`,
    APPEND_SLASH: true,
    TEMPLATES_DIRS: [path.join(appDir, 'templates')],
    STATIC_URL: '/static/',
    STATIC_DIRS: [path.join(appDir, 'static')],
    MEDIA_URL: '/media/',
    MEDIA_ROOT: path.join(appDir, 'media'),
    LOGIN_URL: switches.admin ? '/admin/login/' : '/accounts/login/',
    LOGIN_REDIRECT_URL: '/',
    ADMIN_URL: '/admin/',
    APP_LABEL: ctx.appLabel,
    SESSION_STORE: 'database',
    SESSION_COOKIE_NAME: 'sessionid',
    SESSION_COOKIE_AGE: 1209600,
    SESSION_COOKIE_SECURE: false,
    SESSION_COOKIE_SAMESITE: 'Lax',
    CSRF_TRUSTED_ORIGINS: [],
    CSRF_COOKIE_NAME: 'csrftoken',
    DATA_UPLOAD_MAX_MEMORY_SIZE: 2.5 * MB,
    DATA_UPLOAD_MAX_NUMBER_FIELDS: 1000,
    DATA_UPLOAD_MAX_NUMBER_FILES: 100,
    FILE_UPLOAD_MAX_SIZE: 10 * MB,
    FILE_UPLOAD_MAX_MEMORY_SIZE: 2.5 * MB,
    FILE_UPLOAD_TEMP_DIR: null,
    X_FRAME_OPTIONS: 'DENY',
    SECURE_CONTENT_TYPE_NOSNIFF: true,
    SECURE_REFERRER_POLICY: 'same-origin',
    SECURE_CROSS_ORIGIN_OPENER_POLICY: 'same-origin',
    FORCE_SCRIPT_NAME: null,
    // The first hashes; all verify (Django's names). The legacy ones are listed so that users imported from a Django
    // database log in, and get a new hash at that login.
    PASSWORD_HASHERS: [...PASSWORD_HASHER_NAMES],
    // Django's ScryptPasswordHasher cost (N work factor, r block size, p parallelism): 16 MiB, within OpenSSL's limit.
    SCRYPT_PARAMS: { N: 2 ** 14, r: 8, p: 5 },
    MIDDLEWARE: [],
    TRUST_PROXY: false,
    LOGIN_ATTEMPTS_LIMIT: 5,
    LOGIN_ATTEMPTS_ADDRESS_LIMIT: 30,
    LOGIN_ATTEMPTS_WINDOW: 900,
    DATABASE_BUSY_TIMEOUT: 15,
    SHUTDOWN_GRACE_TIMEOUT: 30,
    SERVER_HEADERS_TIMEOUT: 20,
    SERVER_REQUEST_TIMEOUT: 60,
    // Longer than the 60 s idle timeout of common load balancers and clients' keep-alive: a server that closes an idle
    // socket first races the client's next request on it (the request is lost: "other side closed").
    SERVER_KEEPALIVE_TIMEOUT: 65,
    SERVER_IDLE_TIMEOUT: 120,
    TIME_ZONE: 'UTC',
    USE_TZ: true,
    LANGUAGE_CODE: 'en-us',
    LOCALE_PATHS: [path.join(appDir, 'locale')],
    API_URL: '/api/',
    API_PAGE_SIZE: 50,
    API_MAX_PAGE_SIZE: 1000,
  };
}

/** Turns a folder name into an app label: lowered, non `[a-z0-9_]` characters turned to `_`. */
export function labelFromDir(appDir: string): string {
  const label = path.basename(appDir).toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[0-9]/.test(label) ? `_${label}` : label || 'app';
}

function validIntl(make: () => unknown): boolean {
  try { make(); return true; } catch { return false; }
}

/**
 * Whether `tz` names a time zone Intl knows. 'UTC' and the canonical IANA names are looked up in Intl's list (about
 * 2 ms); only an alias ('US/Pacific', 'Etc/GMT+5') builds a DateTimeFormat, whose first use loads ICU's zone data
 * (15-25 ms, a tenth of an app's cold start).
 * @example validTimeZone('Europe/Paris') // true
 */
function validTimeZone(tz: string): boolean {
  if (tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz)) return true;
  return validIntl(() => new Intl.DateTimeFormat('en', { timeZone: tz }));
}

function isUpper(key: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(key);
}

/**
 * Splits configure()'s argument into settings (UPPERCASE) and switches (lowercase), resolves the implied
 * switches, fills defaults and checks every value. Throws ImproperlyConfigured naming the key and the fix.
 */
export function resolveSettings(
  input: Record<string, unknown>,
  appDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { settings: Settings; switches: Record<SwitchName, boolean>; warnings: string[] } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ImproperlyConfigured('configure() takes an object, e.g. configure({ DEBUG: true, admin: true }).');
  }
  const switches: Record<SwitchName, boolean> = { api: false, admin: false, auth: false, sessions: false };
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (isUpper(key)) {
      given[key] = value;
    } else if ((SWITCHES as readonly string[]).includes(key)) {
      switches[key as SwitchName] = Boolean(value);
    } else {
      throw new ImproperlyConfigured('', 'E_UNKNOWN_SWITCH', { name: key, known: SWITCHES.join(', ') });
    }
  }
  for (const name of SWITCHES) {
    if (switches[name]) for (const implied of SWITCH_IMPLIES[name]) switches[implied] = true;
  }
  const appLabel = typeof given.APP_LABEL === 'string' && given.APP_LABEL ? given.APP_LABEL : labelFromDir(appDir);
  const debug = 'DEBUG' in given ? Boolean(given.DEBUG) : env.DEBUG === '1' || env.DEBUG === 'true';
  const settings: Settings = { ...defaultSettings({ appDir, appLabel, switches, env }, debug), ...given, DEBUG: debug, APP_LABEL: appLabel };
  const warnings: string[] = [];

  if (!settings.SECRET_KEY) {
    if (!settings.DEBUG) throw new ImproperlyConfigured('', 'E_NO_SECRET_KEY');
    settings.SECRET_KEY = INSECURE_DEV_KEY;
    warnings.push('SECRET_KEY is not set: using an insecure development key (fine with DEBUG, never in production).');
  }
  check(typeof settings.SECRET_KEY === 'string', 'SECRET_KEY', 'must be a string');
  check(Array.isArray(settings.ALLOWED_HOSTS), 'ALLOWED_HOSTS', "must be an array of host names, e.g. ['example.com'] or ['*']");
  if (settings.ALLOWED_HOSTS.length === 0 && settings.DEBUG) settings.ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
  check(typeof settings.DATABASE_URL === 'string' && /^(sqlite|postgres|postgresql|mysql|mariadb):/.test(settings.DATABASE_URL),
    'DATABASE_URL', `must start with sqlite:, postgres://, mysql:// or mariadb:// (got ${JSON.stringify(settings.DATABASE_URL)})`);
  for (const key of ['STATIC_URL', 'MEDIA_URL', 'ADMIN_URL', 'API_URL'] as const) {
    const v = settings[key];
    check(typeof v === 'string' && v.startsWith('/') && v.endsWith('/'), key, `must start and end with "/" (got ${JSON.stringify(v)})`);
  }
  for (const key of ['TEMPLATES_DIRS', 'STATIC_DIRS', 'LOCALE_PATHS', 'CSRF_TRUSTED_ORIGINS', 'PASSWORD_HASHERS', 'MIDDLEWARE'] as const) {
    check(Array.isArray(settings[key]), key, 'must be an array');
  }
  settings.TEMPLATES_DIRS = settings.TEMPLATES_DIRS.map((d) => path.resolve(appDir, d));
  settings.LOCALE_PATHS = settings.LOCALE_PATHS.map((d) => path.resolve(appDir, String(d)));
  settings.STATIC_DIRS = settings.STATIC_DIRS.map((d) => path.resolve(appDir, d));
  settings.MEDIA_ROOT = path.resolve(appDir, settings.MEDIA_ROOT);
  for (const key of ['SESSION_COOKIE_AGE', 'DATA_UPLOAD_MAX_MEMORY_SIZE', 'FILE_UPLOAD_MAX_SIZE', 'LOGIN_ATTEMPTS_LIMIT', 'LOGIN_ATTEMPTS_ADDRESS_LIMIT', 'LOGIN_ATTEMPTS_WINDOW',
    'DATA_UPLOAD_MAX_NUMBER_FIELDS', 'DATA_UPLOAD_MAX_NUMBER_FILES', 'FILE_UPLOAD_MAX_MEMORY_SIZE', 'DATABASE_BUSY_TIMEOUT',
    'SHUTDOWN_GRACE_TIMEOUT', 'SERVER_HEADERS_TIMEOUT', 'SERVER_REQUEST_TIMEOUT', 'SERVER_KEEPALIVE_TIMEOUT', 'SERVER_IDLE_TIMEOUT',
    'API_PAGE_SIZE', 'API_MAX_PAGE_SIZE'] as const) {
    check(Number.isFinite(settings[key]) && settings[key] > 0, key, 'must be a positive number');
  }
  check(typeof settings.TIME_ZONE === 'string' && validTimeZone(settings.TIME_ZONE), 'TIME_ZONE',
    `must be an IANA time zone such as 'UTC' or 'Europe/Paris' (got ${JSON.stringify(settings.TIME_ZONE)})`);
  check(typeof settings.LANGUAGE_CODE === 'string' && validIntl(() => new Intl.Locale(settings.LANGUAGE_CODE)), 'LANGUAGE_CODE',
    `must be a language tag such as 'en-us' or 'fr' (got ${JSON.stringify(settings.LANGUAGE_CODE)})`);
  settings.USE_TZ = Boolean(settings.USE_TZ);
  for (const key of ['X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'FILE_UPLOAD_TEMP_DIR'] as const) {
    const v = settings[key];
    check(v === null || (typeof v === 'string' && v !== ''), key, 'must be a non-empty string, or null to leave it out');
  }
  check(typeof settings.SECURE_CONTENT_TYPE_NOSNIFF === 'boolean', 'SECURE_CONTENT_TYPE_NOSNIFF', 'must be true or false');
  const fsn = settings.FORCE_SCRIPT_NAME;
  check(fsn === null || (typeof fsn === 'string' && (fsn === '' || (fsn.startsWith('/') && !fsn.endsWith('/')))), 'FORCE_SCRIPT_NAME',
    `must be a path like '/blog' (leading slash, no trailing slash) or null (got ${JSON.stringify(fsn)})`);
  check(Number.isInteger(settings.API_PAGE_SIZE) && Number.isInteger(settings.API_MAX_PAGE_SIZE) && settings.API_PAGE_SIZE <= settings.API_MAX_PAGE_SIZE,
    'API_PAGE_SIZE', `must be a whole number no larger than API_MAX_PAGE_SIZE (${settings.API_MAX_PAGE_SIZE})`);
  check(['Lax', 'Strict', 'None'].includes(settings.SESSION_COOKIE_SAMESITE), 'SESSION_COOKIE_SAMESITE', "must be 'Lax', 'Strict' or 'None'");
  check(/^(database|memory|rediss?:\/\/.+)$/.test(settings.SESSION_STORE), 'SESSION_STORE', "must be 'database', 'memory' or a redis:// URL");
  check(settings.PASSWORD_HASHERS.length > 0 && settings.PASSWORD_HASHERS.every((h) => PASSWORD_HASHER_NAMES.includes(h)),
    'PASSWORD_HASHERS', `must list hashers among ${PASSWORD_HASHER_NAMES.map((h) => `'${h}'`).join(', ')}`);
  const tp = settings.TRUST_PROXY;
  check(['boolean', 'number', 'string'].includes(typeof tp) || (Array.isArray(tp) && tp.every((x) => typeof x === 'string')),
    'TRUST_PROXY', "must be false, true, a hop count, or proxy addresses like 'loopback' or ['10.0.0.1']");
  for (const mw of settings.MIDDLEWARE) check(typeof mw === 'function', 'MIDDLEWARE', 'must hold express middleware functions');
  check(/^[a-z_][a-z0-9_]*$/.test(settings.APP_LABEL), 'APP_LABEL', 'must be lowercase letters, digits and _');
  if ((SWITCHES as readonly string[]).includes(settings.APP_LABEL) && switches[settings.APP_LABEL as SwitchName]) {
    throw new ImproperlyConfigured(`The app label "${settings.APP_LABEL}" (from the folder name) is the label of manouche's ${settings.APP_LABEL} battery, and app labels must be unique. Rename the folder or pass APP_LABEL to configure().`);
  }
  return { settings, switches, warnings };
}

function check(ok: boolean, name: string, detail: string): void {
  if (!ok) throw new ImproperlyConfigured('', 'E_BAD_SETTING', { name, detail });
}

/** Names whose values are masked on the DEBUG error page and in `check` output (as Django's SafeExceptionReporterFilter). */
export const SECRET_SETTING_PATTERN = /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|DATABASE_URL/i;

/** A copy of settings safe to show: secrets replaced by stars, passwords in URLs masked. */
export function maskedSettings(settings: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (k === 'DATABASE_URL' && typeof v === 'string') out[k] = maskUrlPassword(v);
    else out[k] = SECRET_SETTING_PATTERN.test(k) ? '********************' : v;
  }
  return out;
}

/** `postgres://u:secret@h/db` → `postgres://u:********@h/db`. */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1********@');
}
