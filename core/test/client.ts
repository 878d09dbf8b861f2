// The test Client: requests injected into the app in-process (no port), with a browser's cookie jar, CSRF and redirects.
import type { RequestListener } from 'node:http';
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { getApp } from '../http/application';
import { ImproperlyConfigured } from '../conf/errors';
import { state, type AuthBridge } from '../conf/state';
import { CookieJar } from './cookies';
import { encodeBody, encodeForm, randomToken } from './bodies';
export type { UploadFile } from './bodies';

export interface ClientOptions {
  /** Send no CSRF token or Origin by themselves, so that tests can check the CSRF protection (Django's flag). */
  enforceCsrfChecks?: boolean;
  /** The Host header (default `localhost`), also used for the Origin of unsafe requests. */
  host?: string;
}

export interface RequestOptions {
  query?: Record<string, unknown> | URLSearchParams | string;
  headers?: Record<string, string>;
  /** Follow redirects (at most 20); the response then has the final `url` and the `redirectChain`. */
  follow?: boolean;
}

export interface DataOptions extends RequestOptions {
  /** Send `data` as JSON (also when `headers['content-type']` says JSON). Default: a urlencoded form. */
  json?: boolean;
}

/** What a request through the Client answers. */
export interface ClientResponse {
  status: number;
  /** Lower-case names; `set-cookie` is a list, every other value a string. */
  headers: Record<string, string | string[]>;
  text: string;
  body: Buffer;
  /** The path (and query) of the final request. */
  url: string;
  /** `[url, status]` of each redirect followed. */
  redirectChain: Array<[string, number]>;
  /** The parsed JSON body, as the type you name (`res.json<{ id: number }>()`); throws showing the body when it is not JSON. */
  json<T = unknown>(): T;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/**
 * Talks to the app like a browser, in-process: keeps cookies, sends the CSRF token and an Origin on unsafe methods,
 * follows redirects on request, and logs users in through the auth battery.
 * @example
 * const client = new Client();
 * assert.ok(await client.login({ username: 'ann', password: 's3cret-pass' }));
 * const res = await client.post('/posts/', { title: 'Hi' }, { follow: true });
 * assert.equal(res.status, 200);
 */
export class Client {
  readonly cookies = new CookieJar();
  readonly host: string;
  readonly enforceCsrfChecks: boolean;
  private readonly explicitApp?: RequestListener;

  constructor(app?: RequestListener | ClientOptions, options: ClientOptions = {}) {
    if (app && typeof app === 'object') [app, options] = [undefined, app];
    this.explicitApp = app as RequestListener | undefined;
    this.host = options.host ?? 'localhost';
    this.enforceCsrfChecks = options.enforceCsrfChecks ?? false;
  }

  get(path: string, options: RequestOptions = {}): Promise<ClientResponse> { return this.request('GET', path, undefined, options); }
  head(path: string, options: RequestOptions = {}): Promise<ClientResponse> { return this.request('HEAD', path, undefined, options); }
  options(path: string, options: RequestOptions = {}): Promise<ClientResponse> { return this.request('OPTIONS', path, undefined, options); }
  post(path: string, data?: unknown, options: DataOptions = {}): Promise<ClientResponse> { return this.request('POST', path, data, options); }
  put(path: string, data?: unknown, options: DataOptions = {}): Promise<ClientResponse> { return this.request('PUT', path, data, options); }
  patch(path: string, data?: unknown, options: DataOptions = {}): Promise<ClientResponse> { return this.request('PATCH', path, data, options); }
  delete(path: string, data?: unknown, options: DataOptions = {}): Promise<ClientResponse> { return this.request('DELETE', path, data, options); }

  /** Logs in with a username and password; false when they are wrong or the user is inactive. */
  async login({ username, password }: { username: string; password: string }): Promise<boolean> {
    const bridge = authBridge('login()');
    const user = await bridge.authenticate(username, password);
    if (!user) return false;
    this.cookies.setAll(await bridge.sessionCookiesFor(user));
    return true;
  }

  /** Logs `user` in without a password (fast: no hashing). */
  async forceLogin(user: unknown): Promise<void> {
    this.cookies.setAll(await authBridge('forceLogin()').sessionCookiesFor(user));
  }

  /** Ends the session on the server and forgets every cookie. */
  async logout(): Promise<void> {
    await authBridge('logout()').endSession(this.cookies.values());
    this.cookies.clear();
  }

