// STUB (owned by the CLI helper): the command registry, command() and BaseCommand. The interfaces below are the contract.
import type { Command } from 'commander';

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

export function registerCommand(_spec: CommandSpec): void {}
export class BaseCommand {}
export function command(..._a: unknown[]): any {}
/** Runs a registered command from code, like Django's call_command: `await callCommand('migrate', ['--noinput'])`. */
export async function callCommand(_name: string, _argv: string[] = [], _ctx?: Partial<CommandContext>): Promise<number> { return 0; }
