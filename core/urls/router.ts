// URL patterns: route()/path()/include()/use(), the live `urlpatterns` list, the compiled resolver and reverse().
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { compilePattern, type CompiledPattern, type PatternParam } from './converters';
import { ImproperlyConfigured, NoReverseMatch } from '../conf/errors';
import { requireConfigured } from '../conf/state';
import type { View } from '../http/views';
import type { HttpRequest } from '../http/types';
import type { ReverseArgs, RouteName, RouteNameFor, RouteParams } from './params';
import { getScriptPrefix } from './prefix';
import type { MiddlewareEntry } from '../http/middleware';

export { registerConverter } from './converters';

/**
 * A function view: `(req, params) => result`, sync or async; params are the converted path parameters,
 * typed from the pattern (`<int:year>` gives `year: number`).
 */
export type ViewFunction<P = Record<string, unknown>> = (req: HttpRequest, params: P) => unknown;
/** What route()/path() accept as a view: a function, or a View subclass (instantiated per request). */
export type ViewLike<P = Record<string, unknown>> = ViewFunction<P> | (new () => View);

/** Options of route()/path(): a name for reverse(), the methods the view answers, regex syntax for a string. */
export interface RouteOptions {
  name?: string;
  methods?: string[];
  regex?: boolean;
  /** express middleware run for this route only, after URL resolution and the batteries' middleware, before the view. */
  middleware?: RequestHandler[];
}

declare const prefixParams: unique symbol;

/**
 * One entry of `urlpatterns`: a view, a list of included patterns, or a mounted express Router. `Needs` (type-level
 * only) is what its view takes from an include()'s prefix: include() checks that the prefix gives it.
 */
export interface UrlPattern<Needs = {}> {
  /** Never set: carries `Needs` (a function parameter, so that a prefix giving more params fits). */
  readonly [prefixParams]?: (params: Needs) => void;
  pattern: string | RegExp;
  name?: string;
  view?: Function;
  methods?: string[];
  middleware?: RequestHandler[];
  compiled: CompiledPattern;
  children?: UrlPattern[];
  router?: RequestHandler;
  namespace?: string;
}

/** RouteOptions whose `name`, when declared in Routes, must be declared for this pattern. */
type NamedOptions<N extends string, P, Within extends boolean = false> = Omit<RouteOptions, 'name'> & { name?: RouteNameFor<N, P, Within> };

/** A pattern as the resolver sees it: flattened through include()s, compiled, in registration order. */
export interface Leaf {
  order: number;
  route: string;
  name?: string;
  view: Function;
  /** Set by the request pipeline the first time the pattern serves a request (a View subclass or a function). */
  isClass?: boolean;
  methods?: Set<string>;
  allow?: string;
  regex?: RegExp;
  staticPath?: string;
  params: PatternParam[];
  /** Text pieces for reverse(), when every piece of the route is a string pattern. */
  reversible: boolean;
  mount?: RequestHandler;
  /** Route-level middleware (route(pattern, view, { middleware })), run after resolution. */
  middleware?: RequestHandler[];
}

/**
 * What resolve() found: the leaf, its converted params, and for a mounted Router the matched prefix length.
 * `args` holds a regex pattern's unnamed groups in order when it has no named one (Django's positional arguments);
 * they are also in params as '0', '1', … (express's way).
 */
export interface Match {
  leaf: Leaf;
  params: Record<string, unknown>;
  args: string[];
  prefixLength: number;
}

let dirty = true;
const entries: UrlPattern[] = [];

/**
 * The live list of URL patterns, in the order they are tried. Push `path(...)` entries to it like Django's
 * `urlpatterns`; route() and include() add to it too.
 * @example urlpatterns.push(path('about/', about, { name: 'about' }))
 */
export const urlpatterns: UrlPattern[] = new Proxy(entries, {
  set(target, prop, value) {
    if (typeof prop === 'string' && /^\d+$/.test(prop) && !target.includes(value)) {
      checkEntry(value, `urlpatterns[${prop}]`);
      checkNames(value);
    }
    dirty = true;
    return Reflect.set(target, prop, value);
  },
  deleteProperty(target, prop) {
    dirty = true;
    return Reflect.deleteProperty(target, prop);
  },
});

