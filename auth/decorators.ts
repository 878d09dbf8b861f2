// loginRequired(view) and permissionRequired(perm)(view): Django's decorators, for function and class views.
import type { Request } from 'express';
import { PermissionDenied } from '../core/conf/errors';
import { json, redirect, type Response } from '../core/http/responses';
import { reverse } from '../core/urls/router';
import { withScriptPrefix } from '../core/urls/prefix';
import { isViewClass, View } from '../core/http/views';
import { state } from '../core/conf/state';
import { prefersJson } from '../sessions/cookies';

const CSRF_EXEMPT = Symbol.for('manouche.csrfExempt');

/** LOGIN_URL as a path: a URL name ('login') is reversed, a path or full URL is used as it is. */
function loginUrl(): string {
  const url = state.settings.LOGIN_URL;
  if (url.startsWith('/') || /^https?:\/\//.test(url)) return withScriptPrefix(url);
  try { return reverse(url); } catch { return url; }
}

/**
 * The answer for a visitor who must log in first: a redirect to LOGIN_URL with `next` (Django's
 * redirect_to_login), or a JSON 401 for API clients.
 */
export function redirectToLogin(req: Request): Response {
  if (prefersJson(req)) return json({ error: 'Authentication credentials were not provided.' }, { status: 401 });
  const target = loginUrl();
  const next = encodeURIComponent(req.originalUrl || req.url).replace(/%2F/gi, '/');
  return redirect(`${target}${target.includes('?') ? '&' : '?'}next=${next}`);
}

type Guard = (req: Request) => Promise<Response | null>;

/** Wraps a function view or a View subclass so that `guard` runs first; a non-null answer replaces the view's. */
function guarded<T>(view: T, guard: Guard): T {
  if (isViewClass(view)) {
    const Base = view as unknown as typeof View;
    const Wrapped = class extends Base {
      override async dispatch(req: Request, params: Record<string, unknown>): Promise<any> {
        return (await guard(req)) ?? super.dispatch(req, params);
      }
    };
    Object.defineProperty(Wrapped, 'name', { value: Base.name });
    return Wrapped as unknown as T;
  }
  const fn = view as unknown as (...a: unknown[]) => unknown;
  const wrapped = async function (this: unknown, req: Request, ...rest: unknown[]) {
    return (await guard(req)) ?? fn.call(this, req, ...rest);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  if ((fn as any)[CSRF_EXEMPT]) (wrapped as any)[CSRF_EXEMPT] = true;
  return wrapped as unknown as T;
}

/**
 * Lets only logged-in users through; others are redirected to LOGIN_URL?next=<this page> (JSON: 401).
 * @example route('dashboard/', loginRequired(async (req) => render(req, 'dashboard.html')))
 */
export function loginRequired<T>(view: T): T {
  return guarded(view, async (req) => (req.user?.isAuthenticated ? null : redirectToLogin(req)));
}

/**
 * Lets through users with the permission(s): logged-in users without them get 403, visitors the login redirect.
 * @example route('posts/<int:id>/edit/', permissionRequired('blog.change_post')(editPost))
 */
export function permissionRequired(perm: string | string[]): <T>(view: T) => T {
  const perms = Array.isArray(perm) ? perm : [perm];
  return <T>(view: T): T => guarded(view, async (req) => {
    if (!req.user?.isAuthenticated) return redirectToLogin(req);
    if (await req.user.hasPerms(perms)) return null;
    throw new PermissionDenied(`You don't have permission to do this (needs ${perms.join(', ')}).`);
  });
}
