// Autoreload for runserver: a parent process watches the app folder and runs the server in a child process that it
// restarts when code, templates or JSON change (as Django's autoreloader does). The next child waits ready beside the
// running one (a standby that has loaded manouche and the packages, not the app), so a reload costs the app file's own
// run, not a process start.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { shutdownSignal } from './servers';
import { PACKAGE_ROOT } from '../conf/paths';
import type { CommandContext } from './commands/registry';

/** The standby's entry file (core/management/standby.ts), beside this one. */
const STANDBY_ENTRY = path.join(__dirname, 'standby.js');
/** The standby's exit code when preloading ran one of the app's own files: standbys are then not used again. */
export const STANDBY_UNUSABLE = 3;
const COMPILED_ROOT = path.join(PACKAGE_ROOT, 'dist') + path.sep;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * True for a module file that is a library's, not the app's: manouche's compiled files and anything in node_modules.
 * Only these are loaded ahead of a reload; the app's own files always run fresh.
 * @example isLibraryModule('/srv/blog/node_modules/express/index.js') // true; isLibraryModule('/srv/blog/app.js') // false
 */
export function isLibraryModule(file: string): boolean {
  return file.includes(NODE_MODULES) || file.startsWith(COMPILED_ROOT);
}

/**
 * In a runserver child: tells the reloader which library modules this process has loaded (now, and again when more
 * have loaded, checked each second), for the standby to load them before the next reload needs them.
 * @example reportLoadedModules() // after listening
 */
export function reportLoadedModules(): void {
  if (!process.send) return;
  let count = 0;
  const report = () => {
    const files = Object.keys(require.cache);
    if (files.length === count || !process.connected) return;
    count = files.length;
    process.send?.({ manouche: 'modules', files: files.filter(isLibraryModule) });
  };
  report();
  setInterval(report, 1000).unref();
}

const WATCHED = /\.(c|m)?(js|ts)$|\.html$|\.json$/;
/** Changes a standby may take: code and templates. A JSON file may be a package's configuration, read as it loads. */
const STANDBY_SAFE = /\.(c|m)?(js|ts)$|\.html$/;

/**
 * True for files whose change restarts the development server (code, templates, JSON; not the database or media).
 * @example isWatchedFile('templates/index.html') // true; isWatchedFile('db.sqlite3-wal') // false
 */
export function isWatchedFile(relPath: string, ignoredDirs: string[] = []): boolean {
  const parts = relPath.split(/[\\/]/);
  if (parts.some((p) => p === 'node_modules' || p === '.git' || p === 'media')) return false;
  if (ignoredDirs.some((d) => relPath === d || relPath.startsWith(`${d}${path.sep}`))) return false;
  const base = parts[parts.length - 1];
  if (base.startsWith('db.sqlite3')) return false;
  return WATCHED.test(base);
}

/**
 * Watches every folder under `root` (one inotify/FSEvents watch per folder; node_modules, .git, media, dot-folders
 * and `ignoredDirs` skipped, so that an app with its node_modules next to it stays cheap) and calls `onChange` with
 * the relative path of each changed watched file. New folders are picked up as they appear.
 * @example const watcher = watchTree(state.appDir, ['media'], (rel) => console.log(`${rel} changed`)); watcher.close();
 */
export function watchTree(root: string, ignoredDirs: string[], onChange: (rel: string) => void): { close(): void } {
  const watchers = new Map<string, fs.FSWatcher>();
  const skip = (rel: string) => {
    const base = path.basename(rel);
    return base === 'node_modules' || base === 'media' || (base.startsWith('.') && rel !== '') || ignoredDirs.includes(rel);
  };
  const add = (rel: string) => {
    const abs = path.join(root, rel);
    if (watchers.has(abs) || skip(rel)) return;
    let w: fs.FSWatcher;
    try {
      w = fs.watch(abs, (_event, name) => {
        if (!name) return;
        const childRel = path.join(rel, String(name));
        if (isWatchedFile(childRel, ignoredDirs)) onChange(childRel);
        else if (fs.statSync(path.join(root, childRel), { throwIfNoEntry: false })?.isDirectory()) add(childRel);
      });
    } catch {
      return; // vanished or unreadable: nothing to watch
    }
    w.on('error', () => { w.close(); watchers.delete(abs); });
    watchers.set(abs, w);
    let entries: fs.Dirent[] = [];
    try { entries = fs.readdirSync(abs, { withFileTypes: true }); } catch { /* removed meanwhile */ }
    for (const entry of entries) if (entry.isDirectory()) add(path.join(rel, entry.name));
  };
  add('');
  return { close: () => { for (const w of watchers.values()) w.close(); watchers.clear(); } };
}

