// HTTP serving for runserver and serve: listening with a request log, graceful shutdown, and the worker cluster.
import type { Cluster } from 'node:cluster';
import * as http from 'node:http';
import { CommandError } from '../conf/errors';
import { closeAll, state } from '../conf/state';
import type { CommandContext } from './commands/registry';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Parses runserver's `[addr:]port` the way Django does: `8000`, `0.0.0.0:8000`, `0:8000` (all interfaces),
 * `[::1]:8000`, `localhost:8000`. Throws CommandError for anything else.
 * @example parseAddrPort('0:9000') // { host: '0.0.0.0', port: 9000 }
 */
export function parseAddrPort(value: string | undefined, defaults = { host: '127.0.0.1', port: 8000 }): { host: string; port: number } {
  if (!value) return { ...defaults };
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):)?(\d+)$/.exec(value) ?? /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]*[a-zA-Z.-][a-zA-Z0-9.-]*)$/.exec(value);
  const port = m && m[2] !== undefined ? Number(m[2]) : m ? defaults.port : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CommandError(`"${value}" is not a valid port number or address:port pair.`);
  }
  let host = m[1] ?? defaults.host;
  if (host === '0') host = '0.0.0.0';
  if (host.startsWith('[')) host = host.slice(1, -1);
  return { host, port };
}

/**
 * The URL a browser would use for a listening address (IPv6 hosts in brackets).
 * @example serverUrl('::1', 8000) // 'http://[::1]:8000/'
 */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Django's request-log timestamp: `21/Nov/2026 10:00:00` (local time).
 * @example logDate(new Date(2026, 10, 21, 10, 0, 0)) // '21/Nov/2026 10:00:00'
 */
export function logDate(d = new Date()): string {
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Wraps a handler so that each finished request is logged Django-style:
 * `[21/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 123` (status colored by class when `style` colors).
 * @example http.createServer(withRequestLog(app, (line) => process.stderr.write(line)))
 */
export function withRequestLog(handler: Handler, write: (line: string) => void, style?: CommandContext['style']): Handler {
  return (req, res) => {
    let bytes = 0;
    const count = (chunk: unknown, enc?: unknown) => {
      if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
      else if (chunk && typeof (chunk as Uint8Array).length === 'number') bytes += (chunk as Uint8Array).length;
    };
    const { write: origWrite, end: origEnd } = res;
    res.write = function (this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
      count(chunk, rest[0]);
      return (origWrite as Function).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: http.ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'function') count(chunk, rest[0]);
      return (origEnd as Function).call(this, chunk, ...rest);
    } as typeof res.end;
    res.on('finish', () => {
      let line = `[${logDate()}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} ${req.method === 'HEAD' ? 0 : bytes}`;
      if (style) {
        const s = res.statusCode;
        line = s >= 500 ? style.error(line) : s >= 400 ? style.warning(line) : s >= 300 ? style.notice(line) : line;
      }
      write(`${line}\n`);
    });
    handler(req, res);
  };
}

/** The timeouts (seconds) every server the framework starts puts on its clients; settings with production defaults. */
export interface ServerTimeouts {
  SERVER_HEADERS_TIMEOUT: number;
  SERVER_REQUEST_TIMEOUT: number;
  SERVER_KEEPALIVE_TIMEOUT: number;
  SERVER_IDLE_TIMEOUT: number;
}

/**
 * Cuts slow clients off: headers must arrive within SERVER_HEADERS_TIMEOUT, the whole request (headers and body)
 * within SERVER_REQUEST_TIMEOUT (both answered 408 by node), an idle keep-alive socket is closed after
 * SERVER_KEEPALIVE_TIMEOUT, and a socket with no traffic either way for SERVER_IDLE_TIMEOUT is destroyed.
 */
export function applyTimeouts(server: http.Server, t: ServerTimeouts): void {
  server.requestTimeout = t.SERVER_REQUEST_TIMEOUT * 1000;
  // node refuses a headers timeout longer than the request timeout.
  server.headersTimeout = Math.min(t.SERVER_HEADERS_TIMEOUT, t.SERVER_REQUEST_TIMEOUT) * 1000;
  server.keepAliveTimeout = t.SERVER_KEEPALIVE_TIMEOUT * 1000;
  server.timeout = t.SERVER_IDLE_TIMEOUT * 1000;
}

