// buildApp(): the express app whose handler is manouche's compiled request pipeline (one step, no layer routing).
import http from 'node:http';
import express, { type Express, type Request, type RequestHandler, type Response as ExpressResponse } from 'express';
import { state } from '../conf/state';
import { ImproperlyConfigured, Http404, ManoucheError, MethodNotAllowed, BadRequest, SuspiciousRequest } from '../conf/errors';
import { resolve, userMiddleware, getIndex, type Match } from '../urls/router';
import { View } from './views';
import { Response, SECURITY_HEADERS, writeBody, writeResponse } from './responses';
import { parseBody, type BodyLimits } from './body';
import { staticFiles, type StaticFiles } from './static';
import { NOT_RESOLVED, sendError } from './error-pages';
import { hostChecker } from './hosts';

const rawWriteHead = http.ServerResponse.prototype.writeHead;
const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

type ExpressInternals = { request: object; response: object; router: { stack: unknown[]; handle: Function } };

/**
 * Builds the express application: Host check → security headers → static → body → resolve → battery
 * middleware → settings.MIDDLEWARE → use() middleware → view → response. Called once by run()/getApp().
 * Routes or middleware added later with `app.use()`/`app.get()` serve what no manouche pattern matched.
 * @example const app = buildApp(); app.listen(8000)
 */
export function buildApp(): Express {
  const s = state.settings;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // req.ip, req.protocol and req.secure believe X-Forwarded-* only from the proxies this names (express's syntax).
  app.set('trust proxy', state.settings.TRUST_PROXY);
  // Responses written by express itself (res.json in a view, static files, a mounted Router) get the headers too.
  (app.response as unknown as { writeHead: Function }).writeHead = securedWriteHead(rawWriteHead);
  for (const mw of s.MIDDLEWARE) if (typeof mw !== 'function') throw new ImproperlyConfigured('', 'E_BAD_SETTING', { name: 'MIDDLEWARE', detail: 'must hold express middleware functions' });
  getIndex(); // bad patterns fail at startup, not on the first request
  const pipeline = new Pipeline(hostChecker(s.ALLOWED_HOSTS, state.testing), staticFiles(),
    { maxMemory: s.DATA_UPLOAD_MAX_MEMORY_SIZE, maxFileSize: s.FILE_UPLOAD_MAX_SIZE }, s.APPEND_SLASH, s.DEBUG);
  const internals = app as unknown as ExpressInternals;
  const serverOptions = serverOptionsFor(internals);
  const requests = new PrototypeAdopter(internals.request, http.IncomingMessage.prototype);
  const responses = new PrototypeAdopter(internals.response, http.ServerResponse.prototype);
  // The pipeline is the app's handler: it sets express's prototypes and circular references as app.handle does
  // (so req.query, res.json … work), without express's layer-by-layer router in front of every request.
  (app as unknown as { handle: Function }).handle = function handle(req: Request, res: ExpressResponse) {
    req.res = res;
    res.req = req;
    // Changing an object's prototype is the costliest step of express's handle(): skipped when the server was
    // created with serverOptions (app.listen() does), whose request/response objects are born with them.
    if (!serverOptions.prototypes.has(Object.getPrototypeOf(req))) {
      requests.adopt(req);
      responses.adopt(res);
    }
    if (!res.locals) res.locals = Object.create(null);
    // What express's router would have set: express-session and friends read originalUrl.
    if (!req.originalUrl) req.originalUrl = req.url;
    if (req.baseUrl === undefined) req.baseUrl = '';
    pipeline.handle(req, res);
  };
  Object.defineProperty(app, 'serverOptions', { value: { IncomingMessage: serverOptions.IncomingMessage, ServerResponse: serverOptions.ServerResponse } });
  app.listen = function listen(this: Express, ...args: unknown[]) {
    const server = http.createServer(serverOptions, this);
    return server.listen(...(args as Parameters<typeof server.listen>));
  } as Express['listen'];
  pipeline.fallback = (req, res, notFound) => {
    const router = internals.router;
    if (!router.stack.length) return notFound();
    router.handle(req, res, (err?: unknown) => (err ? sendError(req, res, err) : notFound()));
  };
  return app;
}

/** A writeHead that adds the security headers a response has not set, then calls the one it wraps. */
function securedWriteHead(parent: Function): Function {
  return function writeHead(this: ExpressResponse, ...args: unknown[]) {
    for (const k in SECURITY_HEADERS) if (!this.hasHeader(k)) this.setHeader(k, SECURITY_HEADERS[k]);
    return parent.apply(this, args);
  };
}

/**
 * Gives requests/responses express's API for this app. A plain node object gets the app's prototype, as express
 * does; another kind (light-my-request's, a parent express app's) keeps its own methods under express's, so that
 * whatever captures its output still does. The mixed prototypes are made once per foreign prototype.
 */
class PrototypeAdopter {
  private readonly mixedFor = new WeakMap<object, object>();
  private readonly mixed = new WeakSet<object>();

