// Saves a changed session before any byte of the response leaves, so the browser's next request finds it.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The session's data without its cookie, to tell whether a request changed it. */
function serialize(sess: unknown): string {
  try { return JSON.stringify(sess, (k, v) => (k === 'cookie' ? undefined : v)); } catch { return ''; }
}

/**
 * express-session saves a changed session from `res.end`, but may let the whole response out first: a redirect
 * with an empty body is complete for the browser as soon as its headers arrive, and its next request (maybe to
 * another process) can come before the save. This wrapper saves first, then ends the response; express-session
 * then finds the session saved. Sessions the request didn't change cost nothing.
 */
export function saveSessionFirst(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const initial = (req as any).session;
    if (!initial) return next();
    const snapshot = serialize(initial);
    const end = res.end;
    res.end = function endAfterSave(this: Response, ...args: any[]) {
      const sess = (req as any).session;
      // Replaced by regenerate (login, logout) or changed in place: save before answering.
      if (!sess || typeof sess.save !== 'function' || (sess === initial && serialize(sess) === snapshot)) return end.apply(this, args as any);
      sess.save(() => end.apply(res, args as any));
      return res;
    } as typeof res.end;
    next();
  };
}
