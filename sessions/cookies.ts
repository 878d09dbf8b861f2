// Cookie helpers shared by sessions, CSRF and the test bridge: parsing, signing like express-session, derived keys.
import crypto from 'node:crypto';
import type { Request } from 'express';
import { state } from '../core/conf/state';

/**
 * A key derived from SECRET_KEY for one purpose (Django's salted_hmac idea): a leaked session signature
 * says nothing about the key used for, say, session auth hashes.
 * @example deriveKey('sessions.cookie')
 */
export function deriveKey(purpose: string): string {
  return crypto.createHmac('sha256', `manouche.${purpose}`).update(state.settings.SECRET_KEY).digest('base64url');
}

/**
 * Parses a Cookie header into a name → value map. Malformed pairs or %-escapes are kept raw, never thrown.
 * @example parseCookies('a=1; b=x%20y') // { a: '1', b: 'x y' }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try { out[name] = decodeURIComponent(value); } catch { out[name] = value; }
  }
  return out;
}

/** The cookies of a request (parsed once and kept on the request). */
export function requestCookies(req: Request): Record<string, string> {
  const r = req as Request & { _manoucheCookies?: Record<string, string> };
  if (!r._manoucheCookies) r._manoucheCookies = parseCookies(req.headers.cookie);
  return r._manoucheCookies;
}

/** Signs a value the way express-session (cookie-signature) does: `value.base64(hmac-sha256)` without padding. */
export function signValue(value: string, secret: string): string {
  return `${value}.${crypto.createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;
}

/** The value behind a signed `s:value.sig` cookie, or null when the signature doesn't match (forged, truncated). */
export function unsignValue(signed: string, secret: string): string | null {
  if (typeof signed !== 'string' || !signed.startsWith('s:')) return null;
  const body = signed.slice(2);
  const dot = body.lastIndexOf('.');
  if (dot < 1) return null;
  const value = body.slice(0, dot);
  const expected = Buffer.from(signValue(value, secret));
  const got = Buffer.from(body);
  return expected.length === got.length && crypto.timingSafeEqual(expected, got) ? value : null;
}

/**
 * True when the request came over HTTPS: directly, through a proxy express trusts ('trust proxy'), or, when
 * SESSION_COOKIE_SECURE says the site is served over TLS, a proxy's `X-Forwarded-Proto: https` (a header a
 * cross-site form can't set, and one that only makes the CSRF checks stricter).
 */
export function isSecure(req: Request): boolean {
  if (req.secure || req.protocol === 'https') return true;
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim().toLowerCase();
  return Boolean(state.settings.SESSION_COOKIE_SECURE) && forwarded === 'https';
}

/** True when the client prefers a JSON answer (an API call) over an HTML page: the pipeline's own rule. */
export { prefersJson } from '../core/http/error-pages';

export { escapeHtml } from '../core/http/escape';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random string from an alphabet ([a-zA-Z0-9] by default), without modulo bias. */
export function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
