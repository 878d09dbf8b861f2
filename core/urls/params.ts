// Route params as types, read from the pattern itself (Hono's ParamKeys idea): 'blog/<int:year>/' → { year: number }.

/**
 * The JS type each path converter gives its param. A converter added with registerConverter() declares its
 * type here by declaration merging: `declare module 'manouche' { interface Converters { year4: number } }`.
 */
export interface Converters {
  str: string;
  int: number;
  bigint: bigint;
  slug: string;
  uuid: string;
  path: string;
}

/** One `<converter:name>` (or `<name>`, a str) as a one-key object type. */
type ParamEntry<Token extends string> =
  Token extends `=${string}` | `!${string}` ? unknown // a regex lookbehind, not a group
  : Token extends `${infer Conv}:${infer Name}`
    ? { [K in Name]: Conv extends keyof Converters ? Converters[Conv] : unknown }
    : { [K in Token]: string };

type Collect<P extends string> =
  P extends `${string}<${infer Token}>${infer Rest}` ? ParamEntry<Token> & Collect<Rest> : unknown;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/**
 * The params a view gets for a pattern: `<converter:name>` typed by Converters, a regex string's `(?<name>…)`
 * groups as strings; a RegExp or a pattern that is not a literal gives `RegexParams` / `Record<string, unknown>`.
 * @example type P = RouteParams<'blog/<int:year>/<slug:slug>/'> // { year: number; slug: string }
 */
export type RouteParams<P extends string | RegExp> =
  P extends RegExp ? RegexParams : string extends P ? Record<string, unknown> : Flatten<Collect<P & string>>;

/** The params of a regex pattern: its named groups, as strings. */
export type RegexParams = Record<string, string>;

/**
 * Your app's named routes, so that reverse() checks names and params: merge the names and their patterns in.
 * @example declare module 'manouche' { interface Routes { year_archive: 'blog/<int:year>/' } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface Routes {}

/** Names reverse() accepts: any string until Routes is declared; then those names, or namespaced ones (`admin:index`). */
export type RouteName = [keyof Routes] extends [never] ? string : (keyof Routes & string) | `${string}:${string}`;

/**
 * The `name` route() accepts for a pattern `P`: a name declared in Routes must come with the pattern declared for it
 * (so the declaration cannot drift from the route); an undeclared name is free. path() may be include()d, so its
 * pattern need only end the declared one (`Within`).
 */
export type RouteNameFor<N extends string, P, Within extends boolean = false> = N extends keyof Routes
  ? ([P] extends [Routes[N]] ? N : Within extends true ? (Routes[N] extends `${string}${P & string}` ? N : Misdeclared<N>) : Misdeclared<N>)
  : N;
type Misdeclared<N extends keyof Routes> = `${N & string} is declared in Routes for '${Routes[N] & string}'`;

/** reverse()'s params for a name: checked against the declared pattern, free-form for an undeclared name. */
export type ReverseArgs<N extends string> = N extends keyof Routes
  ? Routes[N] extends string
    ? {} extends RouteParams<Routes[N]> ? [params?: RouteParams<Routes[N]>] : [params: RouteParams<Routes[N]>]
    : [params?: Record<string, unknown> | unknown[]]
  : [params?: Record<string, unknown> | unknown[]];
