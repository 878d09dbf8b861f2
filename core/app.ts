// run(): builds the express application once, and runs the command line when the app file is the main module.
import path from 'node:path';
import type { Express } from 'express';
import { state } from './conf/state';
import { getApp } from './http/application';

export { getApp };

/**
 * Returns the express application (a `(req, res)` handler with `.listen()`); when the app file is the process's
 * main module, also runs the command in `process.argv` (`help` when there is none).
 * @example module.exports = run();
 */
export function run(): Express {
  const app = getApp();
  if (isMainModule()) {
    // Deferred so that the rest of the app file (and the module.exports assignment) finishes first.
    setImmediate(() => {
      // The command line (and the one command it runs) loads only when the app file is run as a program.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./management/cli') as typeof import('./management/cli')).execute(process.argv.slice(2)).then(
        (code) => { process.exitCode = code; },
        (err) => { process.stderr.write(`${(err as Error)?.stack ?? err}\n`); process.exitCode = 1; },
      );
    });
  }
  return app;
}

function isMainModule(): boolean {
  if (!process.argv[1]) return false;
  const main = path.resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '');
  return main === state.appFile.replace(/\.[cm]?[jt]s$/, '');
}
