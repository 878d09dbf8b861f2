// The core commands, registered when the CLI loads; each one's module loads when it is run or described (`help`).
// Battery commands (createsuperuser, clearsessions …) are registered by the batteries' setup(); app commands by
// command() in the app file.
/* eslint-disable @typescript-eslint/no-require-imports */
import { lazyCommand, registerCommand } from './registry';

const BUILT_IN: Record<string, () => any> = {
  help: () => require('./help'),
  runserver: () => require('./runserver'),
  serve: () => require('./serve'),
  routes: () => require('./routes'),
  check: () => require('./check'),
  startapp: () => require('./startapp'),
  dev: () => require('./dev'),
  test: () => require('./test'),
  makemigrations: () => require('./makemigrations'),
  migrate: () => require('./migrate'),
  showmigrations: () => require('./showmigrations'),
  sqlmigrate: () => require('./sqlmigrate'),
  shell: () => require('./shell'),
  dumpdata: () => require('./dumpdata'),
  loaddata: () => require('./loaddata'),
  flush: () => require('./flush'),
};

for (const [name, load] of Object.entries(BUILT_IN)) registerCommand(lazyCommand(name, load));
