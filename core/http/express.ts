// express, as manouche loads it: the application, request and response that express's own lib/ defines, assembled as
// express's createApplication() does, without `require('express')`'s body parsers (body-parser, with raw-body and
// iconv-lite: 15-20 ms of a 200 ms cold start) that serve express.json() and friends. manouche reads bodies itself;
// an app that uses express.json() requires express, and gets all of it, as usual.
import Module, { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import type { Express, RequestHandler, Router } from 'express';
import { forwardTo } from '../conf/lazy';
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
      const [proto, request, response] = withDependenciesOnDemand(() => ['./lib/application', './lib/request', './lib/response'].map(fromExpress)) as [
        { init(): void; handle: Function }, object, object,
      ];
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
 * Runs `load` (the first require of express's lib/) with stand-ins for two of express's dependencies that load
 * themselves at their first use. express's lib/ requires them at load for paths manouche's requests do not take:
 * - `qs` (with side-channel and get-intrinsic, 20 ms: a tenth of a cold start) for one function, the 'extended'
 *   query parser; manouche's default is 'simple' (node:querystring).
 * - `mime-types` (mime-db's 200 KB of JSON, 8-10 ms) for `res.type('json')`-style names, `res.format` and
 *   `res.sendFile`; manouche's responses set full content types.
 * A stand-in answers every property of the real module (reading one loads it), and it is in require's cache only while
 * express's lib/ loads: any later `require('qs')` or `require('mime-types')` gets the module itself.
 */
function withDependenciesOnDemand<T>(load: () => T): T {
  let fromUtils: NodeJS.Require;
  try {
    fromUtils = createRequire(join(dirname(require.resolve('express')), 'lib', 'utils.js'));
  } catch {
    return load();
  }
  const placed: Array<[string, Module]> = [];
  for (const id of ['qs', 'mime-types']) {
    let file: string;
    try {
      file = fromUtils.resolve(id);
    } catch {
      continue;
    }
    if (require.cache[file]) continue;
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.loaded = true;
    let real: object | undefined;
    standIn.exports = forwardTo(() => (real ??= fromUtils(id) as object));
    require.cache[file] = standIn;
    placed.push([file, standIn]);
  }
  try {
    return load();
  } finally {
    for (const [file, standIn] of placed) if (require.cache[file] === standIn) delete require.cache[file];
  }
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
