// The command line: `node app.js <command> [options]` (execute) and `npx manouche <command>` (executeStandalone).
import path from 'node:path';
import { closeAll, state } from '../conf/state';
import { makeContext } from './terminal';
import { getCommand, reportError, runCommand, type CommandContext } from './commands/registry';
import { scope, unknownCommandMessage } from './commands/help';
import { PACKAGE_VERSION } from '../conf/paths';
import { BATTERY_COMMANDS } from '../conf/batteries';
import { formatMessage } from '../conf/errors';
import './commands';

/** Commands `npx manouche` offers without an app file. */
const STANDALONE = ['help', 'startapp'];

/**
 * Runs the command named by `argv[0]` (no command: `help`) and resolves with the exit code. After a command that is
 * not long-running, closes every resource (`closeAll()`) so that the process can exit. Never calls process.exit.
 * @example process.exitCode = await execute(process.argv.slice(2))
 */
export async function execute(argv: string[], ctx: CommandContext = makeContext()): Promise<number> {
  ignoreBrokenPipes();
  scope.prog = `node ${appFileForDisplay()}`;
  scope.only = undefined;
  return dispatch(argv, ctx);
}

/**
 * The `manouche` binary (`npx manouche startapp blog`): only the commands that need no app file.
 * @example process.exitCode = await executeStandalone(['startapp', 'blog'])
 */
export async function executeStandalone(argv: string[], ctx: CommandContext = makeContext()): Promise<number> {
  ignoreBrokenPipes();
  scope.prog = 'npx manouche';
  scope.only = STANDALONE;
  return dispatch(argv, ctx);
}

async function dispatch(argv: string[], ctx: CommandContext): Promise<number> {
  let [name = 'help', ...rest] = argv;
  if (name === '--help' || name === '-h') name = 'help';
  if (name === '--version' || name === '-V') {
    ctx.stdout.write(`${version()}\n`);
    return finish(0, ctx);
  }
  const spec = scope.only && !scope.only.includes(name) ? undefined : getCommand(name);
  if (!spec) {
    const battery = !scope.only && Object.hasOwn(BATTERY_COMMANDS, name) ? BATTERY_COMMANDS[name] : undefined;
    const message = battery ? formatMessage('E_BATTERY_COMMAND', { name, battery, file: path.basename(state.appFile || 'app.js') }) : unknownCommandMessage(name);
    ctx.stderr.write(`${message}\n`);
    return finish(1, ctx);
  }
  let code: number;
  try {
    code = await runCommand(spec, rest, ctx, scope.prog);
  } catch (err) {
    code = reportError(err, ctx, { traceback: rest.includes('--traceback'), prog: scope.prog });
  }
  return spec.longRunning ? code : finish(code, ctx);
}

// Closes database pools, redis clients … so that the event loop empties and the process exits by itself.
async function finish(code: number, ctx: CommandContext): Promise<number> {
  try {
    await closeAll();
  } catch (err) {
    return code || reportError(err, ctx);
  }
  return code;
}

let pipesGuarded = false;

// `node app.js routes | head -1` closes the pipe early: that is not an error worth a stack trace (Python's CLIs
// do the same), so EPIPE on stdout/stderr is ignored; any other stream error still surfaces.
function ignoreBrokenPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    });
  }
}

/** The app file as the user would type it: relative to the current folder when inside it. */
function appFileForDisplay(): string {
  const file = state.appFile || process.argv[1] || 'app.js';
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/**
 * manouche's version, from its package.json.
 * @example version() // '0.1.0'
 */
export function version(): string {
  return PACKAGE_VERSION;
}