interface ReloadOptions {
  /** Arguments for the child after the app file (`['runserver', '8000', '--noreload']`). */
  argv: string[];
  dir: string;
  ctx: CommandContext;
  /** Folders (relative to dir) never watched, e.g. MEDIA_ROOT. */
  ignoredDirs?: string[];
}

/**
 * Runs the server in a child process and restarts it when a watched file under `dir` changes. Resolves with the exit
 * code: 0 after SIGINT/SIGTERM, or the child's code when the very first start fails (a port in use).
 * @example return superviseReload({ argv: ['runserver', '8000'], dir: state.appDir, ctx })
 */
export function superviseReload(opts: ReloadOptions): Promise<number> {
  const { ctx } = opts;
  return new Promise((resolve) => {
    let child: ChildProcess | undefined;
    let standby: ChildProcess | undefined;
    // A debugger port can be held by one process only: with --inspect, each start is a fresh process.
    let standbyOff = process.env.MANOUCHE_NO_STANDBY === '1' || process.execArgv.some((a) => a.startsWith('--inspect'));
    let modules: string[] = [];
    let everListened = false;
    let stopping = false;
    let restartPending = false;
    let freshStart = false;
    let debounce: NodeJS.Timeout | undefined;

    const spawnServer = (entry: string[]) => spawn(process.execPath, [...process.execArgv, ...entry, ...opts.argv], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, MANOUCHE_RUN_MAIN: '1' },
    });

    // The next server process, started while this one serves: it loads the library modules the running one reported,
    // then waits for 'go' to run the app file.
    const prepareStandby = () => {
      if (standbyOff || standby || stopping) return;
      const s = spawnServer([STANDBY_ENTRY, process.argv[1]]);
      standby = s;
      s.on('error', () => { if (standby === s) standby = undefined; });
      s.on('exit', (code) => {
        if (standby !== s) return;
        standby = undefined;
        if (code === STANDBY_UNUSABLE) standbyOff = true;
      });
      if (modules.length) s.send({ manouche: 'preload', files: modules });
    };

    const dropStandby = () => {
      standby?.kill('SIGTERM');
      standby = undefined;
    };

    const start = () => {
      restartPending = false;
      let c: ChildProcess;
      const fromStandby = Boolean(standby?.connected && !freshStart);
      let listened = false;
      if (fromStandby) {
        c = standby!;
        standby = undefined;
        c.send({ manouche: 'go' });
      } else {
        dropStandby();
        c = spawnServer([process.argv[1]]);
      }
      freshStart = false;
      child = c;
      c.on('message', (msg: { manouche?: string; files?: string[] }) => {
        if (child !== c) return;
        if (msg?.manouche === 'listening') {
          everListened = true;
          listened = true;
          prepareStandby();
        } else if (msg?.manouche === 'modules' && Array.isArray(msg.files)) {
          modules = msg.files;
          if (standby?.connected) standby.send({ manouche: 'preload', files: modules });
        }
      });
      c.on('exit', (code, signal) => {
        if (child === c) child = undefined;
        if (stopping) return finish(0);
        // The standby found it could not be used (preloading ran an app file) as 'go' arrived: start afresh.
        if (fromStandby && !listened && code === STANDBY_UNUSABLE) {
          standbyOff = true;
          freshStart = true;
          return start();
        }
        if (restartPending) return start();
        if (!everListened) return finish(code ?? (signal ? 1 : 0));
        ctx.stderr.write(ctx.style.warning(`The server stopped (${signal ?? `exit code ${code}`}). Waiting for a file change to restart it.\n`));
      });
    };

    const watcher = watchTree(opts.dir, opts.ignoredDirs ?? [], (rel) => {
      if (stopping) return;
      if (!STANDBY_SAFE.test(rel)) freshStart = true;
      clearTimeout(debounce);
      // An editor's save is a burst of events (truncate, write, rename) within a few milliseconds.
      debounce = setTimeout(() => {
        ctx.stderr.write(`${path.join(opts.dir, rel)} changed, reloading.\n`);
        if (child) { restartPending = true; child.kill('SIGTERM'); } else start();
      }, 50);
    });

    const finish = (code: number) => {
      watcher.close();
      clearTimeout(debounce);
      dropStandby();
      resolve(code);
    };

    void shutdownSignal().then(() => {
      if (stopping) return;
      stopping = true;
      dropStandby();
      if (child) child.kill('SIGINT'); else finish(0);
    });
    start();
  });
}
