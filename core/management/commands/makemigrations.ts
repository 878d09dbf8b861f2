// `makemigrations`: diffs the models against the replayed migrations and writes the next migration file.
import type { Command } from 'commander';
import { CommandError } from '../../conf/errors';
import { makeMigrations } from '../../db/migrations';
import type { Questioner } from '../../db/migrations/autodetector';
import { asCommandError } from './migrate';
import type { CommandContext, CommandSpec } from './registry';

/** Reads a one-off default typed at the prompt: JSON, or a JS expression (`new Date().toISOString()`). */
export function parseDefaultAnswer(answer: string): unknown {
  try {
    return JSON.parse(answer);
  } catch {
    // eslint-disable-next-line no-new-func
    const value = new Function(`return (${answer});`)();
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'function' || typeof value === 'symbol' || value === undefined) throw new Error('not a value');
    return value;
  }
}

/** Reads a value at the `>>> ` prompt until it parses; an empty answer returns undefined when `optional`. */
async function askValue(ctx: CommandContext, optional: boolean): Promise<unknown> {
  for (;;) {
    const answer = (await ctx.prompt('>>> ')).trim();
    if (answer === 'exit') throw new CommandError('Cancelled: no migration written.');
    if (!answer) {
      if (optional) return undefined;
      ctx.stdout.write("Please enter a value, or 'exit' to stop.\n");
      continue;
    }
    try {
      return parseDefaultAnswer(answer);
    } catch (err) {
      ctx.stdout.write(`That is not a value (${(err as Error).message}). Try again, e.g. '' or 0.\n`);
    }
  }
}

/** Asks on the terminal: renames ("Was Post.title renamed to Post.headline (a STRING(255))? [y/N]") and one-off defaults. */
function terminalQuestioner(ctx: CommandContext): Questioner {
  return {
    interactive: true,
    async askRename(model, from, to, type) {
      return /^y(es)?$/i.test((await ctx.prompt(`Was ${model}.${from} renamed to ${model}.${to} (a ${type})? [y/N] `)).trim());
    },
    async askRenameModel(app, from, to) {
      return /^y(es)?$/i.test((await ctx.prompt(`Was the model ${app}.${from} renamed to ${to}? [y/N] `)).trim());
    },
    async askDefault(model, field) {
      ctx.stdout.write(
        `It is impossible to add a non-nullable field '${field}' to ${model} without specifying a default. `
        + 'The database needs something to put in the existing rows.\n'
        + "Enter a one-off default as a JavaScript value (e.g. '' or 0 or 'draft'); it fills the existing rows only. Type 'exit' to stop.\n",
      );
      return askValue(ctx, false);
    },
    async askNullDefault(model, field) {
      ctx.stdout.write(
        `You are trying to change the nullable field '${field}' on ${model} to non-nullable without a default; existing rows may hold NULL.\n`
        + "Enter a one-off value for them as a JavaScript value (e.g. '' or 0), or press Enter to leave them (migrate then fails if one is NULL).\n",
      );
      return askValue(ctx, true);
    },
    note: (m) => ctx.stdout.write(`${m}\n`),
  };
}

const makemigrations: CommandSpec = {
  name: 'makemigrations',
  app: 'manouche',
  help: 'Creates new migrations from the changes to your models.',
  addArguments(cmd: Command) {
    cmd.argument('[app_label...]', 'apps to make migrations for (default: this app)');
    cmd.option('-n, --name <name>', 'use this name for the migration file');
    cmd.option('--check', 'exit with status 1 when model changes are missing migrations, without writing them');
    cmd.option('--dry-run', 'show what migrations would be made without writing them');
    cmd.option('--empty', 'create an empty migration (for runSql/runJs operations)');
  },
  async handle(ctx, options, appLabels?: string[]) {
    const interactive = ctx.isTTY && !options.check;
    return asCommandError(() => makeMigrations({
      name: options.name,
      check: Boolean(options.check),
      dryRun: Boolean(options.dryRun),
      empty: Boolean(options.empty),
      apps: appLabels && appLabels.length ? appLabels : undefined,
      stdout: ctx.stdout,
      questioner: interactive ? terminalQuestioner(ctx) : undefined,
    }));
  },
};

export default makemigrations;
