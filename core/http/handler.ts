// buildApp(): the express app whose handler is manouche's compiled request pipeline, inside express's contract.
import http from 'node:http';
import type { Express, NextFunction, Request, RequestHandler, Response as ExpressResponse } from 'express';
import { createExpressApp } from './express';
import { state } from '../conf/state';
import { ImproperlyConfigured, Http404, ManoucheError, MethodNotAllowed, BadRequest, SuspiciousRequest } from '../conf/errors';
import { resolve, userMiddleware, getIndex, type Match } from '../urls/router';
import { getScriptPrefix, setScriptPrefix } from '../urls/prefix';
import { View, isViewClass } from './views';
import { Response, securityHeaders, writeBody, writeResponse } from './responses';
import { bodyTaken, loadBody } from './body';
import { compose, runLists, type Chain } from './middleware';
import { staticFiles, type StaticFiles } from './static';
import { NOT_RESOLVED, sendError } from './error-pages';
import { hostChecker } from './hosts';

const rawWriteHead = http.ServerResponse.prototype.writeHead;
const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

type ExpressInternals = { request: object; response: object; router: { stack: unknown[]; handle: Function } };

/**
 * Builds the express application. Every request: Host check → MIDDLEWARE and use() (paths as express) → static
 * files → URL resolution (404 / APPEND_SLASH / 405, or the outer app's next() when mounted) → the batteries'
 * middleware → the route's own middleware → CSRF check → body (unless something took it) → view → response.
 * Routes or middleware added later with `app.use()`/`app.get()` serve what no manouche pattern matched.
 * @example const app = buildApp(); app.listen(8000)
 */
export function buildApp(): Express {
  const s = state.settings;
  const app = createExpressApp();
  app.disable('x-powered-by');
  app.set('etag', false);
  // req.ip, req.protocol and req.secure believe X-Forwarded-* only from the proxies this names (express's syntax).
  app.set('trust proxy', state.settings.TRUST_PROXY);
  // Responses written by express itself (res.json in a view, static files, a mounted Router) get the headers too.
  (app.response as unknown as { writeHead: Function }).writeHead = securedWriteHead(rawWriteHead);
  for (const mw of s.MIDDLEWARE) if (typeof mw !== 'function') throw new ImproperlyConfigured('', 'E_BAD_SETTING', { name: 'MIDDLEWARE', detail: 'must hold express middleware functions' });
  getIndex(); // bad patterns fail at startup, not on the first request
  const pipeline = new Pipeline(hostChecker(s.ALLOWED_HOSTS, state.testing), staticFiles(), s.APPEND_SLASH, s.DEBUG);
  const internals = app as unknown as ExpressInternals;
  const serverOptions = serverOptionsFor(internals);
  const requests = new PrototypeAdopter(internals.request, http.IncomingMessage.prototype);
  const responses = new PrototypeAdopter(internals.response, http.ServerResponse.prototype);
  const forcedPrefix = s.FORCE_SCRIPT_NAME;
  // The pipeline is the app's handler: it sets express's prototypes and circular references as app.handle does
  // (so req.query, res.json … work), and calls `next` (an outer app's, when mounted) for what it does not match.
  (app as unknown as { handle: Function }).handle = function handle(req: Request, res: ExpressResponse, next?: NextFunction) {
    req.res = res;
    res.req = req;
    // Changing an object's prototype is the costliest step of express's handle(): skipped when the server was
    // created with serverOptions (app.listen() does), whose request/response objects are born with them.
    const proto = Object.getPrototypeOf(req) as object;
    if (!serverOptions.prototypes.has(proto)) {
      // http.createServer(app): from the next request on, that server makes ours (node reads the classes per request).
      if (proto === http.IncomingMessage.prototype && !next) adoptServer(req, serverOptions);
      requests.adopt(req);
      responses.adopt(res);
    }
    if (!res.locals) res.locals = Object.create(null);
    // What express's router would have set: express-session and friends read originalUrl.
    if (!req.originalUrl) req.originalUrl = req.url;
    if (req.baseUrl === undefined) req.baseUrl = '';
    setScriptPrefix(forcedPrefix ?? req.baseUrl);
    pipeline.handle(req, res, typeof next === 'function' ? next : undefined);
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
    const defaults = securityHeaders();
    for (let i = 0; i < defaults.length; i += 2) if (!this.hasHeader(defaults[i])) this.setHeader(defaults[i], defaults[i + 1]);
    return parent.apply(this, args);
  };
}

const adoptedServers = new WeakSet<object>();
/**
 * Lets a server made by `http.createServer(app)` create requests/responses with express's prototypes, as app.listen()'s
 * does, by giving it the classes its options would have named (node keeps them on the server, read per request).
 */
