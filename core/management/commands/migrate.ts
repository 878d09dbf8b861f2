// `migrate [app_label] [migration_name]`: applies migrations, or moves one app back to a target ('zero' for none).
import type { Command } from 'commander';
import { CommandError, ManoucheError } from '../../conf/errors';
import { migrate } from '../../db/migrations';
import type { CommandSpec } from './registry';

/** Errors the user fixes (a migration file, the history, a fixture, the database URL): their message, without a stack. */
export async function asCommandError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ManoucheError && ['E_MIGRATION', 'E_INCONSISTENT_HISTORY', 'E_DB_CONNECTION', 'E_FIXTURE'].includes(err.code)) throw new CommandError(err.message);
    throw err;
  }
}

const migrateCommand: CommandSpec = {
  name: 'migrate',
  app: 'manouche',
  help: 'Updates the database schema: applies unapplied migrations, or unapplies back to a target.',
  addArguments(cmd: Command) {
    cmd.argument('[app_label]', 'the app to migrate (default: every app)');
    cmd.argument('[migration_name]', "migrate the app to this migration (a prefix like 0001 works); 'zero' unapplies all");
    cmd.option('--noinput', 'never prompt (migrate does not prompt; accepted for scripts written for Django)');
  },
  async handle(ctx, _options, app?: string, target?: string) {
    await asCommandError(() => migrate({ app, target, stdout: ctx.stdout, success: ctx.style.success, warning: ctx.style.warning }));
  },
};

export default migrateCommand;
