// What manouche adds to express's Request, shared by the pipeline, the batteries and the views.
/// <reference types="passport" />
/// <reference types="express-session" />
import type { Request as ExpressRequest } from 'express';
import type { Response as ManoucheResponse } from './responses';
import type { AnonymousUser, AuthUser } from '../../auth/types';

/** The route a request matched, set by the resolver before battery middleware runs (CSRF reads `view`). */
export interface ResolverMatch {
  view: Function;
  params: Record<string, unknown>;
  /** The route's name, with its namespace (`admin:index`). */
  name?: string;
  /** The full pattern that matched, e.g. `blog/<int:year>/`. */
  route: string;
  /** True when the match is an include()d express Router (which reads the body itself). */
  mount?: boolean;
}

/** A file from a multipart form body. */
export interface UploadedFile {
  fieldname: string;
  filename: string;
  mimeType: string;
  size: number;
  /** The bytes (read from `path` on demand when the file went to a temporary file). */
  buffer: Buffer;
  /** Set when the file was larger than FILE_UPLOAD_MAX_MEMORY_SIZE: its temporary file, removed after the response. */
  path?: string;
}

/**
 * What your app keeps in `req.session`, by declaration merging (merged into express-session's SessionData,
 * so it works whether or not express-session is resolvable from your project):
 * `declare module 'manouche' { interface SessionData { cart: number[] } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface SessionData {}

declare module 'express-session' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
  interface SessionData extends ManoucheSessionData {}
}
type ManoucheSessionData = SessionData;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      resolverMatch?: ResolverMatch;
      files?: UploadedFile[];
      /** Set by the CSRF middleware: the token to put in forms. */
      csrfToken?: () => string;
    }
  }
}

export type ViewResult = ManoucheResponse | string | object | unknown[] | undefined | void;

/**
 * The request a view receives: express's, with `req.user` the logged-in User or the anonymous user (auth on)
 * and `req.session` typed by express-session (add your keys to manouche's `SessionData` interface).
 * @example route('me/', (req: HttpRequest) => req.user.isAuthenticated ? req.user.email : 'anonymous')
 */
export interface HttpRequest extends ExpressRequest {
  /** The logged-in user, or the anonymous user (`isAuthenticated` false); set by the auth battery. */
  user: AuthUser | AnonymousUser;
}
