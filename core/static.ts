// Static and media files: STATIC_URL from STATIC_DIRS then the framework's folders, MEDIA_URL from MEDIA_ROOT.
import express from 'express';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { state } from './state';

/** One URL prefix and the folders it serves, in order. */
interface Mount {
  prefix: string;
  servers: RequestHandler[];
}

const OPTIONS = { index: false, redirect: false, fallthrough: true, dotfiles: 'ignore', etag: true, lastModified: true } as const;

/**
 * Builds the static files step of the pipeline (serve-static: ETag, Last-Modified, 304, no traversal).
 * The step returns false when the path is not under a static prefix, so the common case costs one startsWith.
 * @example const tryStatic = staticFiles(); if (!tryStatic(req, res, pathname, next)) route(req, res)
 */
export function staticFiles(): (req: Request, res: Response, pathname: string, next: NextFunction) => boolean {
  const s = state.settings;
  const mounts: Mount[] = [
    { prefix: s.STATIC_URL, servers: [...s.STATIC_DIRS, ...state.frameworkStaticDirs].map((dir) => express.static(dir, OPTIONS)) },
    { prefix: s.MEDIA_URL, servers: [express.static(s.MEDIA_ROOT, OPTIONS)] },
  ].filter((m) => m.prefix && m.prefix !== '/' && m.servers.length);
  return (req, res, pathname, next) => {
    for (const mount of mounts) {
      if (!pathname.startsWith(mount.prefix)) continue;
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
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
      return true;
    }
    return false;
  };
}
