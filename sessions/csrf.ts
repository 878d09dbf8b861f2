// CSRF protection, Django's scheme: a secret in the csrftoken cookie, masked tokens in forms, Origin/Referer checks.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { state } from '../core/conf/state';
import { formatMessage } from '../core/conf/errors';
import { renderToString, templateExists } from '../core/template/engine';
import { loadBody } from '../core/http/body';
import { escapeHtml, isSecure, prefersJson, randomString, requestCookies } from './cookies';

const CSRF_EXEMPT = Symbol.for('manouche.csrfExempt');
const ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const CSRF_SECRET_LENGTH = 32;
export const CSRF_TOKEN_LENGTH = 64;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** Django's CSRF_COOKIE_AGE: a year, so that a form left open overnight still posts. */
const CSRF_COOKIE_AGE = 31449600;

/** Django's failure reasons, word for word, so that a search for the message finds its explanation. */
export const REASONS = {
  noCookie: 'CSRF cookie not set.',
  missing: 'CSRF token missing.',
  badOrigin: (origin: string) => `Origin checking failed - ${origin} does not match any trusted origins.`,
  noReferer: 'Referer checking failed - no Referer.',
  malformedReferer: 'Referer checking failed - Referer is malformed.',
  insecureReferer: 'Referer checking failed - Referer is insecure while host is secure.',
  badReferer: (referer: string) => `Referer checking failed - ${referer} does not match any trusted origins.`,
};

/**
 * Marks a view as exempt from CSRF checks (webhooks, token-authenticated APIs). Returns the same view.
 * @example route('hooks/stripe/', csrfExempt(async (req) => ({ ok: true })), { methods: ['POST'] })
 */
export function csrfExempt<T>(view: T): T {
  (view as unknown as Record<symbol, boolean>)[CSRF_EXEMPT] = true;
  return view;
}

/** Hides the secret behind a one-time mask, so the token in a page changes on every render (BREACH). */
export function maskSecret(secret: string): string {
  const mask = randomString(CSRF_SECRET_LENGTH, ALLOWED_CHARS);
  let cipher = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    cipher += ALLOWED_CHARS[(ALLOWED_CHARS.indexOf(secret[i]) + ALLOWED_CHARS.indexOf(mask[i])) % ALLOWED_CHARS.length];
  }
  return mask + cipher;
}

/** The secret behind a masked 64-character token. */
export function unmaskToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  let secret = '';
  const n = ALLOWED_CHARS.length;
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    secret += ALLOWED_CHARS[(ALLOWED_CHARS.indexOf(cipher[i]) - ALLOWED_CHARS.indexOf(mask[i]) + n) % n];
  }
  return secret;
}

const isValidSecret = (s: unknown): s is string => typeof s === 'string' && /^[a-zA-Z0-9]{32}$/.test(s);

type CsrfRequest = Request & { _csrfSecret?: string | null };

function setCsrfCookie(req: Request, secret: string): void {
  const s = state.settings;
  req.res?.cookie(s.CSRF_COOKIE_NAME, secret, {
    maxAge: CSRF_COOKIE_AGE * 1000, path: '/', sameSite: s.SESSION_COOKIE_SAMESITE.toLowerCase() as 'lax',
    secure: s.SESSION_COOKIE_SECURE, httpOnly: false, encode: String,
  });
}

/**
 * Gives the request a new CSRF secret (and cookie). The auth battery calls it at login, so that a token
 * an attacker planted before the login is worthless afterwards.
 */
export function rotateCsrfToken(req: Request): void {
  const secret = randomString(CSRF_SECRET_LENGTH, ALLOWED_CHARS);
  (req as CsrfRequest)._csrfSecret = secret;
  setCsrfCookie(req, secret);
}

/** The 403 answer: JSON for API clients, the app's `403_csrf.html` if it has one, else a page that says why. */
function reject(req: Request, res: Response, reason: string): void {
  const message = formatMessage('E_CSRF_FAILED', { reason });
  res.status(403);
  if (prefersJson(req)) { res.json({ error: message, code: 'E_CSRF_FAILED', reason }); return; }
  if (templateExists('403_csrf.html')) {
    res.type('html').send(renderToString('403_csrf.html', { reason, message }, req));
    return;
  }
  res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">`
    + `<title>403 Forbidden</title></head><body><h1>Forbidden <span>(403)</span></h1>`
    + `<p>CSRF verification failed. Request aborted.</p><p><strong>Reason:</strong> ${escapeHtml(reason)}</p>`
    + `<p>This site needs a CSRF cookie and token when submitting forms: make sure your browser accepts cookies `
    + `from this site, and that the form includes <code>{{ csrfInput() }}</code>.</p></body></html>`);
}

function originVerified(req: Request, origin: string): boolean {
  const good = `${isSecure(req) ? 'https' : 'http'}://${req.get('host') ?? ''}`.toLowerCase();
  const given = origin.toLowerCase();
  if (given === good) return true;
  let parsed: URL;
  try { parsed = new URL(given); } catch { return false; }
  return trustedOriginMatches(parsed.protocol, parsed.host, given);
}

