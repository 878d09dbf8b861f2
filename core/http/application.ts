// getApp(): the express application of this process, built once on first use; the servers, commands and Client share it.
import type { Express } from 'express';
import { requireConfigured, state } from '../conf/state';

let built: Express | undefined;

/**
 * The express application of this process, built on first use (after configure()).
 * @example const server = http.createServer(getApp());
 */
export function getApp(): Express {
  requireConfigured('run()');
  if (!built) {
    // The pipeline (and express) load only when something serves requests: commands that don't never pay for them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    built = (require('./handler') as typeof import('./handler')).buildApp();
    for (const hook of state.onAppBuilt) hook();
  }
  return built;
}
