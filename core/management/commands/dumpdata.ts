// `dumpdata [label[.Model]…]`: prints the database's objects as Django-style JSON fixtures.
import fs from 'node:fs';
import type { Command } from 'commander';
import { dumpData } from '../../db/fixtures';
import { asCommandError } from './migrate';
import type { CommandSpec } from './registry';

const dumpdata: CommandSpec = {
  name: 'dumpdata',
  app: 'manouche',
  help: 'Outputs the contents of the database as a JSON fixture (loaddata reads it back).',
  addArguments(cmd: Command) {
    cmd.argument('[labels...]', "app labels or app.Model (e.g. 'blog' or 'blog.Post'); default: everything");
    cmd.option('--indent <n>', 'indent the JSON by n spaces', (v) => Number(v));
    cmd.option('-o, --output <file>', 'write to this file instead of stdout');
    cmd.option('--django', "write the shape Django's loaddata reads: snake_case names, foreign keys by relation name, permissions by natural key (auth.permission left out: Django makes its own)");
  },
  async handle(ctx, options, labels: string[] = []) {
    const objects = await asCommandError(() => dumpData(labels, { django: Boolean(options.django) }));
    const json = `${JSON.stringify(objects, null, options.indent || undefined)}\n`;
    if (options.output) fs.writeFileSync(options.output, json);
    else ctx.stdout.write(json);
  },
};

export default dumpdata;