/**
 * Starts an HTTP server on host:port and resolves once it listens. `options` are node's server options (the app's
 * `serverOptions`, whose request/response classes carry express's prototypes); the SERVER_* timeouts of the settings
 * apply. A port in use or a privileged port rejects with a CommandError that says what to do.
 * @example const server = await listen(app, '127.0.0.1', 8000, app.serverOptions)
 */
export function listen(handler: Handler, host: string, port: number, options: http.ServerOptions = {}): Promise<http.Server> {
  // node checks the header and request timeouts on this interval (30 s by default): check every second instead.
  const server = http.createServer({ connectionsCheckingInterval: 1000, ...options }, handler);
  if (state.settings) applyTimeouts(server, state.settings as unknown as ServerTimeouts);
  trackInFlight(server);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new CommandError(`Error: That port is already in use (${host}:${port}). Stop the other server or pick another port, e.g. ${port === 8000 ? 8001 : 8000}.`));
      else if (err.code === 'EACCES') reject(new CommandError(`Error: You don't have permission to access port ${port}. Ports below 1024 need privileges; pick a higher one.`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new CommandError(`Error: That IP address can't be assigned to: ${host}.`));
      else reject(err);
    });
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * Drains a server: stops accepting connections, closes idle keep-alive sockets at once, lets in-flight requests
 * finish (answered with `Connection: close`, so each socket closes after its response), and resolves with what was
 * still running when `timeoutMs` ran out (those connections are then cut), or [] when everything finished.
 * @example const left = await closeGracefully(server, 30_000); // ['GET /export/ (31.2s)']
 */
export function closeGracefully(server: http.Server, timeoutMs = 30_000): Promise<string[]> {
  const tracked = inFlight.get(server);
  if (tracked) tracked.stopping = true;
  return new Promise((resolve) => {
    // A response that was already streaming kept its keep-alive: close its socket as soon as it is idle.
    const closeIdle = () => setImmediate(() => server.closeIdleConnections());
    for (const res of tracked?.responses ?? []) {
      lastResponse(res);
      res.once('finish', closeIdle);
    }
    const timer = setTimeout(() => {
      const left = [...(tracked?.responses ?? [])].map((res) => describe(res, tracked!.started.get(res)));
      server.closeAllConnections();
      resolve(left);
    }, timeoutMs);
    server.close(() => { clearTimeout(timer); resolve([]); });
    server.closeIdleConnections();
  });
}

interface Tracked { responses: Set<http.ServerResponse>; started: WeakMap<http.ServerResponse, number>; stopping: boolean }

const inFlight = new WeakMap<http.Server, Tracked>();

/** Makes this response the last one of its connection (when its headers are not out yet). */
function lastResponse(res: http.ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}

function describe(res: http.ServerResponse, started = Date.now()): string {
  const req = (res as http.ServerResponse & { req?: http.IncomingMessage }).req;
  return `${req?.method ?? '?'} ${req?.url ?? '?'} (running for ${((Date.now() - started) / 1000).toFixed(1)}s)`;
}

// Remembers the responses in progress, so that a shutdown can close their connections when they finish.
function trackInFlight(server: http.Server): void {
  const tracked: Tracked = { responses: new Set(), started: new WeakMap(), stopping: false };
  inFlight.set(server, tracked);
  // Before the app's handler: a request that arrives on a kept-alive socket during the drain is its socket's last.
  server.prependListener('request', (_req, res: http.ServerResponse) => {
    tracked.responses.add(res);
    tracked.started.set(res, Date.now());
    if (tracked.stopping) lastResponse(res);
    res.once('close', () => tracked.responses.delete(res));
  });
}

/**
 * Stops a server on shutdown within the grace period; returns the exit code: 0 when every request finished, 1
 * (saying on stderr what was left) when the grace period ran out. Closing the app's resources (the database) gets
 * what remains of the period too; after it the process exits whatever still hangs.
 * @example return await drain(server, ctx, 30);
 */