/** Middleware added by use(), run for every request after settings.MIDDLEWARE, before URL resolution. */
export const userMiddleware: MiddlewareEntry[] = [];

/**
 * Makes a URL pattern entry (not yet registered): push it to `urlpatterns` or pass it to include().
 * @example path('blog/<int:year>/', yearArchive, { name: 'year_archive' })
 */
export function path<const P extends string | RegExp, const N extends string = never>(pattern: P, view: ViewLike<RouteParams<P>>, opts?: NamedOptions<N, P, true>): UrlPattern;
/**
 * A path whose view also takes the params of the include() prefix it goes under, annotated in full:
 * @example include('blog/<int:year>/', [path('<slug:slug>/', (req, { year, slug }: RouteParams<'blog/<int:year>/<slug:slug>/'>) => …)])
 */
export function path<const P extends string | RegExp, X extends Partial<RouteParams<P>>, const N extends string = never>(pattern: P, view: ViewFunction<X>,
  opts?: NamedOptions<N, P, true>): UrlPattern<Omit<X, keyof RouteParams<P>>>;
export function path(pattern: string | RegExp, view: ViewLike<never>, opts: RouteOptions = {}): UrlPattern {
  return makeEntry(pattern, view, opts);
}

function makeEntry(pattern: string | RegExp, view: unknown, opts: RouteOptions): UrlPattern {
  requireConfigured(`path('${String(pattern)}')`);
  const compiled = compilePattern(pattern, opts.regex);
  if (typeof view !== 'function') {
    throw new ImproperlyConfigured('', 'E_BAD_VIEW', { pattern: `'${compiled.text}'`, got: view === null ? 'null' : typeof view });
  }
  if (opts.methods !== undefined && (!Array.isArray(opts.methods) || opts.methods.some((m) => typeof m !== 'string'))) {
    throw new ImproperlyConfigured(`route('${compiled.text}'): methods must be an array of method names, e.g. { methods: ['GET', 'POST'] }.`);
  }
  if (opts.name !== undefined && (typeof opts.name !== 'string' || !opts.name)) {
    throw new ImproperlyConfigured(`route('${compiled.text}'): name must be a non-empty string, e.g. { name: 'post-detail' }.`);
  }
  const mws = opts.middleware;
  if (mws !== undefined && (!Array.isArray(mws) || mws.some((m) => typeof m !== 'function'))) {
    throw new ImproperlyConfigured('', 'E_BAD_MIDDLEWARE', { where: `route('${compiled.text}', view, { middleware })`, got: describe(Array.isArray(mws) ? mws.find((m) => typeof m !== 'function') : mws), form: `route('${compiled.text}', view, { middleware: [upload.single('file')] })` });
  }
  const methods = opts.methods?.map((m) => m.toUpperCase());
  return { pattern, name: opts.name, view, methods, compiled, middleware: mws?.length ? [...mws] : undefined };
}

/**
 * Registers a view for a pattern. Without a view, returns a function that registers one (decorator form).
 * @example route('posts/<int:id>/', (req, { id }) => json({ id }), { name: 'post-detail', methods: ['GET'] })
 * @example const about = route('about/', { name: 'about' })((req) => 'About us');
 */
export function route<const P extends string | RegExp, V extends ViewLike<RouteParams<P>>, const N extends string = never>(pattern: P, view: V, opts?: NamedOptions<N, P>): V;
export function route<const P extends string | RegExp, const N extends string = never>(pattern: P, opts?: NamedOptions<N, P>): <V extends ViewLike<RouteParams<P>>>(view: V) => V;
export function route(pattern: string | RegExp, viewOrOpts?: ViewLike<never> | RouteOptions, opts: RouteOptions = {}): unknown {
  requireConfigured(`route('${String(pattern)}')`);
  if (typeof viewOrOpts !== 'function') {
    if (viewOrOpts !== undefined && (viewOrOpts === null || typeof viewOrOpts !== 'object')) {
      throw new ImproperlyConfigured('', 'E_BAD_VIEW', { pattern: `'${String(pattern)}'`, got: viewOrOpts === null ? 'null' : typeof viewOrOpts });
    }
    const options = viewOrOpts ?? {};
    compilePattern(pattern, options.regex);
    return <V extends ViewLike<never>>(view: V): V => { urlpatterns.push(makeEntry(pattern, view, options)); return view; };
  }
  urlpatterns.push(makeEntry(pattern, viewOrOpts, opts));
  return viewOrOpts;
}

