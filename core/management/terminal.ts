// The terminal a command talks to: colors that appear only on a TTY, prompts (hidden for passwords), the default context.
import { CommandError } from '../conf/errors';
import type { CommandContext } from './commands/registry';

export type Stream = { write(s: string): unknown; isTTY?: boolean };

const CODES = { success: [32, 1], error: [31, 1], warning: [33, 1], notice: [36, 0] } as const;

/**
 * True when text written to `stream` should be colored: the stream is a TTY, and NO_COLOR is not set
 * (https://no-color.org). FORCE_COLOR is deliberately ignored: node's test runner sets it for its children when it
 * runs in a terminal, which would color a command's output captured through a pipe.
 * @example wantsColor(process.stdout) // false when piped
 */
export function wantsColor(stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

/**
 * The `ctx.style` helpers: `success` green, `error` red, `warning` yellow, `notice` cyan; plain text when uncolored.
 * @example makeStyle(true).success('OK') // '\x1b[32;1mOK\x1b[0m'
 */
export function makeStyle(color: boolean): CommandContext['style'] {
  const paint = (codes: readonly number[]) => (s: string) => {
    if (!color) return String(s);
    const sgr = codes.filter((c, i) => i === 0 || c !== 0).join(';');
    return `\x1b[${sgr}m${s}\x1b[0m`;
  };
  return {
    success: paint(CODES.success),
    error: paint(CODES.error),
    warning: paint(CODES.warning),
    notice: paint(CODES.notice),
  };
}

/**
 * Asks a question on the terminal and resolves with the answer (without its newline). With `hidden`, nothing typed
 * is echoed (passwords). Outside a TTY it throws CommandError: a command must then take its input from options.
 * @example const name = await prompt('Username: ')
 */
export async function prompt(question: string, opts: { hidden?: boolean } = {}): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    throw new CommandError(`Cannot ask "${question.trim()}": stdin is not a terminal. Pass the value as an option instead.`);
  }
  if (!opts.hidden) {
    // node:readline loads here: only the commands that ask (createsuperuser, changepassword …) need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const readline = require('node:readline') as typeof import('node:readline');
    const rl = readline.createInterface({ input, output: process.stdout, terminal: true });
    try {
      return await new Promise<string>((resolve, reject) => {
        rl.on('SIGINT', () => reject(new CommandError('Operation cancelled.')));
        rl.question(question, resolve);
      });
    } finally {
      rl.close();
    }
  }
  return readHidden(question, input);
}

// Raw mode so that keystrokes are not echoed; handles backspace, Enter and Ctrl-C/Ctrl-D.
function readHidden(question: string, input: NodeJS.ReadStream): Promise<string> {
  // Echo goes off before the question shows, so that an answer typed ahead of the prompt is never echoed.
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  process.stdout.write(question);
  input.resume();
  input.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    let answer = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      process.stdout.write('\n');
      if (err) reject(err); else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new CommandError('Operation cancelled.'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else if (ch >= ' ') answer += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The context a command runs with: process streams, styles decided by whether stdout is a TTY, and `prompt`.
 * `overrides` replace parts of it (tests capture output by passing their own `stdout`/`stderr`).
 * @example const ctx = makeContext({ stdout: { write: (s) => out.push(s) } })
 */
export function makeContext(overrides: Partial<CommandContext> = {}): CommandContext {
  const stdout = overrides.stdout ?? process.stdout;
  return {
    stdout,
    stderr: overrides.stderr ?? process.stderr,
    // Read when a command asks: the first read of process.stdin opens it (2 ms), which a server never needs.
    get isTTY() { return overrides.isTTY ?? Boolean(process.stdin.isTTY); },
    style: overrides.style ?? makeStyle(wantsColor(stdout as Stream)),
    prompt: overrides.prompt ?? prompt,
  };
}
