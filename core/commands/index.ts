// The core commands, registered when the CLI loads. Battery commands (createsuperuser, clearsessions …) are
// registered by the batteries' setup(); app commands by command() in the app file.
import { registerCommand, type CommandSpec } from './registry';
import help from './help';
import runserver from './runserver';
import serve from './serve';
import routes from './routes';
import check from './check';
import startapp from './startapp';
import dev from './dev';

for (const spec of [help, runserver, serve, routes, check, startapp, dev]) registerCommand(spec);

// Commands owned by other modules that may not exist yet in this checkout: a missing module is skipped, any
// other error while loading it is real and thrown.
const OPTIONAL = ['test', 'makemigrations', 'migrate', 'showmigrations', 'sqlmigrate', 'shell', 'dumpdata', 'loaddata', 'flush'];
for (const name of OPTIONAL) {
  let spec: CommandSpec | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    spec = require(`./${name}`).default;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.startsWith(`Cannot find module './${name}'`)) continue;
    throw err;
  }
  if (spec) registerCommand(spec);
}
