// Turns anything a request raised into a response: status, Allow, JSON or HTML (app template, DEBUG page, plain page).
import type { Request, Response as ExpressResponse } from 'express';
import { HttpError, ManoucheError, MethodNotAllowed } from '../conf/errors';
import { state } from '../conf/state';
import { html, json, writeResponse, type Response } from './responses';
import type * as Debug from './debug';
import { escapeHtml } from './escape';
import type * as Engine from '../template/engine';

// The technical pages and the template engine load at the first error page, not with the app: most requests never
// need them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debugPages = (): typeof Debug => require('./debug');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engine = (): typeof Engine => require('../template/engine');

/** Marks the 404 the resolver raises when no pattern matched, so that the DEBUG page lists the patterns tried. */
export const NOT_RESOLVED = Symbol.for('manouche.notResolved');

const TITLES: Record<number, string> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Payload Too Large',
  429: 'Too Many Requests', 500: 'Server Error', 503: 'Service Unavailable',
};

/** The HTTP status an error maps to: HttpError's own, an express-style `status` in 4xx/5xx, else 500. */
export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof ManoucheError) return err.status;
  const s = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

/** True when the client asked for JSON rather than HTML (Accept, or a JSON request without an HTML preference). */
export function prefersJson(req: Request): boolean {
  const accept = req.headers.accept;
  if (accept && accept !== '*/*') return req.accepts(['html', 'json']) === 'json';
  return (req.headers['content-type'] || '').includes('json');
}

/**
 * Answers a request whose handling threw: never throws itself, never leaks a stack outside DEBUG,
 * logs 5xx with their stack (4xx are the client's business, not errors).
 */
export function sendError(req: Request, res: ExpressResponse, err: unknown): void {
  if (clientAborted(req, res, err)) {
    // Nobody is there to answer: an abort is the client's doing, worth a line at info level, not a 500 with a stack.
    console.info(`Client aborted: ${req.method} ${req.originalUrl} (${(err as Error)?.message ?? String(err)})`);
    if (!res.destroyed) res.destroy();
    return;
  }
  const status = statusOf(err);
  if (status >= 500) console.error(`Internal Server Error: ${req.method} ${req.originalUrl}\n${(err as Error)?.stack ?? String(err)}`);
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  try {
    const response = errorResponse(req, err, status);
    if (err instanceof MethodNotAllowed && err.allowed.length) response.headers.allow = err.allowed.join(', ');
    const retryAfter = (err as { retryAfter?: unknown })?.retryAfter;
    if ((status === 429 || status === 503) && typeof retryAfter === 'number') response.headers['retry-after'] = String(retryAfter);
    const done = writeResponse(req, res, response);
    if (done) done.catch(() => res.destroy());
  } catch (failure) {
    console.error(`Error while rendering the error page for ${req.originalUrl}\n${(failure as Error)?.stack ?? failure}`);
    if (!res.headersSent) { res.statusCode = 500; res.setHeader('content-type', 'text/plain; charset=utf-8'); }
    res.end('Server Error (500)');
  }
}

/**
 * True when the client went away before its answer: its socket is gone (whatever error that caused: a body parser's
 * "unexpected end", a write after close), or a body parser says the request was aborted. An ECONNRESET from the
 * database, with the client still there, stays a 500.
 */
export function clientAborted(req: Request, res: ExpressResponse, err: unknown): boolean {
  if ((err as { type?: unknown } | undefined)?.type === 'request.aborted') return true;
  return Boolean(req.socket?.destroyed && !res.writableFinished);
}

function errorResponse(req: Request, err: unknown, status: number): Response {
  const debug = state.settings?.DEBUG;
  const clientError = status < 500;
  const message = clientError && err instanceof Error ? err.message : debug && err instanceof Error ? err.message : (TITLES[status] ?? 'Error');
  if (prefersJson(req)) return json({ error: message }, { status });
  const custom = `${status}.html`;
  const templated = !debug || status === 403 || status === 400;
  if (templated && safeExists(custom)) {
    try {
      const page = engine().renderToString(custom, { request_path: req.path, exception: clientError ? message : undefined, status }, req);
      return html(page, { status });
    } catch (failure) {
      // A broken error template must not turn a 404 into a 500: log it and answer with the plain page.
      console.error(`Error while rendering ${custom} for ${req.originalUrl}\n${(failure as Error)?.stack ?? failure}`);
    }
  }
  if (debug && status === 404) return html(debugPages().technical404(req, message, (err as Record<symbol, unknown>)?.[NOT_RESOLVED] === true), { status });
  if (debug && !clientError) return html(debugPages().technical500(req, err, status), { status });
  const title = TITLES[status] ?? (clientError ? 'Client Error' : 'Server Error');
  const detail = status === 404
    ? 'The requested resource was not found on this server.'
    : clientError ? escapeHtml(message) : 'An error occurred on the server.';
  return html(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title} (${status})</title></head>`
    + `<body><h1>${title} (${status})</h1><p>${detail}</p></body></html>`, { status });
}

function safeExists(name: string): boolean {
  try { return engine().templateExists(name); } catch { return false; }
}
