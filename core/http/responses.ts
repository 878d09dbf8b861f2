// Response and its shortcuts (html, text, json, redirect, fileResponse), and the lean writer the pipeline uses.
import nodePath from 'node:path';
import http from 'node:http';
import type { Request, Response as ExpressResponse } from 'express';
import { BadRequest, Http404 } from '../conf/errors';
import { state } from '../conf/state';

/** Status and headers for a response shortcut. */
export interface ResponseInit {
  status?: number;
  headers?: Record<string, string | string[]>;
}

/**
 * What a view returns: a body (string or Buffer), a status and headers (lower-case names).
 * `render()` and the shortcuts build one; the pipeline writes it with one writeHead + end.
 * @example return new Response('<p>hi</p>', 201, { 'content-type': 'text/html; charset=utf-8' })
 */
export class Response {
  body: string | Buffer;
  status: number;
  headers: Record<string, string | string[]>;
  /** Set by fileResponse(): the file to stream instead of `body`. */
  filePath?: string;

  constructor(body: string | Buffer | null | undefined = '', status = 200, headers: Record<string, string | string[]> = {}) {
    this.body = body ?? '';
    this.status = status;
    this.headers = lowerKeys(headers);
  }

  /** The body as text (handy in tests). */
  get text(): string {
    return typeof this.body === 'string' ? this.body : this.body.toString('utf8');
  }
}

function lowerKeys(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  let plain = true;
  for (const k in headers) if (k !== k.toLowerCase()) { plain = false; break; }
  if (plain) return headers;
  const out: Record<string, string | string[]> = {};
  for (const k in headers) out[k.toLowerCase()] = headers[k];
  return out;
}

function make(body: string, type: string, init: ResponseInit): Response {
  const res = new Response(body, init.status ?? 200, init.headers ? lowerKeys(init.headers) : {});
  if (!res.headers['content-type']) res.headers['content-type'] = type;
  return res;
}

/** @example return html('<h1>Hello</h1>') */
export function html(body: string, init: ResponseInit = {}): Response {
  return make(String(body), 'text/html; charset=utf-8', init);
}

/** @example return text('pong') */
export function text(body: string, init: ResponseInit = {}): Response {
  return make(String(body), 'text/plain; charset=utf-8', init);
}

/** @example return json({ data: post }, { status: 201 }) */
export function json(data: unknown, init: ResponseInit = {}): Response {
  return make(data === undefined ? 'null' : JSON.stringify(data), 'application/json; charset=utf-8', init);
}

/**
 * A 302 redirect (301 with `{ permanent: true }`). Refuses `javascript:`/`data:` URLs, as Django does.
 * @example return redirect(reverse('post-detail', { id }))
 */
export function redirect(url: string, opts: { permanent?: boolean } & ResponseInit = {}): Response {
  const location = String(url);
  if (/^\s*(javascript|data|vbscript):/i.test(location)) throw new BadRequest(`Unsafe redirect to URL with protocol "${location.split(':')[0].trim()}".`);
  return new Response('', opts.status ?? (opts.permanent ? 301 : 302), { ...lowerKeys(opts.headers ?? {}), location });
}

/**
 * Streams a file (relative paths are from the app folder) with its content type, ETag and Last-Modified.
 * A missing file answers 404.
 * @example return fileResponse('exports/report.csv', { filename: 'report.csv' })
 */
export function fileResponse(filePath: string, opts: { filename?: string } & ResponseInit = {}): Response {
  const res = new Response('', opts.status ?? 200, lowerKeys(opts.headers ?? {}));
  res.filePath = nodePath.resolve(state.appDir || process.cwd(), filePath);
  if (opts.filename) res.headers['content-disposition'] = `attachment; filename="${opts.filename.replace(/["\\\r\n]/g, '_')}"`;
  return res;
}

/**
 * The security headers (SPEC §7) as [name, value, name, value …], from their settings (Django's names). They are
 * defaults: a header a middleware (helmet …) or the view already set is kept. A setting of null leaves its header out.
 */
export function securityHeaders(): readonly string[] {
  const s = state.settings;
  if (s === cachedFor && cached) return cached;
  const out: string[] = [];
  const xfo = s ? s.X_FRAME_OPTIONS : 'DENY';
  if (xfo) out.push('x-frame-options', xfo);
  if (!s || s.SECURE_CONTENT_TYPE_NOSNIFF) out.push('x-content-type-options', 'nosniff');
  const referrer = s ? s.SECURE_REFERRER_POLICY : 'same-origin';
  if (referrer) out.push('referrer-policy', referrer);
  const coop = s ? s.SECURE_CROSS_ORIGIN_OPENER_POLICY : 'same-origin';
  if (coop) out.push('cross-origin-opener-policy', coop);
  cachedFor = s;
  cached = out;
  return out;
}
let cachedFor: unknown;
let cached: string[] | undefined;

const rawWriteHead = http.ServerResponse.prototype.writeHead;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Writes a Response: one writeHead (security headers, Content-Length, no ETag for dynamic bodies) and one end.
 * Headers a middleware already set (Set-Cookie, helmet's …) are kept; the Response's own headers win.
 */
export function writeResponse(req: Request, res: ExpressResponse, r: Response): void | Promise<void> {
  if (r.filePath) return sendFile(res, r);
  const own = r.headers;
  let type = own['content-type'] as string | undefined;
  if (type === undefined && r.body.length) type = 'text/html; charset=utf-8';
  writeBody(res, r.status, type, r.body, own);
}

/**
 * The one place a body is written: status, content type, length and the security headers in a single writeHead
 * (node's own unless a middleware hooked this response's writeHead), then end(). `extra` headers override the defaults.
 */
export function writeBody(res: ExpressResponse, status: number, type: string | undefined, body: string | Buffer,
  extra?: Record<string, string | string[]>): void {
  const headers: Record<string, string | string[] | number> = {};
  const defaults = securityHeaders();
  for (let i = 0; i < defaults.length; i += 2) if (!res.hasHeader(defaults[i])) headers[defaults[i]] = defaults[i + 1];
  if (type !== undefined) headers['content-type'] = type;
  if (extra) for (const k in extra) headers[k] = extra[k];
  headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  // A middleware that hooks this response's own writeHead (express-session's cookie, via on-headers) must run.
  if (hasOwn.call(res, 'writeHead')) res.writeHead(status, headers as http.OutgoingHttpHeaders);
  else rawWriteHead.call(res, status, headers as http.OutgoingHttpHeaders);
  // HEAD answers with GET's headers (Content-Length included) and no body, whatever server or injector runs the app.
  if (res.req?.method === 'HEAD') res.end();
  else res.end(body);
}

function sendFile(res: ExpressResponse, r: Response): Promise<void> {
  for (const k in r.headers) res.setHeader(k, r.headers[k]);
  if (r.status !== 200) res.status(r.status);
  return new Promise((resolve, reject) => {
    res.sendFile(r.filePath!, { dotfiles: 'allow' }, (err?: Error & { status?: number; code?: string }) => {
      if (!err) return resolve();
      if (res.headersSent) return resolve();
      if (err.status === 404 || err.code === 'ENOENT' || err.code === 'EISDIR') return reject(new Http404(`File not found: ${nodePath.basename(r.filePath!)}`));
      reject(err);
    });
  });
}
