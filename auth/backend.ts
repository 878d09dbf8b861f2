// authenticate(), login(), logout() and req.user: passport's local strategy over the User model and the session.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { ImproperlyConfigured } from '../core/conf/errors';
import { deriveKey } from '../sessions/cookies';
import { rotateCsrfToken } from '../sessions/csrf';
import { state } from '../core/conf/state';
import { authModels, normalizeUsername } from './models';
import { runDummyHash } from './hashers';
import { assertNotThrottled, recordFailure, recordSuccess } from './throttle';

/** The user of a request that isn't logged in: every check says no. */
export const anonymousUser = Object.freeze({
  id: null,
  pk: null,
  username: '',
  isAuthenticated: false,
  isAnonymous: true,
  isActive: false,
  isStaff: false,
  isSuperuser: false,
  async hasPerm(): Promise<boolean> { return false; },
  async hasPerms(): Promise<boolean> { return false; },
  async hasModulePerms(): Promise<boolean> { return false; },
  async getAllPermissions(): Promise<Set<string>> { return new Set(); },
  toString(): string { return 'AnonymousUser'; },
  toJSON(): Record<string, unknown> { return { id: null, username: '', isAuthenticated: false }; },
});

/**
 * A hash of the user's password hash kept in the session (Django's `_auth_user_hash`): a password change
 * makes every other session's copy stale, and those sessions are logged out on their next request.
 */
export function sessionAuthHash(user: { password?: string }): string {
  return crypto.createHmac('sha256', deriveKey('auth.session-hash')).update(String(user.password ?? '')).digest('base64url');
}

function models() {
  const m = authModels();
  if (!m) throw new ImproperlyConfigured('authenticate(), login() and logout() need the auth battery: configure({ auth: true }).');
  return m;
}

/**
 * Checks credentials: returns the active user, or null. Unknown users cost the same hashing as known ones,
 * failures are counted per (username, address) and per address, and a locked-out pair or address throws
 * LoginThrottled (429, with `retryAfter` seconds) until its LOGIN_ATTEMPTS_WINDOW has passed (docs/throttling.md).
 * @example const user = await authenticate(req.body.username, req.body.password, req)
 */
export async function authenticate(username: unknown, password: unknown, req?: Request): Promise<any | null> {
  const { User } = models();
  const name = normalizeUsername(username);
  const address = req?.ip;
  await assertNotThrottled(name, address);
  const raw = typeof password === 'string' ? password : '';
  const user = name && name.length <= 150 ? ((await User.findOne({ where: { username: name } })) as any) : null;
  if (!user) {
    await runDummyHash();
    await recordFailure(name, address);
    return null;
  }
  const ok = (await user.checkPassword(raw)) && user.isActive;
  if (!ok) {
    await recordFailure(name, address);
    return null;
  }
  await recordSuccess(name, address);
  return user;
}

type SessionUser = { id: number; hash: string };

/** The passport instance of the app (not passport's global one: two apps in one test process stay apart). */
export const authenticator = new Passport();

/** Sets up the local strategy and the session (de)serialisation; called by the auth battery's setup(). */
export function configurePassport(): void {
  authenticator.use(new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
    authenticate(username, password, req).then((user) => done(null, user ?? false), done);
  }));
  authenticator.serializeUser((user: any, done) => done(null, { id: user.id, hash: sessionAuthHash(user) } satisfies SessionUser));
  authenticator.deserializeUser((stored: unknown, done) => {
    const s = stored as Partial<SessionUser> | null;
    if (!s || typeof s !== 'object' || !Number.isSafeInteger(s.id) || typeof s.hash !== 'string') return done(null, false);
    models().User.findByPk(s.id).then((user: any) => {
      // Deactivated, deleted, or password changed since this session logged in: log the session out.
      if (!user || !user.isActive) return done(null, false);
      const expected = Buffer.from(sessionAuthHash(user));
      const given = Buffer.from(s.hash!);
      done(null, expected.length === given.length && crypto.timingSafeEqual(expected, given) ? user : false);
    }, done);
  });
}

/** The middleware that gives every request `req.user` (the User, or `anonymousUser`). */
export function userMiddleware(): RequestHandler[] {
  const init = authenticator.initialize();
  const fromSession = authenticator.session();
  const anonymousFallback = (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) req.user = anonymousUser;
    // passport's isAuthenticated() only checks that req.user is set: the anonymous user must not pass.
    (req as any).isAuthenticated = () => Boolean(req.user?.isAuthenticated);
    (req as any).isUnauthenticated = () => !req.user?.isAuthenticated;
    next();
  };
  return [init, fromSession, anonymousFallback];
}

function sessionOf(req: Request): any {
  const sess = (req as any).session;
  if (!sess) throw new ImproperlyConfigured('login() and logout() need the sessions battery (configure({ auth: true }) turns it on).');
  return sess;
}

/**
 * Logs a user in: a new session id (no fixation), a new CSRF token, `req.user` set, `lastLogin` updated.
 * Data of an anonymous session is kept; a session that belonged to someone else is emptied.
 * @example const user = await authenticate(u, p, req); if (user) await login(req, user);
 */
export async function login(req: Request, user: any): Promise<void> {
  const sess = sessionOf(req);
  const previous = sess.passport?.user?.id;
  const keepSessionInfo = previous === undefined || previous === user.id;
  await new Promise<void>((resolve, reject) => {
    (req as any).login(user, { keepSessionInfo }, (err: unknown) => (err ? reject(err) : resolve()));
  });
  rotateCsrfToken(req);
  user.lastLogin = new Date();
  await user.save({ fields: ['lastLogin'] });
  req.user = user;
}

/**
 * Logs out: the session's data is thrown away (a new, empty session), the cookie cleared, `req.user` anonymous.
 * @example route('logout/', async (req) => { await logout(req); return redirect('/'); }, { methods: ['POST'] })
 */
export async function logout(req: Request): Promise<void> {
  const sess = sessionOf(req);
  await new Promise<void>((resolve, reject) => sess.regenerate((err: unknown) => (err ? reject(err) : resolve())));
  req.res?.clearCookie(state.settings.SESSION_COOKIE_NAME, { path: '/' });
  req.user = anonymousUser;
}

/**
 * After the user changed their password, keeps this session logged in (the others are logged out):
 * Django's update_session_auth_hash. A new session id too, as a password change is a privilege change.
 */
export async function updateSessionAuthHash(req: Request, user: any): Promise<void> {
  const sess = sessionOf(req);
  if (!sess.passport?.user || sess.passport.user.id !== user.id) return;
  await new Promise<void>((resolve, reject) => {
    (req as any).login(user, { keepSessionInfo: true }, (err: unknown) => (err ? reject(err) : resolve()));
  });
}
