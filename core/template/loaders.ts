// Where templates come from: the ones added in the app file, then folders (with DEBUG, re-read when edited).
import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';

/** Templates defined in the app file with `template.add(name, source)`; searched first. */
export class InlineLoader implements nunjucks.ILoader {
  cache: Record<string, unknown> = {};
  readonly sources = new Map<string, string>();
  getSource(name: string): nunjucks.LoaderSource {
    const src = this.sources.get(name);
    return (src === undefined ? null : { src, path: name, noCache: false }) as nunjucks.LoaderSource;
  }
}

/** How many names the lookup cache remembers (names built from request data must not grow it forever). */
const LOOKUP_CACHE_SIZE = 2000;

/**
 * Template folders in search order. When `reload` is on (DEBUG), a cached template is dropped as soon as its file
 * changes or another folder starts to shadow it: one stat per template per render, no watcher, no native addon.
 * Outside DEBUG, where a name resolves is remembered (Django's cached loader): the admin's per-model override
 * lookups (`templateExists`) stat the disk once per name, not on every request.
 */
export class FolderLoader implements nunjucks.ILoader {
  private compiled: Record<string, unknown> = {};
  private readonly loaded = new Map<string, { file: string; mtimeMs: number }>();
  private readonly located = new Map<string, string | undefined>();
  constructor(readonly folders: string[], private readonly reload: boolean) {}

  // nunjucks keeps compiled templates in `loader.cache`; in DEBUG we hand it a view that hides stale entries.
  get cache(): Record<string, unknown> { return this.compiled; }
  set cache(value: Record<string, unknown>) {
    this.compiled = !this.reload ? value : new Proxy(value, {
      get: (target, name) => {
        if (typeof name !== 'string') return undefined;
        if (!target[name]) return target[name];
        if (!this.isStale(name)) return target[name];
        delete target[name];
        return undefined;
      },
    });
  }

  /** The file a name resolves to: the first folder holding it. Names may not climb out of their folder. */
  locate(name: string): string | undefined {
    if (!this.reload && this.located.has(name)) return this.located.get(name);
    const file = this.search(name);
    if (!this.reload && this.located.size < LOOKUP_CACHE_SIZE) this.located.set(name, file);
    return file;
  }

  private search(name: string): string | undefined {
    for (const folder of this.folders) {
      const file = path.resolve(folder, name);
      if (!file.startsWith(folder + path.sep)) continue;
      try {
        if (fs.statSync(file).isFile()) return file;
      } catch { /* not in this folder */ }
    }
    return undefined;
  }

  getSource(name: string): nunjucks.LoaderSource {
    const file = this.locate(name);
    if (!file) return null as unknown as nunjucks.LoaderSource;
    if (this.reload) this.loaded.set(name, { file, mtimeMs: fs.statSync(file).mtimeMs });
    return { src: fs.readFileSync(file, 'utf8'), path: file, noCache: false };
  }

  private isStale(name: string): boolean {
    const seen = this.loaded.get(name);
    const file = this.locate(name);
    if (!seen || !file || file !== seen.file) return true;
    return fs.statSync(file).mtimeMs !== seen.mtimeMs;
  }
}