  /** Any method; `data` is sent as a form (default) or JSON. */
  async request(method: string, path: string, data?: unknown, options: DataOptions = {}): Promise<ClientResponse> {
    method = method.toUpperCase();
    if (/^https?:\/\//i.test(path)) {
      const absolute = new URL(path); // Django's client takes full URLs too; only the path matters in-process
      path = absolute.pathname + absolute.search;
    }
    let url = withQuery(path, options.query);
    let res = await this.send(method, url, data, options);
    const chain: Array<[string, number]> = [];
    while (options.follow && REDIRECTS.has(res.status) && typeof res.headers.location === 'string') {
      const next = new URL(res.headers.location, `http://${this.host}${url}`);
      const target = next.host === this.host ? next.pathname + next.search : next.href;
      chain.push([target, res.status]);
      if (next.host !== this.host) break; // another site: stop there, as Django's client does
      if (chain.length > MAX_REDIRECTS) throw new Error(`Too many redirects (more than ${MAX_REDIRECTS}) starting at ${method} ${path}: ${chain.map(([u]) => u).join(' → ')}`);
      const keep = res.status === 307 || res.status === 308;
      url = target;
      if (keep) {
        res = await this.send(method, url, data, options);
      } else { // 301/302/303: the browser comes back with a GET, without the body or its content type
        const headers = Object.fromEntries(Object.entries(options.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'content-type'));
        res = await this.send(method === 'HEAD' ? 'HEAD' : 'GET', url, undefined, { headers });
      }
    }
    return Object.assign(res, { redirectChain: chain });
  }

  private async send(method: string, url: string, data: unknown, options: DataOptions): Promise<ClientResponse> {
    const headers: Record<string, string> = { host: this.host };
    for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
    const payload = encodeBody(data, headers, options.json);
    if (UNSAFE.has(method) && !this.enforceCsrfChecks) this.addCsrf(headers);
    const cookie = this.cookies.header(url.split('?')[0]);
    if (cookie) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookie}` : cookie;
    const res = await inject(dispatcherFor(this.app()), { method: method as InjectOptions['method'], url, headers, payload });
    this.cookies.store(res.cookies, url.split('?')[0]);
    return toResponse(res, url);
  }

  private addCsrf(headers: Record<string, string>): void {
    const name = state.configured ? state.settings.CSRF_COOKIE_NAME : 'csrftoken';
    let token = this.cookies.get(name);
    if (!token) {
      token = randomToken(32);
      this.cookies.set(name, token);
    }
    headers['x-csrftoken'] ??= token;
    headers.origin ??= `http://${this.host}`;
  }

  private app(): RequestListener {
    return this.explicitApp ?? (getApp() as unknown as RequestListener);
  }
}

// Loaded with the first request: importing manouche (every command, every server start) does not pay for it.
let lightMyRequest: ((app: RequestListener, options: InjectOptions) => Promise<InjectResponse>) | undefined;
function inject(app: RequestListener, options: InjectOptions): Promise<InjectResponse> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lightMyRequest ??= require('light-my-request') as typeof lightMyRequest;
  return lightMyRequest!(app, options);
}

type ExpressLike = RequestListener & { request?: { app?: unknown }; response?: object };
const dispatchers = new WeakMap<RequestListener, RequestListener>();

/**
 * Node's own request keeps `connection` as a silent alias of `socket` (express-session reads it), but
 * light-my-request's warns on it: every test run would print a deprecation warning. The app is called through a
 * function that restores the silent alias; for an express app, that function carries `request`/`response` the way
 * light-my-request recognises express (it then gives express's request prototype its stream methods).
 */
function dispatcherFor(app: RequestListener): RequestListener {
  let dispatch = dispatchers.get(app);
  if (dispatch) return dispatch;
  const wrapped: ExpressLike = (req, res) => {
    Object.defineProperty(req, 'connection', { get() { return this.socket; }, configurable: true });
    app(req, res);
  };
  const express = app as ExpressLike;
  if (express.request && express.request.app === app && express.response) {
    wrapped.request = Object.create(Object.getPrototypeOf(express.request), { app: { value: wrapped } });
    wrapped.response = Object.create(Object.getPrototypeOf(express.response));
  }
  dispatch = wrapped;
  dispatchers.set(app, dispatch);
  return dispatch;
}

function authBridge(what: string): AuthBridge {
  if (!state.authBridge) throw new ImproperlyConfigured(`client.${what} needs the auth battery: turn it on with configure({ auth: true }) (admin: true implies it).`);
  return state.authBridge;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const qs = typeof query === 'string' ? query.replace(/^\?/, '') : encodeForm(query).toString();
  if (!qs) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${qs}`;
}

function toResponse(res: InjectResponse, url: string): ClientResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    headers[key] = key === 'set-cookie' ? [value].flat().map(String) : Array.isArray(value) ? value.join(', ') : String(value);
  }
  const text = res.payload;
  return {
    status: res.statusCode,
    headers,
    text,
    body: res.rawPayload,
    url,
    redirectChain: [],
    json<T>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
        throw new Error(`The response to ${url} is not JSON (status ${res.statusCode}, content-type ${headers['content-type'] ?? 'none'}): ${preview}`);
      }
    },
  };
}
