// The command registry: registerCommand() for the framework, command() and BaseCommand for apps, callCommand() from code.
import type { Command } from 'commander';
import type { BaseError as SequelizeError } from 'sequelize';
import { CommandError, ManoucheError } from '../../conf/errors';
import { state } from '../../conf/state';
import { makeContext, makeStyle, wantsColor } from '../terminal';

/** What a command's handler gets to talk to the terminal. */
export interface CommandContext {
  stdout: { write(s: string): void };
  stderr: { write(s: string): void };
  /** True when stdin is a terminal: commands may prompt. */
  isTTY: boolean;
  style: { success(s: string): string; error(s: string): string; warning(s: string): string; notice(s: string): string };
  /** Asks a question on the terminal (hidden input for passwords); rejects with CommandError outside a TTY. */
  prompt(question: string, opts?: { hidden?: boolean }): Promise<string>;
}

/** A registered command. Built-in ones live in the package that owns them (auth/commands/createsuperuser.ts). */
export interface CommandSpec {
  name: string;
  /** The group shown by `help`: 'manouche', 'sessions', 'auth', 'admin', or the app label. */
  app: string;
  help: string;
  addArguments?(cmd: Command): void;
  /** Returns an exit code (default 0). Long-running commands (runserver) resolve when they stop. */
  handle(ctx: CommandContext, options: Record<string, any>, ...args: any[]): unknown | Promise<unknown>;
  /** Set for commands that keep the process alive and close resources themselves (runserver, serve, shell). */
  longRunning?: boolean;
}

const commands = new Map<string, CommandSpec>();
let builtInsRegistered = false;

/** The registry, with the built-in commands registered on first use (their modules still load only when run). */
function registry(): Map<string, CommandSpec> {
  if (!builtInsRegistered) {
    builtInsRegistered = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./index');
  }
  return commands;
}

// commander loads when a command line is parsed, not when the app file requires manouche.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const commander = () => require('commander') as typeof import('commander');

/**
 * A built-in command whose module loads when it is described or run: `node app.js serve` loads serve, not the
 * migration system that `migrate` needs. `load` returns the module whose default export is the command.
 * @example registerCommand(lazyCommand('migrate', () => require('./migrate')))
 */
export function lazyCommand(name: string, load: () => { default: CommandSpec }): CommandSpec {
  const spec = () => load().default;
  return {
    name,
    app: 'manouche',
    get help() { return spec().help; },
    get longRunning() { return spec().longRunning; },
    addArguments: (cmd) => spec().addArguments?.(cmd),
    handle: (ctx, options, ...args) => spec().handle(ctx, options, ...args),
  };
}

/**
 * Registers a command; a second command with the same name throws E_DUPLICATE_COMMAND.
 * @example registerCommand({ name: 'clearsessions', app: 'sessions', help: 'Deletes expired sessions.', handle: async () => {} })
 */
export function registerCommand(spec: CommandSpec): void {
  if (registry().has(spec.name)) throw new ManoucheError('E_DUPLICATE_COMMAND', { name: spec.name });
  registry().set(spec.name, spec);
}

/**
 * The registered command named `name`, or undefined.
 * @example getCommand('migrate')?.help
 */
export function getCommand(name: string): CommandSpec | undefined {
  return registry().get(name);
}

/**
 * Every registered command; app commands (registered before configure() knew the label) get the app label.
 * @example allCommands().filter((c) => c.app === 'auth')
 */
export function allCommands(): CommandSpec[] {
  return [...registry().values()].map((spec) => (spec.app ? spec : { ...spec, app: state.appLabel || 'app' }));
}

/**
 * The registered command closest to a mistyped name (edit distance), for "Did you mean migrate?"; undefined if none is close.
 * @example suggestCommand('migrat') // 'migrate'
 */
export function suggestCommand(name: string, names: string[] = [...registry().keys()]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of names) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3));
    if (d <= limit && d < bestScore) { best = candidate; bestScore = d; }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * A class-based command, as in Django: `static help`, `addArguments(parser)` (a commander Command), and
 * `handle(options, ...args)` writing with `this.stdout.write()`. Register it with `command(MyCommand)`.
 * @example
 * class PrintHelloCommand extends BaseCommand {
 *   static help = 'Says hello.';
 *   handle() { this.stdout.write(this.style.success('Hello!') + '\n'); }
 * }
 * command(PrintHelloCommand); // node app.js print-hello
 */