/**
 * Mounts a list of patterns (or an express Router) under a prefix; with a namespace, names become `ns:name`.
 * Registers the include and returns it; an include nested in another's list is only mounted there.
 * A path's view that takes the prefix's params annotates them in full; the compiler checks that the prefix gives them
 * (one include level: a prefix two includes up is not seen).
 * @example include('api/', [path('posts/', posts, { name: 'posts' })], { namespace: 'api' }) // reverse('api:posts')
 */
export function include<const Pre extends string | RegExp>(prefix: Pre,
  target: RequestHandler | UrlPattern<RouteParams<Pre>>[] | { urlpatterns: UrlPattern<RouteParams<Pre>>[] }, opts?: { namespace?: string; regex?: boolean }): UrlPattern;
export function include(prefix: string | RegExp, target: RequestHandler | UrlPattern[] | { urlpatterns: UrlPattern[] },
  opts: { namespace?: string; regex?: boolean } = {}): UrlPattern {
  requireConfigured(`include('${String(prefix)}')`);
  const compiled = compilePattern(prefix, opts.regex);
  const list = Array.isArray(target) ? target : (target as { urlpatterns?: UrlPattern[] })?.urlpatterns;
  let entry: UrlPattern;
  if (Array.isArray(list)) {
    list.forEach((child, i) => checkEntry(child, `include('${compiled.text}')[${i}]`));
    for (const child of list) {
      const at = entries.indexOf(child);
      if (at >= 0) { entries.splice(at, 1); dirty = true; }
    }
    entry = { pattern: prefix, compiled, children: list, namespace: opts.namespace };
  } else if (typeof target === 'function') {
    entry = { pattern: prefix, compiled, router: target as RequestHandler, view: target };
  } else {
    throw new ImproperlyConfigured(`include('${compiled.text}') takes an express Router or a list of path(...) entries.`);
  }
  urlpatterns.push(entry);
  return entry;
}

/**
 * Adds express middleware run for every request, before URL resolution (after settings.MIDDLEWARE), as
 * express's app.use(): with a path, only requests under it, with req.url/req.baseUrl adjusted as express does.
 * @example use(helmet()); use('/api', cors())
 */
export function use(...handlers: Array<RequestHandler | ErrorRequestHandler>): void;
export function use(path: string | RegExp | Array<string | RegExp>, ...handlers: Array<RequestHandler | ErrorRequestHandler>): void;
export function use(pathOrMw: unknown, ...rest: unknown[]): void {
  requireConfigured('use()');
  // express's forms: use(fn, …), use([fn, …]), use(path, fn, …), use([path, …], fn, …).
  const hasPath = typeof pathOrMw !== 'function' && !(Array.isArray(pathOrMw) && pathOrMw.length > 0 && pathOrMw.flat(Infinity).every((x) => typeof x === 'function'));
  const handlers = (hasPath ? rest : [pathOrMw, ...rest]).flat(Infinity);
  if (hasPath) {
    const paths = Array.isArray(pathOrMw) ? pathOrMw : [pathOrMw];
    if (!paths.length || paths.some((p) => typeof p !== 'string' && !(p instanceof RegExp))) {
      throw new ImproperlyConfigured('', 'E_BAD_USE_PATH', { got: describe(paths.find((p) => typeof p !== 'string' && !(p instanceof RegExp)) ?? paths) });
    }
  }
  const bad = handlers.find((h) => typeof h !== 'function');
  if (!handlers.length || bad !== undefined) {
    const shown = hasPath ? `use(${JSON.stringify(String(pathOrMw))}, …)` : 'use(…)';
    throw new ImproperlyConfigured('', 'E_BAD_MIDDLEWARE', { where: shown, got: handlers.length ? describe(bad) : 'nothing', form: hasPath ? `use(${JSON.stringify(String(pathOrMw))}, cors())` : 'use(helmet())' });
  }
  userMiddleware.push({ path: hasPath ? (pathOrMw as MiddlewareEntry['path']) : undefined, handlers: handlers as RequestHandler[] });
}

