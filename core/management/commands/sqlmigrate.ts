// `sqlmigrate app_label migration_name`: prints the SQL a migration runs on the configured database.
import type { Command } from 'commander';
import { sqlMigrate } from '../../db/migrations';
import { asCommandError } from './migrate';
import type { CommandSpec } from './registry';

const sqlmigrate: CommandSpec = {
  name: 'sqlmigrate',
  app: 'manouche',
  help: 'Prints the SQL statements of a migration for the configured database.',
  addArguments(cmd: Command) {
    cmd.argument('<app_label>', 'the app of the migration');
    cmd.argument('<migration_name>', 'the migration (a prefix like 0001 works)');
    cmd.option('--backwards', 'print the SQL that unapplies the migration');
  },
  async handle(ctx, options, app: string, name: string) {
    ctx.stdout.write(await asCommandError(() => sqlMigrate(app, name, Boolean(options.backwards))));
  },
};

export default sqlmigrate;