function trustedOriginMatches(protocol: string, host: string, full: string): boolean {
  for (const trusted of state.settings.CSRF_TRUSTED_ORIGINS.map((t) => t.toLowerCase())) {
    if (trusted === full) return true;
    const m = /^([a-z][a-z0-9+.-]*:)\/\/\*\.(.+)$/.exec(trusted);
    if (m && m[1] === protocol && (host === m[2] || host.endsWith(`.${m[2]}`))) return true;
  }
  return false;
}

/** Over HTTPS without an Origin header, the Referer must be HTTPS and point at this site or a trusted origin. */
function refererProblem(req: Request): string | null {
  const referer = req.get('referer');
  if (!referer) return REASONS.noReferer;
  let url: URL;
  try { url = new URL(referer); } catch { return REASONS.malformedReferer; }
  if (!url.host) return REASONS.malformedReferer;
  if (url.protocol !== 'https:') return REASONS.insecureReferer;
  const host = String(req.get('host') ?? '').toLowerCase();
  if (url.host.toLowerCase() === host) return null;
  if (trustedOriginMatches(url.protocol, url.host.toLowerCase(), `${url.protocol}//${url.host}`.toLowerCase())) return null;
  return REASONS.badReferer(referer);
}

function tokenProblem(token: string, source: string, secret: string): string | null {
  if (token.length !== CSRF_SECRET_LENGTH && token.length !== CSRF_TOKEN_LENGTH) return `CSRF token from ${source} has incorrect length.`;
  if (!/^[a-zA-Z0-9]+$/.test(token)) return `CSRF token from ${source} has invalid characters.`;
  const given = token.length === CSRF_TOKEN_LENGTH ? unmaskToken(token) : token;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(secret)) ? null : `CSRF token from ${source} incorrect.`;
}

/** The CSRF middleware: gives every request `req.csrfToken()` (the check itself runs just before the view). */
export function csrfMiddleware(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const r = req as CsrfRequest;
    const cookie = requestCookies(req)[state.settings.CSRF_COOKIE_NAME];
    r._csrfSecret = isValidSecret(cookie) ? cookie : null;
    req.csrfToken = () => {
      if (!r._csrfSecret) rotateCsrfToken(req);
      return maskSecret(r._csrfSecret!);
    };
    next();
  };
}

/**
 * The CSRF check (Django's process_view): after resolution and the route's own middleware, refuses unsafe methods
 * (POST, PUT, PATCH, DELETE) from a foreign Origin or without a matching token (header `X-CSRFToken`, else form
 * field `csrfmiddlewaretoken`), unless the view was wrapped in `csrfExempt()`. The body is read only here, when the
 * token has to come from the form, and only if no middleware took it (multer leaves its fields in req.body).
 */
export function csrfCheck(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const r = req as CsrfRequest;
    if (SAFE_METHODS.has(req.method)) return next();
    const view = req.resolverMatch?.view as unknown as Record<symbol, unknown> | undefined;
    if (view && view[CSRF_EXEMPT]) return next();
    const before = originOrCookieProblem(req);
    if (before) return reject(req, res, before);
    const fromHeader = req.get('x-csrftoken');
    if (fromHeader) {
      const problem = tokenProblem(fromHeader, "the 'X-Csrftoken' HTTP header", r._csrfSecret!);
      return problem ? reject(req, res, problem) : next();
    }
    // An included express Router reads its own multipart body (multer): only a plain form is read for it here.
    const type = String(req.headers['content-type'] ?? '');
    const read = req.resolverMatch?.mount && !type.startsWith('application/x-www-form-urlencoded') ? Promise.resolve() : loadBody(req);
    read.then(() => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromForm = body && typeof body === 'object' && typeof body.csrfmiddlewaretoken === 'string' ? body.csrfmiddlewaretoken : undefined;
      if (!fromForm) return reject(req, res, REASONS.missing);
      const problem = tokenProblem(fromForm, 'POST', r._csrfSecret!);
      return problem ? reject(req, res, problem) : next();
    }, next);
  };
}

/**
 * Why an unsafe request fails the CSRF checks (Origin/Referer, cookie, token), or null when it passes. For views
 * that check CSRF themselves: the API checks it only for session-authenticated requests, never for tokens.
 * @example const reason = csrfRefusal(req); if (reason) throw new PermissionDenied(reason)
 */
export function csrfRefusal(req: Request): string | null {
  const r = req as CsrfRequest;
  const before = originOrCookieProblem(req);
  if (before) return before;
  const body = req.body as Record<string, unknown> | undefined;
  const fromForm = body && typeof body === 'object' && typeof body.csrfmiddlewaretoken === 'string' ? body.csrfmiddlewaretoken : undefined;
  const fromHeader = req.get('x-csrftoken');
  const token = fromForm || fromHeader;
  if (!token) return REASONS.missing;
  return tokenProblem(token, fromForm ? 'POST' : "the 'X-Csrftoken' HTTP header", r._csrfSecret!);
}

/** The checks before the token: a foreign Origin (or, over HTTPS, Referer), and a missing CSRF cookie. */
function originOrCookieProblem(req: Request): string | null {
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (!originVerified(req, origin)) return REASONS.badOrigin(origin);
  } else if (isSecure(req)) {
    const problem = refererProblem(req);
    if (problem) return problem;
  }
  return (req as CsrfRequest)._csrfSecret ? null : REASONS.noCookie;
}
