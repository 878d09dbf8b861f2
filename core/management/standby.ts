// runserver's standby: the next server process, started by the reloader while the current one serves. It loads the
// library modules the running server reported (manouche's files and the packages: express, sequelize, nunjucks …) and
// waits; at the next reload the reloader sends 'go' and it runs the app file as the main module, as `node app.js
// runserver …` would. Started as: node standby.js <app file> runserver [args].
import path from 'node:path';
import Module from 'node:module';
import { isLibraryModule, STANDBY_UNUSABLE } from './autoreload';

interface StandbyMessage { manouche?: string; files?: unknown }

/** Loads each library module not loaded yet; one that fails loads (or fails the same way) when the app asks for it. */
function preload(files: unknown): void {
  if (!Array.isArray(files)) return;
  for (const file of files) {
    if (typeof file !== 'string' || !path.isAbsolute(file) || !isLibraryModule(file) || require.cache[file]) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    } catch {
      // left to the app's own require
    }
  }
  // A package that ran one of the app's files as it loaded (a config file) would keep the old one: start fresh instead.
  if (Object.keys(require.cache).some((f) => !isLibraryModule(f))) process.exit(STANDBY_UNUSABLE);
}

function onMessage(msg: StandbyMessage): void {
  if (msg?.manouche === 'preload') preload(msg.files);
  if (msg?.manouche !== 'go') return;
  process.off('message', onMessage);
  process.off('disconnect', onDisconnect);
  process.argv.splice(1, 1); // [node, app.js, runserver, …]: what the app and its command line read
  (Module as unknown as { runMain(): void }).runMain();
}

function onDisconnect(): void {
  process.exit(0); // the reloader is gone
}

process.on('message', onMessage);
process.on('disconnect', onDisconnect);