  constructor(private readonly appProto: object, private readonly nativeProto: object) {}

  adopt(obj: object): void {
    const proto = Object.getPrototypeOf(obj) as object;
    if (proto === this.nativeProto) { Object.setPrototypeOf(obj, this.appProto); return; }
    if (proto === this.appProto || this.mixed.has(proto)) return;
    let mixed = this.mixedFor.get(proto);
    if (!mixed) {
      const expressProto = Object.getPrototypeOf(this.appProto) as object;
      mixed = Object.create(proto, { ...Object.getOwnPropertyDescriptors(expressProto), ...Object.getOwnPropertyDescriptors(this.appProto) }) as object;
      if ('writeHead' in this.appProto) (mixed as { writeHead: Function }).writeHead = securedWriteHead((proto as { writeHead: Function }).writeHead);
      this.mixedFor.set(proto, mixed);
      this.mixed.add(mixed);
    }
    Object.setPrototypeOf(obj, mixed);
  }
}

/**
 * Options for `http.createServer(app.serverOptions, app)`: request and response classes whose prototypes are
 * express's (for this app), so that no request needs Object.setPrototypeOf. Servers made without them work too.
 */
function serverOptionsFor(internals: ExpressInternals): http.ServerOptions & { prototypes: Set<object> } {
  // Subclasses keep V8's fast construction path; their prototypes chain onto express's app.request/app.response.
  // (Like express itself, a real server stops working in a process where light-my-request injected into an
  // express app first: it re-parents express's shared prototypes onto its own fake request/response.)
  class ManoucheRequest extends http.IncomingMessage {}
  class ManoucheResponse extends http.ServerResponse {}
  Object.setPrototypeOf(ManoucheRequest.prototype, internals.request);
  Object.setPrototypeOf(ManoucheResponse.prototype, internals.response);
  return {
    IncomingMessage: ManoucheRequest,
    ServerResponse: ManoucheResponse as typeof http.ServerResponse,
    prototypes: new Set([ManoucheRequest.prototype, internals.request]),
  };
}

class Pipeline {
  /** Called when no pattern matched, before the 404: buildApp() hands the request to express's own router. */
  fallback: (req: Request, res: ExpressResponse, notFound: () => void) => void = (_req, _res, notFound) => notFound();

  constructor(
    private readonly hostAllowed: (host: string | undefined) => boolean,
    private readonly files: StaticFiles,
    private readonly limits: BodyLimits,
    private readonly appendSlash: boolean,
    private readonly debug: boolean,
  ) {}

  handle(req: Request, res: ExpressResponse): void {
    try {
      if (!this.hostAllowed(req.headers.host)) throw disallowedHost(req.headers.host);
      const url = req.url;
      const q = url.indexOf('?');
      const pathname = q < 0 ? url : url.slice(0, q);
      const search = q < 0 ? '' : url.slice(q);
      if (this.files.handles(pathname)) {
        this.files.serve(req, res, pathname, (err) => (err ? sendError(req, res, err) : this.withBody(req, res, pathname, search)));
      } else {
        this.withBody(req, res, pathname, search);
      }
    } catch (err) {
      sendError(req, res, err);
    }
  }

  /** Parses the body first when the method has one; GET/HEAD go straight (and synchronously) to dispatch. */
  private withBody(req: Request, res: ExpressResponse, pathname: string, search: string): void {
    if (NO_BODY.has(req.method) || req.body !== undefined) return this.dispatch(req, res, pathname, search);
    parseBody(req, this.limits).then(() => this.dispatch(req, res, pathname, search), (err) => sendError(req, res, err));
  }

  /** Resolves the path, then runs middleware and the view; synchronous until something is actually asynchronous. */
  private dispatch(req: Request, res: ExpressResponse, pathname: string, search: string): void {
    let match: Match | undefined;
    try {
      // A request target that is not a path (`OPTIONS *`, RFC 9110 §7.1) matches no pattern: a 404, as in Django.
      match = pathname.startsWith('/') ? resolve(decodePath(pathname)) : undefined;
      if (!match) return this.fallback(req, res, () => this.notFound(req, res, pathname, search));
      const leaf = match.leaf;
      req.resolverMatch = { view: leaf.view, params: match.params, name: leaf.name, route: leaf.route };
      req.params = match.params as Record<string, string>;
      if (leaf.methods && !leaf.methods.has(req.method)) throw new MethodNotAllowed([...leaf.methods]);
    } catch (err) {
      return sendError(req, res, err);
    }
    if (state.batteryMiddleware.length || state.settings.MIDDLEWARE.length || userMiddleware.length) {
      runMiddleware(req, res, (err) => (err ? sendError(req, res, err) : runView(req, res, match!)));
    } else {
      runView(req, res, match);
    }
  }

