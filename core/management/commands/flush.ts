// `flush`: empties every table (after asking, or with --noinput), keeping the record of applied migrations.
import type { Command } from 'commander';
import { CommandError } from '../../conf/errors';
import { dbConfig } from '../../db/connection';
import { flushDatabase } from '../../db/fixtures';
import { maskUrlPassword } from '../../conf/settings';
import type { CommandSpec } from './registry';

const flush: CommandSpec = {
  name: 'flush',
  app: 'manouche',
  help: 'Removes ALL data from the database (the schema and applied migrations stay).',
  addArguments(cmd: Command) {
    cmd.option('--noinput', 'do not ask for confirmation');
  },
  async handle(ctx, options) {
    if (!options.noinput) {
      if (!ctx.isTTY) throw new CommandError('flush deletes every row and needs a confirmation: run it in a terminal, or pass --noinput.');
      ctx.stdout.write(
        `You have requested a flush of the database.\nThis will IRREVERSIBLY DESTROY all data currently in ${maskUrlPassword(dbConfig().url)},\n`
        + 'and return each table to an empty state.\nAre you sure you want to do this?\n\n',
      );
      const answer = (await ctx.prompt("    Type 'yes' to continue, or 'no' to cancel: ")).trim().toLowerCase();
      if (answer !== 'yes') {
        ctx.stdout.write('Flush cancelled.\n');
        return 0;
      }
    }
    await flushDatabase();
    ctx.stdout.write('Flushed: every table is empty.\n');
  },
};

export default flush;
