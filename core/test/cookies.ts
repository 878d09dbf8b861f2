// The test Client's cookie jar: what a browser keeps from Set-Cookie (path, expiry, removal) and sends back.

/** A Set-Cookie header as light-my-request parses it (set-cookie-parser's shape). */
export interface SetCookie {
  name: string;
  value: string;
  path?: string;
  expires?: Date;
  maxAge?: number;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  /** Milliseconds since the epoch; undefined for a session cookie. */
  expiresAt?: number;
}

/**
 * Cookies by name and path, as a browser holds them for one site.
 * @example client.cookies.get('sessionid')
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Keeps the cookies a response set; `Max-Age=0` or a past `Expires` removes one. */
  store(setCookies: SetCookie[], requestPath: string): void {
    for (const c of setCookies) {
      const path = c.path?.startsWith('/') ? c.path : defaultPath(requestPath);
      const expiresAt = c.maxAge !== undefined ? Date.now() + c.maxAge * 1000 : c.expires?.getTime();
      const key = `${path}\0${c.name}`;
      if (expiresAt !== undefined && (expiresAt <= Date.now() || Number.isNaN(expiresAt))) this.cookies.delete(key);
      else this.cookies.set(key, { name: c.name, value: c.value, path, expiresAt });
    }
  }

  /** Sets a cookie for the whole site (path `/`), as `login()` does with the session cookie. */
  set(name: string, value: string, path = '/'): void {
    this.cookies.set(`${path}\0${name}`, { name, value, path });
  }

  setAll(values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) this.set(name, value);
  }

  /** The value a request to `path` would send for `name`. */
  get(name: string, path = '/'): string | undefined {
    return this.matching(path).find((c) => c.name === name)?.value;
  }

  /** Every live cookie's value by name (the most specific path wins). */
  values(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.live().sort((a, b) => a.path.length - b.path.length)) out[c.name] = c.value;
    return out;
  }

  /** The Cookie header for a request to `path`, or '' when no cookie applies. */
  header(path: string): string {
    return this.matching(path).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  delete(name: string): void {
    for (const [key, c] of this.cookies) if (c.name === name) this.cookies.delete(key);
  }

  clear(): void {
    this.cookies.clear();
  }

  // RFC 6265 §5.1.4 path-match, longer paths first (§5.4).
  private matching(path: string): StoredCookie[] {
    return this.live()
      .filter((c) => path === c.path || (path.startsWith(c.path) && (c.path.endsWith('/') || path[c.path.length] === '/')))
      .sort((a, b) => b.path.length - a.path.length);
  }

  private live(): StoredCookie[] {
    const now = Date.now();
    const out: StoredCookie[] = [];
    for (const [key, c] of this.cookies) {
      if (c.expiresAt !== undefined && c.expiresAt <= now) this.cookies.delete(key);
      else out.push(c);
    }
    return out;
  }
}

// RFC 6265 §5.1.4: the request path up to, not including, its last "/" (or "/").
function defaultPath(requestPath: string): string {
  const i = requestPath.lastIndexOf('/');
  return i <= 0 ? '/' : requestPath.slice(0, i);
}
