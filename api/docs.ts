// /api/docs/: Swagger UI from the swagger-ui-dist package, served locally (no CDN); an optional peer dependency.
import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'express';
import { state } from '../core/conf/state';
import { html, Response } from '../core/http/responses';
import { Http404 } from '../core/conf/errors';

/**
 * swagger-ui-dist is optional: it pulls @scarf/scarf, whose install script makes npm print a warning on every
 * install of an app that never opens the docs. Apps that want the page run `npm install swagger-ui-dist`.
 */
function swaggerDir(): string | undefined {
  try {
    return path.dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The docs page: Swagger UI pointed at openapi.json, or how to install it when the package is missing. */
export function docsPage(_req: Request): Response {
  const base = state.settings.API_URL;
  const title = `${escape(state.appLabel)} API`;
  if (!swaggerDir()) {
    return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>`
      + `<h1>${title}</h1><p>The interactive documentation uses the <code>swagger-ui-dist</code> package, which is not installed.`
      + ` Install it next to your app with <code>npm install swagger-ui-dist</code> and reload this page.</p>`
      + `<p>The OpenAPI document is at <a href="${escape(base)}openapi.json">${escape(base)}openapi.json</a>.</p></body></html>`);
  }
  // The page's script is a file of its own: no inline script, so a strict Content-Security-Policy still allows it.
  return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>`
    + `<link rel="stylesheet" href="${escape(base)}docs/swagger-ui.css"><link rel="icon" href="${escape(base)}docs/favicon-32x32.png"></head>`
    + `<body><div id="swagger-ui" data-url="${escape(base)}openapi.json"></div>`
    + `<script src="${escape(base)}docs/swagger-ui-bundle.js"></script><script src="${escape(base)}docs/init.js"></script></body></html>`);
}

/** Sends the CSRF cookie back as X-CSRFToken, so "Try it out" works with a logged-in session too. */
function initScript(): string {
  return `var csrfCookie = ${JSON.stringify(state.settings.CSRF_COOKIE_NAME)};
window.ui = SwaggerUIBundle({ url: document.getElementById('swagger-ui').dataset.url, dom_id: '#swagger-ui', deepLinking: true,
  requestInterceptor: function (req) {
    var c = document.cookie.split('; ').filter(function (p) { return p.indexOf(csrfCookie + '=') === 0; })[0];
    if (c && !req.headers.Authorization) req.headers['X-CSRFToken'] = c.slice(csrfCookie.length + 1);
    return req;
  } });
`;
}

/** One of Swagger UI's files (a fixed list: nothing else of the package or the disk is reachable). */
export function docsAsset(name: string): Response {
  if (name === 'init.js') return new Response(initScript(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' });
  const dir = swaggerDir();
  const type = ASSETS[name];
  if (!dir || !type) throw new Http404(`No documentation asset "${name}".`);
  return new Response(fs.readFileSync(path.join(dir, name)), 200, { 'content-type': type, 'cache-control': 'max-age=86400' });
}
