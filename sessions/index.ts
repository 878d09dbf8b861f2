// The sessions battery: express-session on the configured store, CSRF protection and one-time messages.
import session, { type Store } from 'express-session';
import type { RequestHandler } from 'express';
import type { Battery } from '../core/conf/batteries';
import { registerCheck, type AppState, type CheckMessage } from '../core/conf/state';
import { assetDir } from '../core/conf/paths';
import { registerCommand } from '../core/management/commands/registry';
import { createStore, defineSessionModel, type ConfiguredStore } from './store';
import { csrfCheck, csrfMiddleware } from './csrf';
import { messagesContextProcessor } from './messages';
import { deriveKey } from './cookies';
import clearsessions from './commands/clearsessions';
import { saveSessionFirst } from './save-first';

export { csrfExempt, rotateCsrfToken } from './csrf';
export { messages, getMessages } from './messages';

let configured: ConfiguredStore | undefined;

/** The store sessions live in (the auth battery's test bridge writes logged-in sessions there). */
export function sessionStore(): ConfiguredStore {
  if (!configured) throw new Error('The sessions battery is not set up: configure({ sessions: true }).');
  return configured;
}

/** The key session cookies are signed with (derived from SECRET_KEY). */
export function sessionSecret(): string {
  return deriveKey('sessions.cookie');
}

/** express-session with the cookie settings of SPEC §7: HttpOnly, SameSite, Secure when configured, signed. */
function sessionMiddleware(app: AppState, store: Store): RequestHandler {
  const s = app.settings;
  return session({
    name: s.SESSION_COOKIE_NAME,
    secret: sessionSecret(),
    store,
    resave: false,
    saveUninitialized: false,
    // With Secure cookies the site is behind TLS, usually at a proxy: trust its X-Forwarded-Proto so the cookie is sent.
    proxy: s.SESSION_COOKIE_SECURE ? true : undefined,
    cookie: {
      httpOnly: true,
      path: '/',
      sameSite: s.SESSION_COOKIE_SAMESITE.toLowerCase() as 'lax' | 'strict' | 'none',
      secure: s.SESSION_COOKIE_SECURE,
      maxAge: s.SESSION_COOKIE_AGE * 1000,
    },
  });
}

/** What `check` says about the session settings. */
function sessionChecks(app: AppState, deploy: boolean): CheckMessage[] {
  const s = app.settings;
  const out: CheckMessage[] = [];
  if (s.SESSION_COOKIE_SAMESITE === 'None' && !s.SESSION_COOKIE_SECURE) {
    out.push({ level: 'error', id: 'sessions.E001', obj: 'SESSION_COOKIE_SAMESITE', msg: "SESSION_COOKIE_SAMESITE is 'None' but SESSION_COOKIE_SECURE is false: browsers refuse such cookies.", hint: 'Set SESSION_COOKIE_SECURE: true (and serve the site over HTTPS), or use Lax.' });
  }
  if (deploy && s.SESSION_STORE === 'memory') {
    out.push({ level: 'warning', id: 'sessions.W001', obj: 'SESSION_STORE', msg: "SESSION_STORE is 'memory': sessions are lost on restart and not shared between worker processes.", hint: "Use 'database' (the default) or a redis:// URL in production." });
  }
  return out;
}

/** Marks where the messages middleware sits, so that auth can put its middleware before it. */
export const messagesMiddleware: RequestHandler = (_req, _res, next) => next();

const battery: Battery = {
  name: 'sessions',
  requires: [],
  setup(app) {
    defineSessionModel();
    app.migrationsApps.push({ label: 'sessions', dir: assetDir('sessions', 'migrations') });
    configured = createStore(app.settings);
    const current = configured;
    app.closers.push(() => current.close());
    app.batteryMiddleware.push(
      sessionMiddleware(app, configured.store), saveSessionFirst(), csrfMiddleware(), messagesMiddleware,
    );
    app.viewMiddleware.push(csrfCheck());
    app.contextProcessors.push(messagesContextProcessor);
    registerCommand(clearsessions);
    registerCheck(({ deploy }) => sessionChecks(app, deploy));
  },
};

export default battery;
