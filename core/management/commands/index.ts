// The core commands, registered when the CLI loads. Battery commands (createsuperuser, clearsessions …) are
// registered by the batteries' setup(); app commands by command() in the app file.
import { registerCommand } from './registry';
import help from './help';
import runserver from './runserver';
import serve from './serve';
import routes from './routes';
import check from './check';
import startapp from './startapp';
import dev from './dev';
import test from './test';
import makemigrations from './makemigrations';
import migrate from './migrate';
import showmigrations from './showmigrations';
import sqlmigrate from './sqlmigrate';
import shell from './shell';
import dumpdata from './dumpdata';
import loaddata from './loaddata';
import flush from './flush';

for (const spec of [help, runserver, serve, routes, check, startapp, dev, test, makemigrations, migrate, showmigrations, sqlmigrate, shell, dumpdata, loaddata, flush]) {
  registerCommand(spec);
}
