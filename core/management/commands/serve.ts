// `serve [--host] [--port] [--workers N]`: the production server (no reload, N worker processes, graceful shutdown).
import type { Cluster } from 'node:cluster';
import os from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { getApp } from '../../http/application';
import { state } from '../../conf/state';
import { defineWaitingModels } from '../../db/connection';
import { drain, listen, runServerCommand, serveCluster, serverUrl, shutdownSignal, withRequestLog } from '../servers';
import type { CommandContext, CommandSpec } from './registry';

function positiveInt(what: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > 65535) throw new InvalidArgumentError(`${what} must be a whole number${min ? ` from ${min}` : ''} up to 65535.`);
    return n;
  };
}

/** `--workers`: a count, or `auto` for one worker per CPU the process may use. */
function workerCount(value: string): number {
  if (value === 'auto') return os.availableParallelism();
  try {
    return positiveInt('--workers', 1)(value);
  } catch {
    throw new InvalidArgumentError('--workers must be a whole number from 1 up to 65535, or auto.');
  }
}

/**
 * False in a worker of `serve --workers N`. A worker always has an IPC channel to its primary: a process without one is
 * the primary, and does not load node:cluster (2-3 ms of a cold start) to be told so.
 */
function isPrimary(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return !process.send || (require('node:cluster') as Cluster).isPrimary;
}

/**
 * The app's models wait for the database (core/db/deferred.ts), so that a server answers its first requests without
 * loading sequelize: they are defined a moment after it listens, or by the first request that needs them. A model that
 * cannot be defined (or a database driver that cannot load) is a startup error found 200 ms late: the promise
 * resolves with it, and the server stops.
 */
function modelsDefinedSoon(): Promise<Error> {
  return new Promise((resolve) => {
    setTimeout(() => {
      try {
        defineWaitingModels();
      } catch (err) {
        resolve(err as Error);
      }
    }, MODELS_AFTER_LISTEN_MS).unref();
  });
}
const MODELS_AFTER_LISTEN_MS = 200;

/** One server process: listens, serves until SIGTERM/SIGINT, then drains (exit 1 when the grace period runs out). */
async function serveOne(ctx: CommandContext, host: string, port: number, options: Record<string, any>): Promise<number> {
  const app = getApp() as unknown as Parameters<typeof withRequestLog>[0] & { serverOptions?: object };
  const handler = options.accessLog ? withRequestLog(app, (line) => ctx.stdout.write(line)) : app;
  const stopped = shutdownSignal(); // before listening: a signal right after startup must still be graceful
  const server = await listen(handler, host, port, app.serverOptions);
  const failed = modelsDefinedSoon();
  if (isPrimary()) {
    const address = server.address();
    const bound = address && typeof address === 'object' ? address.port : port;
    ctx.stdout.write(`Serving at ${serverUrl(host, bound)} (pid ${process.pid}). Stop with SIGTERM or CONTROL-C.\n`);
  }
  const outcome = await Promise.race([stopped, failed]);
  const grace = options.graceTimeout ?? state.settings.SHUTDOWN_GRACE_TIMEOUT;
  if (outcome instanceof Error) {
    const detail = state.settings?.DEBUG ? outcome.stack ?? String(outcome) : `${outcome.name}: ${outcome.message}`;
    ctx.stderr.write(ctx.style.error(`The models could not be defined, so the server stops: ${detail}\n`));
    // In a cluster the primary stops every worker instead of replacing this one.
    if (!isPrimary()) process.send?.({ manouche: 'fatal' });
    await drain(server, ctx, grace);
    return 1;
  }
  if (isPrimary()) ctx.stdout.write(`Received ${outcome}: finishing requests in progress, then stopping.\n`);
  return drain(server, ctx, grace);
}

const serve: CommandSpec = {
  name: 'serve',
  app: 'manouche',
  help: 'Starts the production server: no reload, --workers processes, graceful shutdown on SIGTERM/SIGINT.',
  longRunning: true,
  addArguments(cmd: Command) {
    cmd.option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', process.env.HOST || '127.0.0.1');
    cmd.option('--port <port>', 'port to listen on', positiveInt('--port', 0), Number(process.env.PORT) || 8000);
    cmd.option('--workers <n>', 'number of worker processes, or "auto" for one per CPU', workerCount, 1);
    cmd.option('--grace-timeout <seconds>', 'how long in-flight requests may take to finish at shutdown (default: SHUTDOWN_GRACE_TIMEOUT, 30)', positiveInt('--grace-timeout', 0));
    cmd.option('--access-log', 'log each request Django-style on stdout');
  },
  async handle(ctx, options) {
    const { host, port, workers } = options as { host: string; port: number; workers: number };
    return runServerCommand(ctx, async () => {
      if (isPrimary() && state.settings?.DEBUG) {
        ctx.stderr.write(ctx.style.warning('Warning: DEBUG is on. Turn it off in production: it shows stack traces and settings to visitors.\n'));
      }
      if (isPrimary() && workers > 1) {
        ctx.stdout.write(`Serving at ${serverUrl(host, port)} with ${workers} workers (pid ${process.pid}). Stop with SIGTERM or CONTROL-C.\n`);
        return await serveCluster(workers, ctx, options.graceTimeout ?? state.settings.SHUTDOWN_GRACE_TIMEOUT);
      }
      return await serveOne(ctx, host, port, options);
    });
  },
};

export default serve;
