// The DEBUG pages: a technical 404 listing the patterns tried, and a technical 500 with stack, request and settings.
import type { Request } from 'express';
import { maskedSettings } from '../conf/settings';
import { state } from '../conf/state';
import { listRoutes } from '../urls/router';
import { viewName } from './views';
import { escapeHtml } from './escape';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}header{background:#ffc;padding:12px 20px;border-bottom:1px solid #ddd}
h1{font-size:20px;margin:0 0 6px}main{padding:12px 20px}table{border-collapse:collapse;margin:8px 0}td,th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}
th{color:#666;font-weight:normal}pre{background:#f6f6f6;padding:10px;overflow:auto}ol li{font-family:monospace}footer{padding:12px 20px;color:#666;border-top:1px solid #ddd}`;

function page(title: string, header: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><header>${header}</header><main>${body}</main>
<footer>You're seeing this error because you have <code>DEBUG: true</code> in your configure() call. Change that to
<code>false</code>, and manouche will display a standard page.</footer></body></html>`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'function' ? `[function ${x.name || 'anonymous'}]` : x)) ?? String(v);
}

function table(rows: Array<[string, unknown]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(show(v))}</code></td></tr>`).join('')}</table>`;
}

const SECRET_FIELDS = /pass|secret|token|key|csrf|signature/i;
const MASK = '********************';

/** The DEBUG 404 page: the request, the patterns tried in order, and why nothing matched. */
export function technical404(req: Request, message: string, tried = true): string {
  const routes = listRoutes();
  const path = safeDecode(req.path);
  const list = routes.length
    ? `<p>Using the URL patterns of <code>${escapeHtml(state.appFile)}</code>, manouche tried these, in this order:</p><ol>${routes
      .map((r) => `<li>${escapeHtml(r.route || "''")}${r.name ? ` [name='${escapeHtml(r.name)}']` : ''}</li>`).join('')}</ol>`
    : '<p>No URL patterns are registered yet: add one with <code>route(\'\', view)</code>.</p>';
  const reason = tried
    ? `<p>The current path, <code>${escapeHtml(path.replace(/^\//, ''))}</code>, didn't match any of these.</p>`
    : `<p>${escapeHtml(message)}</p>`;
  return page('Page not found at ' + path, `<h1>Page not found <span>(404)</span></h1>${table([
    ['Request Method:', req.method], ['Request URL:', req.originalUrl],
    ...(tried ? [] : [['Raised by:', req.resolverMatch ? viewName(req.resolverMatch.view) : '']] as Array<[string, unknown]>),
  ])}`, `${tried ? list : ''}${reason}`);
}

function safeDecode(p: string): string {
  try { return decodeURIComponent(p); } catch { return p; }
}

const SECRET_HEADERS = /^(authorization|cookie|proxy-authorization|x-csrftoken|x-api-key)$/i;

/** The DEBUG 500 page: exception, stack, request (secret headers masked) and settings (secrets masked). */
export function technical500(req: Request, err: unknown, status = 500): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: string }).code;
  const headers = Object.entries(req.headers).map(([k, v]): [string, unknown] => [k, SECRET_HEADERS.test(k) ? MASK : v]);
  const body = req.body && typeof req.body === 'object'
    ? Object.entries(req.body as Record<string, unknown>).map(([k, v]): [string, unknown] => [k, SECRET_FIELDS.test(k) ? MASK : v])
    : [];
  const match = req.resolverMatch;
  return page(`${e.name} at ${req.path}`, `<h1>${escapeHtml(e.name)}${code ? ` <small>${escapeHtml(code)}</small>` : ''} at ${escapeHtml(req.path)}</h1>
<pre>${escapeHtml(e.message)}</pre>${table([
    ['Request Method:', req.method], ['Request URL:', req.originalUrl], ['Status:', String(status)],
    ['View:', match ? `${viewName(match.view)} (${match.route})` : '(none)'], ['Node.js:', process.version],
  ])}`,
  `<h2>Traceback</h2><pre>${escapeHtml(e.stack ?? String(e))}</pre>
<h2>Request</h2><h3>Query</h3>${table(Object.entries(req.query ?? {}))}<h3>Body</h3>${table(body)}<h3>Headers</h3>${table(headers)}
<h2>Settings</h2>${table(Object.entries(maskedSettings(state.settings)))}`);
}
