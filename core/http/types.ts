// What manouche adds to express's Request, shared by the pipeline, the batteries and the views.
import type { Response as ManoucheResponse } from './responses';

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

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The logged-in user, or an anonymous user object (`isAuthenticated` false) when auth is on. */
      user?: any;
      resolverMatch?: ResolverMatch;
      files?: UploadedFile[];
      /** Set by the CSRF middleware: the token to put in forms. */
      csrfToken?: () => string;
    }
  }
}

export type ViewResult = ManoucheResponse | string | object | unknown[] | undefined | void;