function adoptServer(req: Request, options: http.ServerOptions): void {
  const server = (req.socket as { server?: object } | undefined)?.server as Record<symbol, unknown> | undefined;
  if (!server || adoptedServers.has(server)) return;
  adoptedServers.add(server);
  for (const sym of Object.getOwnPropertySymbols(server)) {
    if (server[sym] === http.IncomingMessage) server[sym] = options.IncomingMessage;
    else if (server[sym] === http.ServerResponse) server[sym] = options.ServerResponse;
  }
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
  private chain: Chain | undefined;
  private chainFor = [-1, -1];

  constructor(
    private readonly hostAllowed: (host: string | undefined) => boolean,
    private readonly files: StaticFiles,
    private readonly appendSlash: boolean,
    private readonly debug: boolean,
  ) {}

  handle(req: Request, res: ExpressResponse, outer: NextFunction | undefined): void {
    try {
      if (!this.hostAllowed(req.headers.host)) throw disallowedHost(req.headers.host);
    } catch (err) {
      return sendError(req, res, err);
    }
    const chain = this.middleware();
    if (!chain) return this.route(req, res, outer);
    chain(req, res, (err) => (err ? sendError(req, res, err) : this.route(req, res, outer)));
  }

  /** settings.MIDDLEWARE then use() as one chain, recomposed when use() added some since. */
  private middleware(): Chain | undefined {
    if (this.chainFor[0] !== state.settings.MIDDLEWARE.length || this.chainFor[1] !== userMiddleware.length) {
      this.chainFor = [state.settings.MIDDLEWARE.length, userMiddleware.length];
      this.chain = compose([...state.settings.MIDDLEWARE.map((fn) => ({ handlers: [fn as never] })), ...userMiddleware]);
    }
    return this.chain;
  }

  /** Static files, else the URL patterns; req.url is read here, after middleware that may have rewritten it. */
  private route(req: Request, res: ExpressResponse, outer: NextFunction | undefined): void {
    const url = req.url;
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q);
    if (this.files.handles(pathname)) {
      this.files.serve(req, res, pathname, (err) => (err ? sendError(req, res, err) : this.dispatch(req, res, pathname, search, outer)));
    } else {
      this.dispatch(req, res, pathname, search, outer);
    }
  }

  /** Resolves the path, then runs middleware and the view; synchronous until something is actually asynchronous. */
  private dispatch(req: Request, res: ExpressResponse, pathname: string, search: string, outer: NextFunction | undefined): void {
    let match: Match | undefined;
    try {
      // A request target that is not a path (`OPTIONS *`, RFC 9110 §7.1) matches no pattern: a 404, as in Django.
      match = pathname.startsWith('/') ? resolve(decodePath(pathname)) : undefined;
      if (!match) return this.fallback(req, res, () => this.notFound(req, res, pathname, search, outer));
      const leaf = match.leaf;
      req.resolverMatch = { view: leaf.view, params: match.params, name: leaf.name, route: leaf.route, mount: leaf.mount ? true : undefined };
      req.params = match.params as Record<string, string>;
      if (leaf.methods && !leaf.methods.has(req.method)) throw new MethodNotAllowed([...leaf.methods]);
    } catch (err) {
      return sendError(req, res, err);
    }
    const leaf = match.leaf;
    if (state.batteryMiddleware.length || leaf.middleware || state.viewMiddleware.length) {
      const lists = [state.batteryMiddleware, leaf.middleware ?? [], state.viewMiddleware];
      runLists(lists, req, res, (err) => (err ? sendError(req, res, err) : withBody(req, res, match!)));
    } else {
      withBody(req, res, match);
    }
  }

  /** APPEND_SLASH (SPEC §3), else the outer app's next handler when mounted, else the 404 (DEBUG lists the patterns). */
  private notFound(req: Request, res: ExpressResponse, pathname: string, search: string, outer: NextFunction | undefined): void {
    if (this.appendSlash && pathname.startsWith('/') && !pathname.endsWith('/') && resolve(decodePath(pathname) + '/')) {
      // A leading '//' would make the Location protocol-relative: an open redirect to another host.
      const target = (getScriptPrefix() + pathname + '/').replace(/^\/\/+/, '/%2F') + search;
      // As Django's CommonMiddleware: every method is redirected; in DEBUG, methods whose body a browser would
      // drop on the way get a page that explains it instead (mounted in an outer app, that app has its turn).
      if (!(this.debug && BODY_LOST_ON_REDIRECT.has(req.method))) {
        return writeResponse(req, res, new Response('', 301, { location: target })) as void;
      }
      if (!outer) return sendError(req, res, new ManoucheError('E_APPEND_SLASH_POST', { method: req.method, slashPath: target }));
    }
    if (outer) return outer();
    const err = new Http404(`The current path, ${pathname.slice(1)}, didn't match any URL pattern.`);
    (err as unknown as Record<symbol, boolean>)[NOT_RESOLVED] = true;
    sendError(req, res, err);
  }
}

/** Reads the body before the view when the method has one and no middleware took it; GET/HEAD go straight on. */
function withBody(req: Request, res: ExpressResponse, match: Match): void {
  if (match.leaf.mount || NO_BODY.has(req.method) || bodyTaken(req)) return runView(req, res, match);
  loadBody(req).then(() => runView(req, res, match), (err) => sendError(req, res, err));
}

/** Calls the view (a fresh instance for a View subclass) and answers with what it returned. */
function runView(req: Request, res: ExpressResponse, match: Match): void {
  const leaf = match.leaf;
  if (leaf.mount) return mountRouter(req, res, leaf.mount, match.prefixLength);
  let result: unknown;
  try {
    result = (leaf.isClass ??= isViewClass(leaf.view)) ? new (leaf.view as typeof View)().dispatch(req, match.params) : leaf.view(req, match.params, ...match.args);
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
