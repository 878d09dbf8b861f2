// What the test Client uses to log in without a login page (state.authBridge): sessions made straight in the store.
import crypto from 'node:crypto';
import type { AuthBridge } from '../core/conf/state';
import { state } from '../core/conf/state';
import { sessionSecret, sessionStore } from '../sessions';
import { signValue, unsignValue } from '../sessions/cookies';
import { authenticate, sessionAuthHash } from './backend';
import { authModels } from './models';

function storeCall(method: 'set' | 'destroy', ...args: unknown[]): Promise<void> {
  const store = sessionStore().store as any;
  return new Promise((resolve, reject) => store[method](...args, (err: unknown) => (err ? reject(err) : resolve())));
}

async function resolveUser(user: any): Promise<any> {
  if (user && typeof user === 'object' && user.id !== undefined && typeof user.save === 'function') return user;
  const { User } = authModels()!;
  const found = typeof user === 'number' ? await User.findByPk(user) : typeof user === 'string' ? await (User as any).findByUsername(user) : null;
  if (!found) throw new Error(`forceLogin() needs a saved User (or its id or username), got ${String(user)}.`);
  return found;
}

/** The bridge the auth battery installs as `state.authBridge`. */
export const authBridge: AuthBridge = {
  authenticate: (username, password) => authenticate(username, password),

  async sessionCookiesFor(userLike) {
    const user = await resolveUser(userLike);
    const s = state.settings;
    const sid = crypto.randomBytes(24).toString('base64url');
    const maxAge = s.SESSION_COOKIE_AGE * 1000;
    const data = {
      cookie: {
        originalMaxAge: maxAge, expires: new Date(Date.now() + maxAge).toISOString(), secure: s.SESSION_COOKIE_SECURE,
        httpOnly: true, path: '/', sameSite: s.SESSION_COOKIE_SAMESITE.toLowerCase(),
      },
      passport: { user: { id: user.id, hash: sessionAuthHash(user) } },
    };
    await storeCall('set', sid, data);
    return { [s.SESSION_COOKIE_NAME]: encodeURIComponent(`s:${signValue(sid, sessionSecret())}`) };
  },

  async endSession(cookies) {
    const raw = cookies[state.settings.SESSION_COOKIE_NAME];
    if (!raw) return;
    let decoded = raw;
    try { decoded = decodeURIComponent(raw); } catch { /* keep raw */ }
    const sid = unsignValue(decoded, sessionSecret());
    if (sid) await storeCall('destroy', sid);
  },
};
