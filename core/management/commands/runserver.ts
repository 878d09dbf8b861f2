// `runserver [addr:port]`: the development server (Django's banner, request log, reload on change, clean Ctrl-C).
import type { Command } from 'commander';
import path from 'node:path';
import { getApp } from '../../http/application';
import { runChecks, state } from '../../conf/state';
import { CommandError } from '../../conf/errors';
import { drain, listen, parseAddrPort, runServerCommand, serverUrl, shutdownSignal, withRequestLog } from '../servers';
import { reportLoadedModules, superviseReload } from '../autoreload';
import { formatCheckReport } from './check';
import { scope } from './help';
import type { CommandContext, CommandSpec } from './registry';
import { version } from '../cli';

/**
 * Django's warning about unapplied migrations, or '' when there are none.
 * @example await unappliedMigrationsWarning() // "\nYou have 3 unapplied migration(s). …"
 */
export async function unappliedMigrationsWarning(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pendingMigrations } = require('../../db/migrations') as typeof import('../../db/migrations');
  const pending = await pendingMigrations();
  if (pending.length === 0) return '';
  const apps = [...new Set(pending.map((m) => m.app))].sort();
  return `\nYou have ${pending.length} unapplied migration(s). Your project may not work properly until you apply the migrations for app(s): ${apps.join(', ')}.\nRun '${scope.prog} migrate' to apply them.\n`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "November 21, 2026 - 10:00:00", as Django's runserver prints it (English month names without Intl, whose first use costs a reload 13 ms). */
function bannerDate(d = new Date()): string {
  const month = MONTHS[d.getMonth()];
  const time = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${month} ${d.getDate()}, ${d.getFullYear()} - ${time}`;
}

/** Checks, banner, listen, then serve until SIGINT/SIGTERM: the server process itself (no reloader). */
async function serveDevelopment(ctx: CommandContext, host: string, port: number): Promise<number> {
  ctx.stdout.write('Performing system checks...\n\n');
  const stopped = shutdownSignal(); // before listening: a Ctrl-C right after the banner must not kill the process
  // The unapplied-migrations check is shown as Django's runserver notice below instead.
  const messages = (await runChecks({ deploy: false })).filter((m) => m.id !== 'migrations.W001');
  const report = formatCheckReport(messages, ctx.style);
  if (messages.some((m) => m.level === 'error')) {
    ctx.stderr.write(report);
    return 1;
  }
  ctx.stdout.write(report);
  const warning = await unappliedMigrationsWarning();
  if (warning) ctx.stdout.write(ctx.style.notice(warning));
  const app = getApp() as unknown as Parameters<typeof withRequestLog>[0] & { serverOptions?: object };
  const handler = withRequestLog(app, (line) => ctx.stderr.write(line), ctx.style);
  const server = await listen(handler, host, port, app.serverOptions);
  const address = server.address();
  const boundPort = address && typeof address === 'object' ? address.port : port;
  ctx.stdout.write(`${bannerDate()}\nmanouche version ${version()}, using app '${state.appLabel}' (${path.basename(state.appFile)})\n`);
  ctx.stdout.write(`Starting development server at ${serverUrl(host, boundPort)}\nQuit the server with CONTROL-C.\n`);
  process.send?.({ manouche: 'listening', port: boundPort });
  if (process.env.MANOUCHE_RUN_MAIN === '1') reportLoadedModules();
  await stopped;
  // Requests in progress finish (a reload must not reset the browser's request); a second Ctrl-C is ignored.
  return drain(server, ctx, state.settings.SHUTDOWN_GRACE_TIMEOUT);
}

const runserver: CommandSpec = {
  name: 'runserver',
  app: 'manouche',
  help: 'Starts the development server (default 127.0.0.1:8000); it reloads when the app\'s files change.',
  longRunning: true,
  addArguments(cmd: Command) {
    cmd.argument('[addrport]', 'port, or address:port (0:8000 listens on every interface)');
    cmd.option('--noreload', 'do not restart the server when files change');
    cmd.option('-6, --ipv6', 'listen on IPv6 (::1 unless an address is given)');
  },
  async handle(ctx, options, addrport?: string) {
    return runServerCommand(ctx, async () => {
      const { host, port } = parseAddrPort(addrport, { host: options.ipv6 ? '::1' : '127.0.0.1', port: 8000 });
      if (!state.settings.DEBUG && state.settings.ALLOWED_HOSTS.length === 0) {
        throw new CommandError('You must set ALLOWED_HOSTS in configure() if DEBUG is false: every request would be refused.');
      }
      if (!options.noreload && process.env.MANOUCHE_RUN_MAIN !== '1') {
        ctx.stdout.write(`Watching for file changes in ${state.appDir}\n`);
        const media = path.relative(state.appDir, String(state.settings.MEDIA_ROOT ?? ''));
        const argv = ['runserver', ...(addrport ? [addrport] : []), ...(options.ipv6 ? ['--ipv6'] : [])];
        return await superviseReload({ argv, dir: state.appDir, ctx, ignoredDirs: media && !media.startsWith('..') ? [media] : [] });
      }
      return await serveDevelopment(ctx, host, port);
    });
  },
};

export default runserver;