/** How a wrong value reads in a message: its type, and the value when short. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an empty list';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${JSON.stringify(value)}`;
  return typeof value;
}

function checkEntry(entry: unknown, where: string): void {
  const e = entry as UrlPattern;
  if (!e || typeof e !== 'object' || !e.compiled) {
    throw new ImproperlyConfigured(`${where} is not a URL pattern: make entries with path(pattern, view, { name }) or include(prefix, patterns).`);
  }
}

function namesOf(entry: UrlPattern, ns: string, out: Array<[string, string]>, prefix = ''): Array<[string, string]> {
  const text = prefix + entry.compiled.text;
  if (entry.children) {
    const inner = entry.namespace ? `${ns}${entry.namespace}:` : ns;
    for (const c of entry.children) namesOf(c, inner, out, text);
  } else if (entry.name) {
    out.push([ns + entry.name, text]);
  }
  return out;
}

function checkNames(entry: UrlPattern): void {
  const known = new Map<string, string>();
  for (const e of entries) for (const [n, t] of namesOf(e, '', [])) known.set(n, t);
  const seen = new Set<string>();
  for (const [name] of namesOf(entry, '', [])) {
    const other = known.get(name);
    if (other !== undefined || seen.has(name)) {
      throw new ImproperlyConfigured('', 'E_DUPLICATE_ROUTE_NAME', { name, pattern: `'${other ?? name}'` });
    }
    seen.add(name);
  }
}

// ---- the compiled index: built once, rebuilt only after urlpatterns changed ----

interface Index {
  leaves: Leaf[];
  statics: Map<string, Leaf>;
  dynamics: Leaf[];
  byName: Map<string, Leaf>;
}
let index: Index | undefined;

interface Prefix { source: string; text: string; staticPath?: string; params: PatternParam[]; reversible: boolean }
const ROOT: Prefix = { source: '', text: '', staticPath: '', params: [], reversible: true };

/** The compiled index of every pattern (rebuilt only when urlpatterns changed since the last call). */
export function getIndex(): Index {
  if (index && !dirty) return index;
  const leaves: Leaf[] = [];
  const seen = new Set<UrlPattern>();
  for (const e of entries) if (!seen.has(e)) { seen.add(e); flatten(e, ROOT, '', leaves); }
  const statics = new Map<string, Leaf>();
  const dynamics: Leaf[] = [];
  const byName = new Map<string, Leaf>();
  for (const leaf of leaves) {
    if (leaf.staticPath !== undefined && !leaf.mount) { if (!statics.has(leaf.staticPath)) statics.set(leaf.staticPath, leaf); }
    else dynamics.push(leaf);
    if (leaf.name && !byName.has(leaf.name)) byName.set(leaf.name, leaf);
  }
  index = { leaves, statics, dynamics, byName };
  dirty = false;
  return index;
}

function flatten(entry: UrlPattern, prefix: Prefix, ns: string, out: Leaf[]): void {
  const c = entry.compiled;
  const here: Prefix = {
    source: prefix.source + c.source,
    text: prefix.text + c.text,
    staticPath: prefix.staticPath !== undefined && c.staticPath !== undefined ? prefix.staticPath + c.staticPath : undefined,
    params: [...prefix.params, ...c.params],
    reversible: prefix.reversible && !c.isRegex,
  };
  if (entry.children) {
    const inner = entry.namespace ? `${ns}${entry.namespace}:` : ns;
    for (const child of entry.children) flatten(child, here, inner, out);
    return;
  }
  const view = entry.view as Function;
  let regex: RegExp | undefined;
  const anchored = entry.router ? `^${here.source}` : `^${here.source}${c.isRegex ? '' : '$'}`;
  try {
    regex = new RegExp(anchored);
  } catch (err) {
    throw new ImproperlyConfigured('', 'E_BAD_PATTERN', { pattern: `'${here.text}'`, detail: (err as Error).message });
  }
  // Explicit methods are checked by the pipeline; a View subclass answers 405 itself from its handlers.
  const allowSet = entry.methods ? new Set(entry.methods) : undefined;
  if (allowSet?.has('GET')) allowSet.add('HEAD');
  out.push({
    order: out.length, route: here.text, name: entry.name ? ns + entry.name : undefined, view,
    methods: allowSet, allow: allowSet ? [...allowSet].join(', ') : undefined,
    regex, staticPath: here.staticPath, params: here.params, reversible: here.reversible, mount: entry.router,
    middleware: entry.middleware,
  });
}

