// `showmigrations`: every migration with [X] when applied, grouped by app label.
import { showMigrations } from '../../db/migrations';
import { asCommandError } from './migrate';
import type { CommandSpec } from './registry';

const showmigrations: CommandSpec = {
  name: 'showmigrations',
  app: 'manouche',
  help: 'Lists every migration and whether it is applied ([X]) or not ([ ]).',
  async handle(ctx) {
    ctx.stdout.write(await asCommandError(() => showMigrations()));
  },
};

export default showmigrations;
