// Static and media files: STATIC_URL from STATIC_DIRS then the framework's folders, MEDIA_URL from MEDIA_ROOT.
import { serveStatic } from './express';
import type { Request, Response, RequestHandler } from 'express';
import { state } from '../conf/state';

/** One URL prefix and the folders it serves, in order. */
interface Mount {
  prefix: string;
  servers: RequestHandler[];
}

const OPTIONS = { index: false, redirect: false, fallthrough: true, dotfiles: 'ignore', etag: true, lastModified: true } as const;

/** The static files step of the pipeline: `handles()` is one startsWith per prefix, `serve()` runs serve-static. */
export interface StaticFiles {
  handles(pathname: string): boolean;
  serve(req: Request, res: Response, pathname: string, next: (err?: unknown) => void): void;
}

/**
 * Builds the static files step (serve-static: ETag, Last-Modified, 304, dotfiles hidden, no traversal).
 * Folders are tried in order; a file found nowhere falls through to the URL patterns (and their 404).
 * @example const files = staticFiles(); if (files.handles(p)) files.serve(req, res, p, next)
 */
export function staticFiles(): StaticFiles {
  const s = state.settings;
  const mounts: Mount[] = [
    { prefix: s.STATIC_URL, servers: [...s.STATIC_DIRS, ...state.frameworkStaticDirs].map((dir) => serveStatic(dir, OPTIONS)) },
    { prefix: s.MEDIA_URL, servers: [serveStatic(s.MEDIA_ROOT, OPTIONS)] },
  ].filter((m) => m.prefix && m.prefix !== '/' && m.servers.length);
  const find = (pathname: string): Mount | undefined => mounts.find((m) => pathname.startsWith(m.prefix));
  return {
    handles: (pathname) => {
      for (let i = 0; i < mounts.length; i++) if (pathname.startsWith(mounts[i].prefix)) return true;
      return false;
    },
    serve(req, res, pathname, next) {
      const mount = find(pathname);
      if (!mount || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      const original = req.url;
      req.url = original.slice(mount.prefix.length - 1);
      let i = 0;
      const step = (err?: unknown): void => {
        if (err || i >= mount.servers.length) {
          req.url = original;
          next(err);
          return;
        }
        mount.servers[i++](req, res, step);
      };
      step();
    },
  };
}