/**
 * Finds the first pattern (in registration order) matching a path given without its leading slash.
 * Static patterns are a Map lookup; only dynamic patterns registered before that static one are tried.
 * @example resolve('blog/2020/') // { leaf, params: { year: 2020 }, prefixLength: 0 }
 */
export function resolve(pathNoSlash: string): Match | undefined {
  const idx = getIndex();
  const hit = idx.statics.get(pathNoSlash);
  const limit = hit ? hit.order : Infinity;
  for (const leaf of idx.dynamics) {
    if (leaf.order > limit) break;
    const m = leaf.regex!.exec(pathNoSlash);
    if (!m) continue;
    const params = convertParams(leaf, m.groups);
    if (!params) continue;
    // As Django: positional arguments only when the pattern has no named group.
    const args = m.groups || m.length === 1 ? [] : m.slice(1).filter((x): x is string => x !== undefined);
    args.forEach((a, i) => { params[i] = a; });
    return { leaf, params, args, prefixLength: m[0].length };
  }
  return hit ? { leaf: hit, params: {}, args: [], prefixLength: 0 } : undefined;
}

function convertParams(leaf: Leaf, groups: Record<string, string> | undefined): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  if (!groups) return params;
  for (const key of Object.keys(groups)) {
    const raw = groups[key];
    if (raw === undefined) continue;
    const p = leaf.params.find((x) => x.name === key);
    if (!p) { params[key] = raw; continue; }
    try {
      params[key] = p.converter.toJs(raw);
    } catch {
      return undefined; // as Django: a converter that refuses the value means "no match"
    }
  }
  return params;
}

/** Every pattern in resolution order, with its name and view: for `routes` and the DEBUG 404 page. */
export function listRoutes(): Array<{ route: string; name?: string; view: Function; methods?: string[]; mount: boolean }> {
  return getIndex().leaves.map((l) => ({ route: l.route, name: l.name, view: l.view, methods: l.methods && [...l.methods], mount: Boolean(l.mount) }));
}

/**
 * Builds the URL of a named route (under the script prefix when the app is mounted), as Django's reverse(): each
 * value goes through its converter's toUrl, the result is checked against the pattern in its decoded form, then
 * percent-encoded (RFC 3986 pchar kept) and a leading `//` escaped, so a value can never make the URL point to
 * another host. Params are a record for named parameters, or an array for a regex pattern's unnamed groups.
 * Throws NoReverseMatch naming what was tried.
 * @example reverse('year_archive', { year: 2020 }) // '/blog/2020/'
 * @example reverse('page', { path: '/evil.example/x' }) // '/%2Fevil.example/x', never '//evil.example/x'
 */
