// Login throttling: failures counted per (username, address) and per address, in the database (or Redis), for a window.
import type { Model, ModelStatic } from 'sequelize';
import { state } from '../core/conf/state';
import { HttpError } from '../core/conf/errors';

/** What a throttle backend stores: a counter per key that expires with its window. */
interface Counter {
  /** The count in the running window and the seconds until it ends (0, 0 when there is none). */
  failures(key: string): Promise<{ count: number; retryAfter: number }>;
  fail(key: string, windowSeconds: number): Promise<number>;
  reset(key: string): Promise<void>;
}

const secondsUntil = (when: Date | string) => Math.max(1, Math.ceil((new Date(when).getTime() - Date.now()) / 1000));

/** Counters in auth_loginattempt: shared by every process on the database. */
export function databaseCounter(LoginAttempt: ModelStatic<Model>): Counter {
  return {
    async failures(key) {
      const row = (await LoginAttempt.findByPk(key)) as any;
      return row && new Date(row.expiresAt).getTime() > Date.now() ? { count: Number(row.failures), retryAfter: secondsUntil(row.expiresAt) } : { count: 0, retryAfter: 0 };
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
    async failures(key) {
      const [count, ttl] = await Promise.all([client.get(k(key)), client.ttl(k(key))]);
      return { count: Number(count ?? 0), retryAfter: Math.max(1, Number(ttl)) };
    },
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

/** Thrown by authenticate() while a (username, address) pair or an address is locked out: a 429 with Retry-After. */
export class LoginThrottled extends HttpError {
  constructor(readonly retryAfter: number) { super('E_TOO_MANY_REQUESTS', THROTTLED_MESSAGE, 429); }
}

/** How long a successful login makes its (username, address) pair known: immune to the address's lockout. */
export const KNOWN_PAIR_SECONDS = 30 * 24 * 3600;

const keys = (username: string, address = '-') => {
  const name = username.toLowerCase().slice(0, 150);
  const addr = address.slice(0, 100);
  return { pair: `pair:${addr}|${name}`, address: `addr:${addr}`, known: `known:${addr}|${name}` };
};

/**
 * Throws LoginThrottled when this username has LOGIN_ATTEMPTS_LIMIT failures from this address in the window, or the
 * address has LOGIN_ATTEMPTS_ADDRESS_LIMIT failures across usernames (unless this username logged in from it before).
 * Failures elsewhere never count: a user cannot be locked out from an address that never failed. Policy: docs/throttling.md.
 */
export async function assertNotThrottled(username: string, address?: string): Promise<void> {
  if (!counter) return;
  const { settings } = state;
  const k = keys(username, address);
  const pair = await counter.failures(k.pair);
  if (pair.count >= settings.LOGIN_ATTEMPTS_LIMIT) throw new LoginThrottled(pair.retryAfter);
  const addr = await counter.failures(k.address);
  if (addr.count >= settings.LOGIN_ATTEMPTS_ADDRESS_LIMIT && (await counter.failures(k.known)).count === 0) throw new LoginThrottled(addr.retryAfter);
}

/**
 * Records a failed login; repeated failures of one pair are slowed down (a growing pause, up to 2 s) before the refusals start.
 */
export async function recordFailure(username: string, address?: string): Promise<void> {
  if (!counter) return;
  const window = state.settings.LOGIN_ATTEMPTS_WINDOW;
  const k = keys(username, address);
  const pair = await counter.fail(k.pair, window);
  await counter.fail(k.address, window);
  const pause = Math.min(2000, Math.max(0, pair - 2) * 250);
  if (pause) await new Promise((r) => setTimeout(r, pause));
}

/** A successful login clears its pair's counter and makes the pair known (the address keeps its count). */
export async function recordSuccess(username: string, address?: string): Promise<void> {
  if (!counter) return;
  const k = keys(username, address);
  await counter.reset(k.pair);
  if ((await counter.failures(k.known)).count === 0) await counter.fail(k.known, KNOWN_PAIR_SECONDS);
}
