// The one app of the process: its settings, folder, label, batteries and the registries every module fills.
import type { Request, RequestHandler } from 'express';
import type { Settings, SwitchName } from './settings';
import { forwardTo, REAL } from './lazy';
import { ImproperlyConfigured } from './errors';

/** A message from a system check (`node app.js check`), Django-style: `admin.E108` etc. */
export interface CheckMessage {
  level: 'error' | 'warning' | 'info';
  id: string;
  msg: string;
  hint?: string;
  /** The object the message is about, e.g. "blog.Post" or "PostAdmin". */
  obj?: string;
}
export type Check = (opts: { deploy: boolean }) => CheckMessage[] | Promise<CheckMessage[]>;

/** Hooks `node app.js test` runs around the tests (the database module registers the test database here). */
export interface TestLifecycle {
  beforeAll?(): Promise<void> | void;
  beforeEach?(opts: { db: boolean }): Promise<void> | void;
  afterEach?(opts: { db: boolean }): Promise<void> | void;
  afterAll?(): Promise<void> | void;
}

/** Adds variables to every template context (`user`, `messages`, `csrfToken` …). */
export type ContextProcessor = (req: Request | undefined) => Record<string, unknown>;

/** Where a framework or user app keeps its migrations. */
export interface MigrationsApp {
  label: string;
  dir: string;
}

export interface AppState {
  configured: boolean;
  /** The file that called configure() (the app file); its folder is the app directory. */
  appFile: string;
  appDir: string;
  appLabel: string;
  settings: Settings;
  switches: Record<SwitchName, boolean>;
  /** True when the process runs `node app.js test`: the database module then points at the test database. */
  testing: boolean;
  /** Framework template folders, searched after TEMPLATES_DIRS (batteries add theirs). */
  frameworkTemplateDirs: string[];
  /** Static folders searched after STATIC_DIRS (the admin adds its assets). */
  frameworkStaticDirs: string[];
  contextProcessors: ContextProcessor[];
  /** Middleware the batteries add, run after URL resolution for matched routes (sessions → csrf → auth → messages). */
  batteryMiddleware: RequestHandler[];
  /** Checks run just before the view, after a route's own middleware (Django's process_view): the CSRF check. */
  viewMiddleware: RequestHandler[];
  migrationsApps: MigrationsApp[];
  checks: Check[];
  testLifecycle: TestLifecycle[];
  /** Closed on graceful shutdown and after tests (database pools, redis clients …), last registered first. */
  closers: Array<() => Promise<void> | void>;
  /** Called once when the express app is first built by run(); batteries mount routes here (the admin under ADMIN_URL). */
  onAppBuilt: Array<() => void>;
  /** Run after `migrate` applied migrations (auth creates the view/add/change/delete permissions here). */
  postMigrate: Array<(opts: { quiet: boolean }) => Promise<void> | void>;
  /** Set by the auth battery so that the test Client can log in without a login page. */
  authBridge?: AuthBridge;
}

/** What the auth battery offers the test Client (core must not import auth). */
export interface AuthBridge {
  /** Returns the user when the credentials are valid and the user is active, else null. */
  authenticate(username: string, password: string): Promise<unknown | null>;
  /** Creates a logged-in session for `user` and returns the cookies a browser would hold afterwards. */
  sessionCookiesFor(user: unknown): Promise<Record<string, string>>;
  /** Destroys the session behind these cookies (logout). */
  endSession(cookies: Record<string, string>): Promise<void>;
}

/** The process-wide state. manouche, like django-micro, is a singleton: one app per process. */
export const state: AppState = {
  configured: false,
  appFile: '',
  appDir: '',
  appLabel: '',
  settings: undefined as unknown as Settings,
  switches: { api: false, admin: false, auth: false, sessions: false },
  testing: false,
  frameworkTemplateDirs: [],
  frameworkStaticDirs: [],
  contextProcessors: [],
  batteryMiddleware: [],
  viewMiddleware: [],
  migrationsApps: [],
  checks: [],
  testLifecycle: [],
  closers: [],
  onAppBuilt: [],
  postMigrate: [],
};

/** Throws `E_NOT_CONFIGURED` naming what was attempted, unless configure() has run. */
export function requireConfigured(what: string): AppState {
  if (!state.configured) throw new ImproperlyConfigured('', 'E_NOT_CONFIGURED', { what });
  return state;
}

/** Registers a system check run by `node app.js check` (and at runserver start). */
export function registerCheck(check: Check): void {
  state.checks.push(check);
}

/** Runs every registered check and returns their messages, errors first. */
export async function runChecks(opts: { deploy: boolean } = { deploy: false }): Promise<CheckMessage[]> {
  const out: CheckMessage[] = [];
  for (const c of state.checks) out.push(...(await c(opts)));
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.level] - rank[b.level]);
}

/** Closes everything registered in `state.closers`, last first; errors are collected, not thrown midway. */
export async function closeAll(): Promise<void> {
  const closers = state.closers.splice(0).reverse();
  const errors: unknown[] = [];
  for (const close of closers) {
    try { await close(); } catch (err) { errors.push(err); }
  }
  if (errors.length) throw errors[0];
}

/**
 * A handle exported before configure() (`db`, `User` …) that forwards to the real object once it exists,
 * and throws ImproperlyConfigured (naming the handle) when used earlier. Functions/classes keep `new` and calls.
 */
export function lateBound<T extends object>(name: string, get: () => T | undefined, kind: 'object' | 'function' = 'object'): T {
  return forwardTo((): T => {
    const v = state.configured ? get() : undefined;
    if (v === undefined) {
      if (!state.configured) throw new ImproperlyConfigured('', 'E_NOT_CONFIGURED', { what: `using ${name}` });
      throw new ImproperlyConfigured(`${name} is not available: turn on the battery that provides it in configure() (e.g. configure({ auth: true })).`);
    }
    return v;
  }, kind);
}

/** Returns the real object behind a `lateBound` handle (or the value itself). Use it before identity checks. */
export function unwrap<T>(value: T): T {
  if (value && (typeof value === 'object' || typeof value === 'function')) {
    const real = (value as Record<symbol, unknown>)[REAL];
    if (real !== undefined) return real as T;
  }
  return value;
}