export function reverse<N extends RouteName>(name: N, ...args: ReverseArgs<N>): string;
export function reverse(name: string, params: Record<string, unknown> | unknown[] = {}): string {
  const idx = getIndex();
  const leaf = idx.byName.get(name);
  if (!leaf) {
    const known = [...idx.byName.keys()];
    const close = known.filter((k) => k.includes(name) || name.includes(k.split(':').pop() as string));
    const shown = (close.length ? close : known).slice(0, 20).map((k) => `"${k}"`).join(', ');
    throw new NoReverseMatch(name, `not found: "${name}" is not a route name.${shown ? ` ${close.length ? 'Did you mean' : 'Known names'}: ${shown}${close.length ? '?' : ''}` : ' No route has a name yet: pass { name } to route().'}`);
  }
  let candidate: string | undefined;
  try {
    candidate = leaf.reversible && !Array.isArray(params) ? reverseText(leaf, params) : reverseRegex(leaf, params);
  } catch {
    candidate = undefined; // a converter's toUrl refused the value (Django: ValueError), e.g. int beyond 2^53
  }
  const url = candidate !== undefined && leaf.regex!.test(candidate) ? quote(candidate) : undefined;
  if (url === undefined) {
    const shown = JSON.stringify(params, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    throw new NoReverseMatch(name, `with params ${shown} not found. 1 pattern(s) tried: ['${leaf.route}']. Expected params: ${leaf.params.map((p) => p.name).join(', ') || '(none)'}.`);
  }
  // Django's escape_leading_slashes: '//host/…' would be a scheme-relative URL to another host.
  const full = `${getScriptPrefix()}/${url}`;
  return full.startsWith('//') ? `/%2F${full.slice(2)}` : full;
}

const TOKEN = /<(?:[^>:]+:)?([^>]+)>/g;
const fullMatchCache = new Map<string, RegExp>();
/** `^(?:regex)$` for a converter, compiled once (reverse() runs on every page that builds a URL). */
function fullMatch(regex: string): RegExp {
  let re = fullMatchCache.get(regex);
  if (!re) fullMatchCache.set(regex, (re = new RegExp(`^(?:${regex})$`)));
  return re;
}

/** Python's quote(url, safe=RFC3986_SUBDELIMS + '/~:@'), as Django's reverse(); undefined for a lone surrogate. */
const NOTHING_TO_QUOTE = /^[A-Za-z0-9_.\-~!$&'()*+,;=/:@]*$/;
function quote(s: string): string | undefined {
  if (NOTHING_TO_QUOTE.test(s)) return s; // most URLs: no copy
  try {
    return s.replace(/[^A-Za-z0-9_.\-~!$&'()*+,;=/:@]/gu, encodeURIComponent);
  } catch {
    return undefined;
  }
}

function reverseText(leaf: Leaf, params: Record<string, unknown>): string | undefined {
  const names = new Set(leaf.params.map((p) => p.name));
  if (Object.keys(params).some((k) => !names.has(k))) return undefined;
  let ok = true;
  const url = leaf.route.replace(TOKEN, (_m, name: string) => {
    const p = leaf.params.find((x) => x.name === name)!;
    if (params[name] === undefined || params[name] === null) { ok = false; return ''; }
    const value = p.converter.toUrl(params[name]);
    if (typeof value !== 'string' || !fullMatch(p.converter.regex).test(value)) ok = false;
    return value;
  });
  return ok ? url : undefined;
}

/** Fills a regex pattern's groups in order: named ones from a record, unnamed ones from an array. */
function reverseRegex(leaf: Leaf, params: Record<string, unknown> | unknown[]): string | undefined {
  const src = leaf.regex!.source.replace(/^\^/, '').replace(/\$$/, '');
  const positional = Array.isArray(params) ? [...params] : undefined;
  let url = '';
  let i = 0;
  const literal = (part: string): boolean => {
    if (/(^|[^\\])[()[\]{}*+?|^$.]/.test(part)) return false; // not a plain path: cannot be reversed
    url += part.replace(/\\(.)/g, '$1');
    return true;
  };
  for (;;) {
    // The next capturing group: `(?<name>` or a bare `(` (not `(?:`, `(?=` …, not escaped).
    const rel = src.slice(i).search(/(?<!\\)\((?:\?<[A-Za-z_][A-Za-z0-9_]*>|(?!\?))/);
    if (rel < 0) break;
    const start = i + rel;
    if (!literal(src.slice(i, start))) return undefined;
    const name = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(start))?.[1];
    let depth = 0;
    let end = start;
    for (; end < src.length; end++) {
      if (src[end] === '\\') { end++; continue; }
      if (src[end] === '(') depth++;
      else if (src[end] === ')' && --depth === 0) break;
    }
    let value: unknown;
    if (name === undefined) {
      if (!positional?.length) return undefined;
      value = positional.shift();
    } else {
      if (positional) return undefined; // named groups take a record, as Django's kwargs
      value = (params as Record<string, unknown>)[name];
    }
    if (value === undefined || value === null) return undefined;
    const p = name === undefined ? undefined : leaf.params.find((x) => x.name === name);
    url += p ? p.converter.toUrl(value) : String(value);
    i = end + 1;
  }
  if (positional?.length) return undefined;
  return literal(src.slice(i)) ? url : undefined;
}
