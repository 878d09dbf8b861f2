// Where a `next` parameter may send the user: only to this site (Django's url_has_allowed_host_and_scheme).
import type { Request } from 'express';
import { state } from '../core/conf/state';
import { withScriptPrefix } from '../core/urls/prefix';
import { isSecure } from '../sessions/cookies';

/**
 * True when `url` stays on this site: a relative path, or an absolute URL whose host is the request's own
 * (or in `allowedHosts`) over an allowed scheme. `//evil`, `/\evil`, `https://evil`, `javascript:` … are refused.
 * @example isSafeRedirect('/admin/', req) // true;  isSafeRedirect('//evil.com', req) // false
 */
export function isSafeRedirect(url: unknown, req: Request, allowedHosts: string[] = []): url is string {
  if (typeof url !== 'string') return false;
  const trimmed = url.trim();
  if (!trimmed || trimmed.length > 2048) return false;
  // Control characters and backslashes are read as '/' or dropped by some browsers: '/\evil' means '//evil'.
  if (/[\u0000-\u001f\u007f\\]/.test(trimmed)) return false;
  const hosts = new Set([String(req.get('host') ?? '').toLowerCase(), ...allowedHosts.map((h) => h.toLowerCase())]);
  const requireHttps = isSecure(req);
  let parsed: URL;
  try { parsed = new URL(trimmed, 'http://relative.invalid'); } catch { return false; }
  const relative = parsed.host === 'relative.invalid' && !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('//');
  if (relative) return trimmed.startsWith('/') || !trimmed.includes(':');
  if (!/^https?:$/.test(parsed.protocol)) return false;
  if (requireHttps && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  return hosts.has(parsed.host.toLowerCase());
}

/** The `next` target of a request (query or form), if it is safe; else the fallback (LOGIN_REDIRECT_URL). */
export function safeNext(req: Request, fallback = withScriptPrefix(state.settings.LOGIN_REDIRECT_URL)): string {
  const body = req.body as Record<string, unknown> | undefined;
  const candidate = (body && typeof body === 'object' ? body.next : undefined) ?? req.query?.next;
  return isSafeRedirect(candidate, req) ? (candidate as string).trim() : fallback;
}