export class BaseCommand {
  static help = '';
  /** The command's name; defaults to the class name in kebab case without "Command" (PrintHelloCommand → print-hello). */
  static commandName?: string;
  stdout: CommandContext['stdout'];
  stderr: CommandContext['stderr'];
  style: CommandContext['style'];
  isTTY: boolean;
  prompt: CommandContext['prompt'];
  constructor(ctx: CommandContext = makeContext()) {
    this.stdout = ctx.stdout;
    this.stderr = ctx.stderr;
    this.style = ctx.style;
    this.isTTY = ctx.isTTY;
    this.prompt = ctx.prompt;
  }
  /** Declares arguments and options on the commander `parser`. */
  addArguments(_parser: Command): void {}
  /** Does the work; returns an exit code or nothing (0). */
  handle(_options: Record<string, any>, ..._args: any[]): unknown {
    throw new CommandError(`${this.constructor.name} must implement handle(options, ...args).`);
  }
}

/** A function command: `options` typed as you declare it (`(cmd, options: { name: string }) => …`), args as strings. */
type CommandFn<O = any> = (cmd: CommandContext, options: O, ...args: any[]) => unknown;
type CommandClass = typeof BaseCommand;
interface CommandOptions { help?: string; addArguments?(cmd: Command): void; name?: string }

/**
 * Registers an app command, shown under the app's label in `help`:
 * - `command('print-hello', (cmd, options, ...args) => …, { help, addArguments })` returns the function;
 * - `command('print-hello', { help })` returns a registrar (decorator style);
 * - `command(printHello)` names it from the function (printHello / print_hello → print-hello);
 * - `command(PrintHelloCommand)` registers a BaseCommand subclass.
 * @example command('print-hello', (cmd) => cmd.stdout.write('Hello, Node!\n'), { help: 'Says hello.' })
 */
export function command<C extends CommandClass>(name: string, cls: C, opts?: CommandOptions): C;
export function command<O = Record<string, unknown>>(name: string, fn: CommandFn<O>, opts?: CommandOptions): CommandFn<O>;
export function command(name: string, opts?: CommandOptions): <T extends CommandFn | CommandClass>(fn: T) => T;
export function command<C extends CommandClass>(cls: C, opts?: CommandOptions): C;
export function command<O = Record<string, unknown>>(fn: CommandFn<O>, opts?: CommandOptions): CommandFn<O>;
export function command(a: string | CommandFn | CommandClass, b?: CommandFn | CommandClass | CommandOptions, c?: CommandOptions): any {
  if (typeof a === 'string') {
    if (typeof b === 'function') return registerTarget(a, b, c ?? {});
    const opts = (b ?? {}) as CommandOptions;
    return (fn: CommandFn | CommandClass) => registerTarget(a, fn, opts);
  }
  if (typeof a !== 'function') throw new TypeError('command() takes a name and a function, a function, or a BaseCommand subclass.');
  const opts = (b ?? {}) as CommandOptions;
  const name = opts.name ?? (isCommandClass(a) ? a.commandName ?? kebab(a.name.replace(/Command$/, '')) : kebab(a.name));
  if (!name) throw new TypeError('command(fn) needs a named function; for an anonymous one use command(name, fn).');
  return registerTarget(name, a, opts);
}

function registerTarget(name: string, target: CommandFn | CommandClass, opts: CommandOptions): unknown {
  const app = state.configured ? state.appLabel : '';
  if (isCommandClass(target)) {
    const Cls = target;
    registerCommand({
      name, app, help: opts.help ?? Cls.help ?? '',
      addArguments: (cmd) => new Cls(makeContext()).addArguments(cmd),
      handle: (ctx, options, ...args) => new Cls(ctx).handle(options, ...args),
    });
  } else {
    const fn = target;
    registerCommand({ name, app, help: opts.help ?? '', addArguments: opts.addArguments, handle: (ctx, options, ...args) => fn(ctx, options, ...args) });
  }
  return target;
}

function isCommandClass(x: unknown): x is CommandClass {
  return typeof x === 'function' && (x === BaseCommand || x.prototype instanceof BaseCommand);
}

/**
 * printHello, print_hello, PrintHello → print-hello
 * @example kebab('PrintHello') // 'print-hello'
 */
export function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

/**
 * Builds the commander parser of a command: its arguments and options, errors and help written to `ctx`.
 * `prog` is how the user runs commands (`node app.js`), shown in usage lines.
 * @example buildParser(getCommand('migrate')!, ctx, 'node app.js').helpInformation()
 */
export function buildParser(spec: CommandSpec, ctx: CommandContext, prog: string): Command {
  const cmd = new (commander().Command)(`${prog} ${spec.name}`);
  cmd.description(spec.help ?? '');
  spec.addArguments?.(cmd);
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => ctx.stdout.write(s),
    writeErr: (s) => ctx.stderr.write(s),
    outputError: (s, write) => write(ctx.style.error(s.trimEnd()) + '\n'),
  });
  cmd.showHelpAfterError(`(run '${prog} help ${spec.name}' for usage)`);
  return cmd;
}

