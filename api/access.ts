// Who is asking and may they: token or session authentication (CSRF for sessions), permissions, throttling.
import type { Request } from 'express';
import { state } from '../core/conf/state';
import { getModelMeta } from '../core/db/models';
import { ApiError } from './errors';
import { userForKey } from './tokens';

/** The actions of a resource, and the model permission each needs by default (Django's view/add/change/delete). */
export type Action = 'list' | 'retrieve' | 'create' | 'update' | 'partialUpdate' | 'destroy';
export const PERMISSION_OF: Record<Action, 'view' | 'add' | 'change' | 'delete'> = {
  list: 'view', retrieve: 'view', create: 'add', update: 'change', partialUpdate: 'change', destroy: 'delete',
};
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who may read: anyone, any logged-in user, or (default) users with the model's view permission. */
export type ReadAccess = 'public' | 'authenticated' | 'permission';

type ApiUser = { id?: unknown; isAuthenticated?: boolean; hasPerm?(perm: string): Promise<boolean> };
type ApiRequest = Request & { apiAuth?: 'token' | 'session' | null; user?: ApiUser };

/**
 * Authenticates an API request once: `Authorization: Token <key>` (refused with 401 when the key is wrong), else
 * the session's user. Session-authenticated writes must pass the CSRF checks; token ones cannot be forged by a page.
 */
export async function authenticate(req: Request): Promise<void> {
  const r = req as ApiRequest;
  if (r.apiAuth !== undefined) return;
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Token ([^\s]+)$/i.exec(header.trim());
    const User = authUser();
    const user = m && User ? await userForKey(m[1], User) : null;
    if (!user) throw new ApiError('E_API_BAD_TOKEN', {}, undefined, { 'www-authenticate': 'Token' });
    r.user = user;
    r.apiAuth = 'token';
    return;
  }
  r.apiAuth = r.user?.isAuthenticated ? 'session' : null;
  if (r.apiAuth === 'session' && !SAFE.has(req.method)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { csrfRefusal } = require('../sessions/csrf') as typeof import('../sessions/csrf');
    const reason = csrfRefusal(req);
    if (reason) throw new ApiError('E_CSRF_FAILED', { reason });
  }
}

function authUser(): any {
  if (!state.switches.auth) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../auth/models').authModels()?.User;
}

/** True when the request carries a logged-in user (by session or token). */
export function isAuthenticated(req: Request): boolean {
  return Boolean((req as ApiRequest).user?.isAuthenticated);
}

/** 401 for anonymous requests (with the challenge), 403 for users who lack the right. */
export function denied(req: Request): ApiError {
  return isAuthenticated(req)
    ? new ApiError('E_API_PERMISSION_DENIED')
    : new ApiError('E_API_NOT_AUTHENTICATED', {}, undefined, { 'www-authenticate': 'Token' });
}

/** The default rule: reads per `read`, writes need the model permission (`blog.add_post` …). */
export async function hasModelPermission(req: Request, model: any, action: Action, read: ReadAccess): Promise<boolean> {
  const perm = PERMISSION_OF[action];
  if (perm === 'view' && read === 'public') return true;
  if (!isAuthenticated(req)) return false;
  if (perm === 'view' && read === 'authenticated') return true;
  const meta = getModelMeta(model);
  const user = (req as ApiRequest).user!;
  if (!user.hasPerm) return false;
  if (perm === 'view' && (await user.hasPerm(`${meta.appLabel}.change_${meta.modelName}`))) return true;
  return user.hasPerm(`${meta.appLabel}.${perm}_${meta.modelName}`);
}

/** A throttle rate: `'100/minute'`, `'5/second'`, `'1000/day'`, keyed per user (or per address when anonymous). */
export type ThrottleRate = `${number}/${'second' | 'minute' | 'hour' | 'day'}`;
const PERIODS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

/**
 * A fixed-window counter per user or address, in this process's memory (a multi-process deployment throttles per
 * worker: put a shared limiter such as express-rate-limit with a Redis store in MIDDLEWARE for a global limit).
 */
export class Throttle {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(rate: ThrottleRate | string, private readonly scope: string) {
    const m = /^(\d+)\/(second|minute|hour|day)$/.exec(String(rate));
    if (!m || Number(m[1]) < 1) throw new ApiError('E_API_CONFIG', { detail: `${scope}: throttle must look like '100/minute' (per second, minute, hour or day), got ${JSON.stringify(rate)}.` });
    this.limit = Number(m[1]);
    this.windowMs = PERIODS[m[2]] * 1000;
  }

  /** Counts this request; throws 429 with Retry-After once the limit is passed. */
  check(req: Request): void {
    const user = (req as ApiRequest).user;
    const key = user?.isAuthenticated ? `user:${String(user.id)}` : `addr:${req.ip ?? ''}`;
    const now = Date.now();
    let entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
      entry = { count: 0, resetAt: now + this.windowMs };
      this.hits.set(key, entry);
    }
    entry.count++;
    if (entry.count > this.limit) {
      const wait = Math.max(1, Math.ceil((entry.resetAt - now) / 1000));
      throw new ApiError('E_API_THROTTLED', { wait }, undefined, { 'retry-after': String(wait) });
    }
  }
}
