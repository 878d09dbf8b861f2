// Autoreload for runserver: a parent process watches the app folder and runs the server in a child process that it
// restarts when code, templates or JSON change (as Django's autoreloader does).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { shutdownSignal } from './servers';
import type { CommandContext } from './commands/registry';

const WATCHED = /\.(c|m)?(js|ts)$|\.html$|\.json$/;

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
    let everListened = false;
    let stopping = false;
    let restartPending = false;
    let debounce: NodeJS.Timeout | undefined;

    const start = () => {
      restartPending = false;
      const c = spawn(process.execPath, [...process.execArgv, process.argv[1], ...opts.argv], {
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, MANOUCHE_RUN_MAIN: '1' },
      });
      child = c;
      c.on('message', (msg: { manouche?: string }) => { if (msg?.manouche === 'listening') everListened = true; });
      c.on('exit', (code, signal) => {
        if (child === c) child = undefined;
        if (stopping) return finish(0);
        if (restartPending) return start();
        if (!everListened) return finish(code ?? (signal ? 1 : 0));
        ctx.stderr.write(ctx.style.warning(`The server stopped (${signal ?? `exit code ${code}`}). Waiting for a file change to restart it.\n`));
      });
    };

    const watcher = watchTree(opts.dir, opts.ignoredDirs ?? [], (rel) => {
      if (stopping) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        ctx.stderr.write(`${path.join(opts.dir, rel)} changed, reloading.\n`);
        if (child) { restartPending = true; child.kill('SIGTERM'); } else start();
      }, 100);
    });

    const finish = (code: number) => {
      watcher.close();
      clearTimeout(debounce);
      resolve(code);
    };

    void shutdownSignal().then(() => {
      if (stopping) return;
      stopping = true;
      if (child) child.kill('SIGINT'); else finish(0);
    });
    start();
  });
}