export async function drain(server: http.Server, ctx: CommandContext, graceSeconds: number): Promise<number> {
  const deadline = Date.now() + graceSeconds * 1000;
  const left = await closeGracefully(server, graceSeconds * 1000);
  let code = 0;
  if (left.length) {
    ctx.stderr.write(ctx.style.error(`Shutdown grace period (${graceSeconds}s) ran out; ${left.length} request(s) were cut off: ${left.join(', ')}.\n`));
    code = 1;
  }
  // The database (a query that hangs, a lock) must not keep the process alive past the grace period.
  const closing = closeAll().then(() => true, () => true);
  const late = await Promise.race([closing, new Promise<false>((r) => setTimeout(() => r(false), Math.max(1000, deadline - Date.now())).unref())]);
  if (!late) {
    ctx.stderr.write(ctx.style.error('Closing the database and other resources did not finish within the grace period; exiting anyway.\n'));
    code = 1;
    setTimeout(() => process.exit(code), 100).unref();
  }
  return code;
}

/**
 * Runs the body of a server command (runserver, serve): a CommandError (a port in use …) prints its message as
 * Django's servers do ("Error: That port is already in use.") and gives its code; resources are closed at the end
 * whatever happens, and an IPC channel to a parent (reloader, cluster primary) is let go so that the process exits.
 * @example handle: (ctx) => runServerCommand(ctx, async () => { …; return 0; })
 */
export async function runServerCommand(ctx: CommandContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    ctx.stderr.write(`${ctx.style.error(err.message)}\n`);
    return err.returncode;
  } finally {
    await closeAll();
    process.disconnect?.();
  }
}

/**
 * Resolves with the signal name at the first SIGINT/SIGTERM (or when a supervising parent goes away). The listeners
 * stay installed, so that a second Ctrl-C during a graceful shutdown does not kill the process midway.
 * @example const signal = await shutdownSignal(); // 'SIGINT'
 */
export function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.on('SIGINT', () => resolve('SIGINT'));
    process.on('SIGTERM', () => resolve('SIGTERM'));
    if (process.send) process.once('disconnect', () => resolve('disconnect'));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cluster: the primary forks N workers that each run the app file and share the listening socket.

/**
 * The primary's side of `serve --workers N`: forks the workers (each re-runs the app file with the same command),
 * replaces one that dies, and on SIGTERM/SIGINT asks each to drain and waits for them (a worker still alive a few
 * seconds after the grace period is killed). Resolves with the exit code: 0 when every worker drained, 1 when one
 * could not (it said why) or the workers cannot start (a port in use).
 * @example if (cluster.isPrimary) return serveCluster(4, ctx, 30);
 */
export function serveCluster(workers: number, ctx: CommandContext, graceSeconds = 30): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cluster = require('node:cluster') as Cluster;
  return new Promise((resolve) => {
    let stopping = false;
    let listened = false;
    let exitCode = 0;
    const bornAt = new Map<number, number>();
    const fork = () => {
      if (stopping) return;
      const worker = cluster.fork();
      bornAt.set(worker.id, Date.now());
      worker.once('listening', () => {
        listened = true;
        ctx.stdout.write(`Worker ${worker.process.pid} listening.\n`);
      });
    };
    // A worker whose app cannot run (its models could not be defined) stops the server, rather than being replaced.
    cluster.on('message', (_worker, message: { manouche?: string } | null) => {
      if (message?.manouche !== 'fatal' || stopping) return;
      stopping = true;
      exitCode = 1;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    });
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping && !listened) {
        // The first workers could not start (a port in use, an error in the app): stop the others and fail.
        stopping = true;
        exitCode = code || 1;
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      }
      if (stopping) {
        if (code || signal) exitCode = exitCode || 1;
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
        return;
      }
      ctx.stderr.write(ctx.style.warning(`Worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); starting a new one.\n`));
      // A worker that dies right after starting would otherwise be re-forked in a tight loop.
      const quick = Date.now() - (bornAt.get(worker.id) ?? 0) < 1000;
      bornAt.delete(worker.id);
      if (quick) setTimeout(fork, 1000); else fork();
    });
    void shutdownSignal().then(() => {
      if (stopping) return;
      stopping = true;
      const alive = Object.values(cluster.workers ?? {});
      if (alive.length === 0) return resolve(0);
      for (const w of alive) w?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) {
          ctx.stderr.write(ctx.style.error(`Worker ${w?.process.pid} did not stop within the grace period; killing it.\n`));
          w?.process.kill('SIGKILL');
        }
      }, (graceSeconds + 5) * 1000).unref();
    });
    for (let i = 0; i < workers; i++) fork();
  });
}
