// Session writes that don't wait for express-session's hooks: the cookie set as soon as the session changes, and a
// changed session saved before any byte of the response leaves.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isSecure, signValue } from './cookies';

/**
 * express-session writes its cookie from a listener on `res.writeHead`. A pipeline that writes a response with the
 * prototype's writeHead (one call with every header, as manouche's writeResponse may) never runs that listener,
 * and a login would be lost. So the cookie is also set here, when the session is first changed in a request
 * (a top-level property set or deleted, which covers login, messages and `req.session.x = …`), and set again if
 * the session id changes. Setting it twice with the same value is harmless.
 */
export function eagerSessionCookie(name: string, secret: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let current = (req as any).session;
    if (!current) return next();
    const proxies = new WeakMap<object, object>();
    const commit = () => writeCookie(req, res, name, secret, current);
    const proxied = (sess: any) => {
      if (!sess || typeof sess !== 'object') return sess;
      let p = proxies.get(sess);
      if (!p) {
        const made: object = new Proxy(sess, {
          set(target, prop, value, receiver) {
            const ok = Reflect.set(target, prop, value, receiver);
            if (target === current && typeof prop === 'string' && prop !== 'cookie') commit();
            return ok;
          },
          deleteProperty(target, prop) {
            const ok = Reflect.deleteProperty(target, prop);
            if (target === current && typeof prop === 'string') commit();
            return ok;
          },
        });
        proxies.set(sess, made);
        p = made;
      }
      return p;
    };
    // Saved before the response is sent: the browser's next request (maybe to another process) must find it.
    // express-session saves from res.end too, but may let the whole response out first (a 0-byte redirect).
    const initial = current;
    const snapshot = serialize(current);
    const end = res.end;
    res.end = function endAfterSave(this: Response, ...args: any[]) {
      const sess = current;
      if (!sess || typeof sess.save !== 'function' || (sess === initial && serialize(sess) === snapshot)) return end.apply(this, args as any);
      sess.save(() => end.apply(res, args as any));
      return res;
    } as typeof res.end;
    // express-session replaces req.session on regenerate (login, logout): follow it.
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get: () => proxied(current),
      set: (value) => { current = value; },
    });
    next();
  };
}

/** The session's data without its cookie, to tell whether a request changed it. */
function serialize(sess: any): string {
  try { return JSON.stringify(sess, (k, v) => (k === 'cookie' ? undefined : v)); } catch { return ''; }
}

function writeCookie(req: Request, res: Response, name: string, secret: string, sess: any): void {
  if (res.headersSent || !sess?.cookie || typeof req.sessionID !== 'string') return;
  const options = sess.cookie.data ?? {};
  // As express-session: a Secure cookie is only sent over HTTPS.
  if (options.secure && !isSecure(req)) return;
  const previous = res.getHeader('Set-Cookie');
  const kept = ([] as string[]).concat((previous as string[] | string | undefined) ?? []).filter((c) => !c.startsWith(`${name}=`));
  res.setHeader('Set-Cookie', kept);
  res.cookie(name, `s:${signValue(req.sessionID, secret)}`, {
    path: options.path ?? '/', httpOnly: options.httpOnly !== false, secure: Boolean(options.secure),
    sameSite: options.sameSite, expires: options.expires ? new Date(options.expires) : undefined, domain: options.domain,
  });
}
