// `help [command]`: lists every command grouped by app (like Django's "[auth] createsuperuser"), or one command's usage.
import { CommandError, formatMessage } from '../../conf/errors';
import { Command } from 'commander';
import { allCommands, buildParser, getCommand, suggestCommand, type CommandContext, type CommandSpec } from './registry';

/**
 * The command list `node app.js` prints: commands grouped under `[app]`, groups and names sorted.
 * @example formatCommandList(allCommands(), 'node app.js', ctx.style)
 */
export function formatCommandList(specs: CommandSpec[], prog: string, style: CommandContext['style']): string {
  const groups = new Map<string, CommandSpec[]>();
  for (const spec of specs) groups.set(spec.app, [...(groups.get(spec.app) ?? []), spec]);
  const width = Math.max(0, ...specs.map((s) => s.name.length)) + 2;
  const lines = [
    `Usage: ${prog} <command> [options] [args]`,
    '',
    `Type '${prog} help <command>' for help on a specific command.`,
    '',
    'Available commands:',
  ];
  for (const app of [...groups.keys()].sort()) {
    lines.push('', style.notice(`[${app}]`));
    for (const spec of groups.get(app)!.sort((a, b) => a.name.localeCompare(b.name))) {
      const summary = (spec.help ?? '').split('\n')[0];
      lines.push(`    ${summary ? spec.name.padEnd(width) + summary : spec.name}`.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The usage of one command (its arguments and options), from its commander parser.
 * @example ctx.stdout.write(formatCommandHelp(getCommand('runserver')!, ctx, 'node app.js'))
 */
export function formatCommandHelp(spec: CommandSpec, ctx: CommandContext, prog: string): string {
  return buildParser(spec, ctx, prog).helpInformation();
}

/**
 * How the CLI was invoked, set by core/cli.ts: `prog` is how the user runs commands (`node app.js`, or `npx manouche`
 * for the standalone CLI) and `only` limits the commands available there.
 * @example scope.prog = 'npx manouche'; scope.only = ['help', 'startapp'];
 */
export const scope: { prog: string; only?: string[] } = { prog: 'node app.js' };

/**
 * The commands available in this invocation.
 * @example availableCommands().map((c) => c.name)
 */
export function availableCommands(): CommandSpec[] {
  return allCommands().filter((s) => !scope.only || scope.only.includes(s.name));
}

/**
 * Django's "Unknown command: 'migrat'. Did you mean migrate?" plus where to find the list.
 * @example unknownCommandMessage('migrat')
 */
export function unknownCommandMessage(name: string): string {
  const near = suggestCommand(name, availableCommands().map((s) => s.name));
  return formatMessage('E_UNKNOWN_COMMAND', { name, suggestion: near ? ` Did you mean ${near}?` : '', prog: scope.prog });
}

const help: CommandSpec = {
  name: 'help',
  app: 'manouche',
  help: 'Lists the commands, or shows the usage and options of one: help <command>.',
  addArguments(cmd: Command) {
    cmd.argument('[command]', 'the command to describe');
    cmd.option('--commands', 'list only the command names, one a line (for shell completion)');
  },
  handle(ctx, options, name?: string) {
    if (name) {
      const spec = scope.only && !scope.only.includes(name) ? undefined : getCommand(name);
      if (!spec) throw new CommandError(unknownCommandMessage(name));
      ctx.stdout.write(formatCommandHelp(spec, ctx, scope.prog));
      return 0;
    }
    if (options.commands) {
      ctx.stdout.write(availableCommands().map((s) => s.name).sort().join('\n') + '\n');
      return 0;
    }
    ctx.stdout.write(formatCommandList(availableCommands(), scope.prog, ctx.style));
    return 0;
  },
};

export default help;