  /** APPEND_SLASH (SPEC §3), else the 404 (the DEBUG one lists the patterns tried). */
  private notFound(req: Request, res: ExpressResponse, pathname: string, search: string): void {
    if (this.appendSlash && pathname.startsWith('/') && !pathname.endsWith('/') && resolve(decodePath(pathname) + '/')) {
      // A leading '//' would make the Location protocol-relative: an open redirect to another host.
      const target = ((req.baseUrl || '') + pathname + '/').replace(/^\/\/+/, '/%2F') + search;
      // As Django's CommonMiddleware: every method is redirected; in DEBUG, methods whose body a browser would
      // drop on the way get a page that explains it instead.
      if (this.debug && BODY_LOST_ON_REDIRECT.has(req.method)) {
        return sendError(req, res, new ManoucheError('E_APPEND_SLASH_POST', { method: req.method, slashPath: target }));
      }
      return writeResponse(req, res, new Response('', 301, { location: target })) as void;
    }
    const err = new Http404(`The current path, ${pathname.slice(1)}, didn't match any URL pattern.`);
    (err as unknown as Record<symbol, boolean>)[NOT_RESOLVED] = true;
    sendError(req, res, err);
  }
}

/** Calls the view (a fresh instance for a View subclass) and answers with what it returned. */
function runView(req: Request, res: ExpressResponse, match: Match): void {
  const leaf = match.leaf;
  if (leaf.mount) return mountRouter(req, res, leaf.mount, match.prefixLength);
  let result: unknown;
  try {
    result = leaf.isClass ? new (leaf.view as typeof View)().dispatch(req, match.params) : leaf.view(req, match.params, ...match.args);
  } catch (err) {
    return sendError(req, res, err);
  }
  if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then((value) => answer(req, res, value), (err) => sendError(req, res, err));
  } else {
    answer(req, res, result);
  }
}

/** Writes what a view returned: Response, string (HTML), object/array (JSON), or nothing if it used req.res. */
function answer(req: Request, res: ExpressResponse, result: unknown): void {
  try {
    if (result instanceof Response) {
      const done = writeResponse(req, res, result);
      if (done) done.catch((err) => sendError(req, res, err));
    } else if (typeof result === 'string') {
      writeBody(res, 200, 'text/html; charset=utf-8', result);
    } else if (result === undefined || result === res) {
      if (!res.headersSent && !res.writableEnded) {
        const view = req.resolverMatch?.view;
        throw new ManoucheError('E_VIEW_RETURNED_NOTHING', { view: view?.name || '(anonymous)', path: req.path });
      }
    } else if (Buffer.isBuffer(result)) {
      writeBody(res, 200, 'application/octet-stream', result);
    } else {
      writeBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(result));
    }
  } catch (err) {
    sendError(req, res, err);
  }
}

/** The methods Django's APPEND_SLASH refuses to redirect in DEBUG (their data would be lost). */
const BODY_LOST_ON_REDIRECT = new Set(['POST', 'PUT', 'PATCH']);

function decodePath(pathname: string): string {
  const p = pathname.slice(1);
  if (!p.includes('%')) return p;
  try {
    return decodeURIComponent(p);
  } catch {
    throw new BadRequest('The URL is not valid percent-encoded UTF-8.');
  }
}

function disallowedHost(host: string | undefined): Error {
  const hostname = (host ?? '').replace(/:\d+$/, '');
  return new SuspiciousRequest('E_DISALLOWED_HOST', { host: JSON.stringify(host ?? ''), hostname: JSON.stringify(hostname) });
}

/** Runs battery middleware, settings.MIDDLEWARE and use() middleware in order, express-style. */
function runMiddleware(req: Request, res: ExpressResponse, done: (err?: unknown) => void): void {
  const lists = [state.batteryMiddleware, state.settings.MIDDLEWARE as RequestHandler[], userMiddleware];
  let list = 0;
  let i = 0;
  const step = (err?: unknown): void => {
    if (err && err !== 'route') return done(err);
    while (list < lists.length && i >= lists[list].length) { list++; i = 0; }
    if (list >= lists.length) return done();
    const mw = lists[list][i++];
    try {
      const r = mw(req, res, step) as unknown;
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).catch(step);
    } catch (e) {
      step(e);
    }
  };
  step();
}

/** Hands the request to an included express Router with the prefix stripped, as app.use(prefix, router) would. */
function mountRouter(req: Request, res: ExpressResponse, router: RequestHandler, prefixLength: number): void {
  const { url, baseUrl } = req;
  const consumed = url.slice(0, prefixLength + 1).replace(/\/$/, '');
  req.baseUrl = baseUrl + consumed;
  req.url = url.slice(consumed.length) || '/';
  if (!req.url.startsWith('/')) req.url = `/${req.url}`;
  router(req, res, (err?: unknown) => {
    req.url = url;
    req.baseUrl = baseUrl;
    if (err) return sendError(req, res, err);
    const nf = new Http404(`The router included at ${consumed || '/'} has no route for ${url}.`);
    sendError(req, res, nf);
  });
}
