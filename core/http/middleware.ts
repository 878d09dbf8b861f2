// The middleware chain, express's way (paths strip req.url into req.baseUrl, error handlers take 4 arguments, a
// rejected promise is next(err)), without express's layer router in front of every request.
import type { Request, RequestHandler, Response } from 'express';
import { expressRouter } from './express';

/** Middleware added by use() or MIDDLEWARE: an optional express path (string, RegExp or a list of them) and its handlers. */
export interface MiddlewareEntry {
  path?: string | RegExp | Array<string | RegExp>;
  handlers: RequestHandler[];
}

type Done = (err?: unknown) => void;
/** A composed chain: runs its steps, then calls `done` (with the error, if one was passed along and not handled). */
export type Chain = (req: Request, res: Response, done: Done) => void;

interface Step {
  /** The path prefix this step is mounted at: returns the matched part of the pathname, or undefined. */
  match?: (pathname: string) => string | undefined;
  fn: Function;
  errorHandler: boolean;
}

/**
 * Composes middleware entries (settings.MIDDLEWARE, then use()) into one chain; undefined when there is none, so
 * that a request without middleware pays nothing.
 * @example const chain = compose([{ handlers: [helmet()] }, { path: '/api', handlers: [cors()] }])
 */
export function compose(entries: MiddlewareEntry[]): Chain | undefined {
  const steps: Step[] = [];
  for (const e of entries) {
    if (e.path !== undefined && needsRouter(e.path)) {
      // Patterns with parameters (`/users/:id`): express's own router matches them, exactly as app.use() would.
      const router = expressRouter();
      router.use(e.path as string, ...e.handlers);
      steps.push({ fn: router, errorHandler: false });
      continue;
    }
    const match = e.path === undefined ? undefined : matcher(e.path);
    for (const fn of e.handlers) steps.push({ match, fn, errorHandler: fn.length === 4 });
  }
  if (!steps.length) return undefined;
  return (req, res, done) => run(steps, req, res, done);
}

/** Runs steps in order: the express contract (req.url/req.baseUrl under a path, next(), next(err), error handlers). */
function run(steps: Step[], req: Request, res: Response, done: Done): void {
  const base = req.baseUrl;
  let i = 0;
  let removed = '';
  let slashAdded = false;
  const next = (err?: unknown): void => {
    if (removed) {
      // Give back the prefix a mounted step took, on top of whatever the step left in req.url.
      req.url = removed + (slashAdded && req.url[0] === '/' ? req.url.slice(1) : req.url);
      req.baseUrl = base;
      removed = '';
      slashAdded = false;
    }
    if (err === 'route' || err === 'router') err = undefined;
    while (i < steps.length) {
      const step = steps[i++];
      if (step.errorHandler !== (err !== undefined && err !== null)) continue;
      if (step.match) {
        const url = req.url;
        const q = url.indexOf('?');
        const prefix = step.match(q < 0 ? url : url.slice(0, q));
        if (prefix === undefined) continue;
        if (prefix) {
          removed = prefix;
          req.baseUrl = base + prefix;
          const rest = url.slice(prefix.length);
          slashAdded = rest[0] !== '/';
          req.url = slashAdded ? `/${rest}` : rest;
        }
      }
      try {
        const r = err !== undefined && err !== null ? step.fn(err, req, res, next) : step.fn(req, res, next);
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          (r as Promise<unknown>).then(undefined, (e: unknown) => next(e ?? new Error('Rejected promise')));
        }
      } catch (e) {
        next(e);
      }
      return;
    }
    done(err ?? undefined);
  };
  next();
}

/** True for an express path pattern (`:param`, `*splat`, `{optional}`): express's router handles those. */
function needsRouter(path: MiddlewareEntry['path']): boolean {
  if (Array.isArray(path)) return path.some(needsRouter);
  return typeof path === 'string' && /[:*{}()]/.test(path);
}

/** A prefix matcher for a literal path (on whole segments, case-insensitive, as express) or a RegExp (at the start). */
function matcher(path: NonNullable<MiddlewareEntry['path']>): (pathname: string) => string | undefined {
  if (Array.isArray(path)) {
    const each = path.map(matcher);
    return (p) => {
      for (const m of each) { const r = m(p); if (r !== undefined) return r; }
      return undefined;
    };
  }
  if (path instanceof RegExp) {
    const re = new RegExp(path.source, path.flags.replace(/[gy]/g, ''));
    return (p) => {
      const m = re.exec(p);
      return m && m.index === 0 ? m[0].replace(/\/$/, '') : undefined;
    };
  }
  const lit = path.replace(/\/+$/, '').toLowerCase();
  if (!lit) return () => '';
  return (p) => {
    if (p.length < lit.length || (p.length > lit.length && p[lit.length] !== '/')) return undefined;
    const head = p.slice(0, lit.length);
    return head.toLowerCase() === lit ? head : undefined;
  };
}

/** Runs plain middleware lists one after the other (batteries', a route's own): next(err) stops with the error. */
export function runLists(lists: RequestHandler[][], req: Request, res: Response, done: Done): void {
  let list = 0;
  let i = 0;
  const step = (err?: unknown): void => {
    if (err && err !== 'route') return done(err);
    while (list < lists.length && i >= lists[list].length) { list++; i = 0; }
    if (list >= lists.length) return done();
    const mw = lists[list][i++];
    try {
      const r = mw(req, res, step) as unknown;
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, (e: unknown) => step(e ?? new Error('Rejected promise')));
    } catch (e) {
      step(e);
    }
  };
  step();
}
