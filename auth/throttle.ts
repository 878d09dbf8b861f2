// Login throttling: failed logins counted per username and per address, in the database (or Redis), for a window.
import type { Model, ModelStatic } from 'sequelize';
import { state } from '../core/conf/state';
import { HttpError } from '../core/conf/errors';

/** What a throttle backend stores: a failure counter per key that expires with the window. */
interface Counter {
  failures(key: string): Promise<number>;
  fail(key: string, windowSeconds: number): Promise<number>;
  reset(key: string): Promise<void>;
}

/** Counters in auth_loginattempt: shared by every process on the database. */
export function databaseCounter(LoginAttempt: ModelStatic<Model>): Counter {
  return {
    async failures(key) {
      const row = (await LoginAttempt.findByPk(key)) as any;
      return row && new Date(row.expiresAt).getTime() > Date.now() ? Number(row.failures) : 0;
    },
    async fail(key, windowSeconds) {
      const now = Date.now();
      const row = (await LoginAttempt.findByPk(key)) as any;
      if (row && new Date(row.expiresAt).getTime() > now) {
        // Counted within the running window; increment in SQL so that concurrent failures all count.
        await LoginAttempt.increment('failures', { by: 1, where: { ident: key } });
        return Number(row.failures) + 1;
      }
      // A new window starts at the first failure after the old one ended.
      const expiresAt = new Date(now + windowSeconds * 1000);
      try {
        if (row) await LoginAttempt.update({ failures: 1, expiresAt }, { where: { ident: key } });
        else await LoginAttempt.create({ ident: key, failures: 1, expiresAt });
      } catch {
        // Another process created the row at the same moment: count on it instead.
        await LoginAttempt.increment('failures', { by: 1, where: { ident: key } });
      }
      return 1;
    },
    async reset(key) {
      await LoginAttempt.destroy({ where: { ident: key } });
    },
  };
}

/** Counters in Redis (when sessions are there): INCR + EXPIRE, atomic across processes. */
export function redisCounter(client: any): Counter {
  const k = (key: string) => `manouche:login:${key}`;
  return {
    async failures(key) { return Number((await client.get(k(key))) ?? 0); },
    async fail(key, windowSeconds) {
      const n = Number(await client.incr(k(key)));
      if (n === 1) await client.expire(k(key), windowSeconds);
      return n;
    },
    async reset(key) { await client.del(k(key)); },
  };
}

let counter: Counter | undefined;

/** Chooses where failures are counted; called by the auth battery's setup(). */
export function setThrottleCounter(c: Counter): void {
  counter = c;
}

/** The message when a login is refused for too many failures (also the 429 body). */
export const THROTTLED_MESSAGE = 'Too many failed login attempts. Please try again later.';

/** Thrown by authenticate() while a username or address is locked out: a 429 when it escapes a view. */
export class LoginThrottled extends HttpError {
  constructor() { super('E_TOO_MANY_REQUESTS', THROTTLED_MESSAGE, 429); }
}

function keysFor(username: string, address?: string): string[] {
  const keys = [`user:${username.toLowerCase().slice(0, 200)}`];
  if (address) keys.push(`addr:${address.slice(0, 100)}`);
  return keys;
}

/** Throws LoginThrottled when the username or the address has LOGIN_ATTEMPTS_LIMIT failures in the window. */
export async function assertNotThrottled(username: string, address?: string): Promise<void> {
  if (!counter) return;
  const limit = state.settings.LOGIN_ATTEMPTS_LIMIT;
  for (const key of keysFor(username, address)) {
    if ((await counter.failures(key)) >= limit) throw new LoginThrottled();
  }
}

/**
 * Records a failed login; repeated failures are slowed down (a growing pause, up to 2 s) before the refusals start.
 */
export async function recordFailure(username: string, address?: string): Promise<void> {
  if (!counter) return;
  const window = state.settings.LOGIN_ATTEMPTS_WINDOW;
  let worst = 0;
  for (const key of keysFor(username, address)) worst = Math.max(worst, await counter.fail(key, window));
  const pause = Math.min(2000, Math.max(0, worst - 2) * 250);
  if (pause) await new Promise((r) => setTimeout(r, pause));
}

/** A successful login clears the username's counter (the address keeps its count: one good account mustn't reset it). */
export async function recordSuccess(username: string): Promise<void> {
  if (!counter) return;
  await counter.reset(keysFor(username)[0]);
}