/**
 * Parses `argv` for the command and runs it; returns the exit code. CommandError → its message on stderr and its
 * returncode (1); a bad option → commander's message and 1; a database error → the database's message, the SQL and a
 * hint; any other error → the stack and 1. `--traceback` (Django's flag, accepted by every command) adds the stack.
 * @example process.exitCode = await runCommand(getCommand('check')!, ['--deploy'], makeContext())
 */
export async function runCommand(spec: CommandSpec, argv: string[], ctx: CommandContext, prog = 'node app.js'): Promise<number> {
  const traceback = argv.includes('--traceback');
  argv = argv.filter((a) => a !== '--traceback');
  const parser = buildParser(spec, ctx, prog);
  let parsed: { options: Record<string, any>; args: any[] } | undefined;
  parser.action((...received: any[]) => {
    const self = received[received.length - 1] as Command;
    parsed = { options: self.opts(), args: received.slice(0, self.registeredArguments.length) };
  });
  try {
    await parser.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof commander().CommanderError) return err.exitCode;
    throw err;
  }
  if (!parsed) return 0;
  try {
    const result = await spec.handle(ctx, parsed.options, ...parsed.args);
    return typeof result === 'number' ? result : 0;
  } catch (err) {
    return reportError(err, ctx, { traceback, prog });
  }
}

/**
 * Writes a failed command's error the way the CLI shows it; returns the exit code. Errors the user can act on (a
 * CommandError, a manouche error with its code, a database error with its SQL and a hint) come without a stack unless
 * `traceback` is set; anything else is a bug and shows its stack.
 * @example catch (err) { return reportError(err, ctx); }
 */
export function reportError(err: unknown, ctx: CommandContext, opts: { traceback?: boolean; prog?: string } = {}): number {
  const paint = makeStyle(wantsColor(ctx.stderr)).error;
  const stack = opts.traceback && err instanceof Error && err.stack ? `${err.stack}\n` : '';
  if (err instanceof CommandError) {
    ctx.stderr.write(`${stack}${paint(`CommandError: ${err.message}`)}\n`);
    return err.returncode;
  }
  if (err instanceof ManoucheError) {
    ctx.stderr.write(`${stack}${paint(`${err.name} [${err.code}]: ${err.message}`)}\n`);
    return 1;
  }
  // sequelize's errors are named Sequelize…Error: telling them apart does not load sequelize into an app without models.
  if (err instanceof Error && /^Sequelize\w*Error$/.test(err.name)) {
    ctx.stderr.write(`${stack}${describeDatabaseError(err, paint, opts.prog ?? 'node app.js')}`);
    return 1;
  }
  const e = err as Error;
  ctx.stderr.write(`${e?.stack ?? String(err)}\n`);
  return 1;
}

const MISSING_TABLE = /no such table|relation .* does not exist|Table .* doesn't exist|no such column|column .* does not exist|Unknown column/i;
const SQL_SHOWN = 600;

// The database's own message, the statement that failed, and what to do when the schema is behind the models.
function describeDatabaseError(err: SequelizeError, paint: (s: string) => string, prog: string): string {
  const e = err as SequelizeError & { original?: Error; parent?: Error; sql?: string; errors?: { message: string }[] };
  const cause = e.original ?? e.parent;
  const detail = e.errors?.length ? e.errors.map((x) => x.message).join('; ') : cause?.message || e.message;
  const lines = [paint(`Database error: ${detail}`)];
  if (e.sql) lines.push(`SQL: ${e.sql.length > SQL_SHOWN ? `${e.sql.slice(0, SQL_SHOWN)}…` : e.sql}`);
  if (MISSING_TABLE.test(detail)) lines.push(`Hint: the database is behind the models: run \`${prog} migrate\` (and \`${prog} makemigrations\` after changing a model).`);
  else if (e.name === 'SequelizeConnectionError' || e.name.startsWith('SequelizeConnection')) lines.push('Hint: check DATABASE_URL and that the database server is running.');
  lines.push('(run the command again with --traceback for the stack)');
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a registered command from code, like Django's call_command, and returns its exit code.
 * @example await callCommand('migrate', ['--noinput'], { stdout: { write: (s) => log.push(s) } })
 */
export async function callCommand(name: string, argv: string[] = [], ctx?: Partial<CommandContext>): Promise<number> {
  const spec = registry().get(name);
  if (!spec) throw new CommandError(`Unknown command: '${name}'.`);
  return runCommand(spec, argv, makeContext(ctx));
}
