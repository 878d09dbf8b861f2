// express, as manouche loads it: the application, request and response that express's own lib/ defines, assembled as
// express's createApplication() does, without `require('express')`'s body parsers (body-parser, with raw-body and
// iconv-lite: 15-20 ms of a 200 ms cold start) that serve express.json() and friends. manouche reads bodies itself;
// an app that uses express.json() requires express, and gets all of it, as usual.
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import type { Express, RequestHandler, Router } from 'express';
import type serveStaticType from 'serve-static';

type Load = (id: string) => unknown;
let load: Load | undefined;
/** require() from express's own folder: its lib/ files, and its dependencies wherever the installer put them. */
const fromExpress: Load = (id) => (load ??= createRequire(require.resolve('express')))(id);
let lean = true;

/**
 * A new express application, the same as `express()` returns: express's application methods and settings, requests
 * and responses on express's prototypes (`express.request`, `express.response`). If express's files ever move,
 * this falls back to `require('express')()`.
 * @example const app = createExpressApp(); app.disable('x-powered-by')
 */
export function createExpressApp(): Express {
  if (lean) {
    try {
      const proto = fromExpress('./lib/application') as { init(): void; handle: Function };
      const request = fromExpress('./lib/request') as object;
      const response = fromExpress('./lib/response') as object;
      const mixin = fromExpress('merge-descriptors') as (dest: object, src: object, overwrite: boolean) => void;
      if (typeof proto.init !== 'function' || typeof proto.handle !== 'function' || typeof mixin !== 'function') throw new Error('not express 5');
      const app = function (req: unknown, res: unknown, next: unknown) {
        (app as unknown as { handle: Function }).handle(req, res, next);
      } as unknown as Express;
      mixin(app, EventEmitter.prototype, false);
      mixin(app, proto, false);
      app.request = Object.create(request, { app: { configurable: true, enumerable: true, writable: true, value: app } });
      app.response = Object.create(response, { app: { configurable: true, enumerable: true, writable: true, value: app } });
      (app as unknown as { init(): void }).init();
      return app;
    } catch {
      lean = false;
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('express') as typeof import('express'))();
}

/**
 * express.Router (the `router` package express re-exports).
 * @example const r = expressRouter(); r.use('/users/:id', handler)
 */
export function expressRouter(): Router {
  return (fromExpress('router') as () => Router)();
}

/**
 * express.static (serve-static).
 * @example serveStatic('/srv/static', { index: false })
 */
export function serveStatic(root: string, options: serveStaticType.ServeStaticOptions): RequestHandler {
  return (fromExpress('serve-static') as typeof serveStaticType)(root, options) as unknown as RequestHandler;
}
