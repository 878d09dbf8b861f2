// `loaddata file.json…`: installs fixtures atomically (all objects or none).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CommandError } from '../../conf/errors';
import { loadData } from '../../db/fixtures';
import { state } from '../../conf/state';
import { asCommandError } from './migrate';
import type { CommandSpec } from './registry';

/** A fixture path as given, else in the app's fixtures/ folder (with .json added when missing). */
export function findFixture(name: string): string {
  const candidates = [name, `${name}.json`].flatMap((n) => [path.resolve(n), path.join(state.appDir, 'fixtures', n)]);
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (!found) throw new CommandError(`No fixture named '${name}' found (looked in the current folder and ${path.join(state.appDir, 'fixtures')}).`);
  return found;
}

const loaddata: CommandSpec = {
  name: 'loaddata',
  app: 'manouche',
  help: 'Installs the named fixture(s) in the database, all objects or none.',
  addArguments(cmd: Command) {
    cmd.argument('<fixtures...>', 'fixture files (JSON, as written by dumpdata)');
  },
  async handle(ctx, _options, names: string[]) {
    let count = 0;
    for (const name of names) {
      count += await asCommandError(() => loadData(findFixture(name)));
    }
    ctx.stdout.write(`Installed ${count} object(s) from ${names.length} fixture(s)\n`);
  },
};

export default loaddata;
