// Path converters for Django-style URL patterns (`<int:year>`): what each matches, and how values go in and out.
import { ImproperlyConfigured } from '../conf/errors';

/** A path converter: `regex` matches one segment of the URL, `toJs` turns the match into a param, `toUrl` back. */
export interface Converter {
  regex: string;
  toJs: (value: string) => unknown;
  toUrl: (value: unknown) => string;
}

/** What registerConverter() accepts: `toJs`/`toUrl` default to identity and `String()`. */
export interface ConverterSpec {
  regex: string | RegExp;
  toJs?: (value: string) => unknown;
  toUrl?: (value: unknown) => string;
}

const identity = (s: string): string => s;
const asString = (v: unknown): string => String(v);

/** The largest key a BIGINT column holds (2^63 − 1): the `bigint` converter's range, so no key reaches the database out of range. */
export const BIGINT_MAX = 2n ** 63n - 1n;

/**
 * An integer converter's two directions, exact over [0, max]: a path value outside the range does not match
 * (a 404, never a neighbouring number), and reverse() refuses a value it could not write back exactly.
 */
function integer(max: bigint, toJs: (digits: string) => unknown): Converter {
  const check = (n: bigint): bigint => {
    if (n < 0n || n > max) throw new RangeError(`${n} is outside 0..${max}`);
    return n;
  };
  return {
    regex: '[0-9]+',
    toJs: (s) => { check(BigInt(s)); return toJs(s); },
    toUrl: (v) => {
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER) return String(v); // the usual case, no BigInt
      if (typeof v === 'bigint') return String(check(v));
      // A number above 2^53 may already be another number than the one meant: ask for a bigint instead.
      if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new RangeError(`${v} is not a safe integer; pass a bigint`);
      const s = String(v);
      if (/^[0-9]+$/.test(s)) check(BigInt(s));
      return s;
    },
  };
}

const converters = new Map<string, Converter>([
  ['str', { regex: '[^/]+', toJs: identity, toUrl: asString }],
  // `int` gives a number, so it matches only what a number holds exactly (Number.MAX_SAFE_INTEGER).
  ['int', integer(BigInt(Number.MAX_SAFE_INTEGER), (s) => Number(s))],
  // `bigint` gives a bigint, for keys that need a BIGINT column's full range.
  ['bigint', integer(BIGINT_MAX, (s) => BigInt(s))],
  ['slug', { regex: '[-a-zA-Z0-9_]+', toJs: identity, toUrl: asString }],
  ['uuid', { regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', toJs: identity, toUrl: asString }],
  ['path', { regex: '.+', toJs: identity, toUrl: asString }],
]);

/**
 * Adds a converter usable in patterns as `<name:param>`. Its regex must not contain capturing groups
 * (use `(?:…)`), because the pattern's groups are its parameters.
 * @example registerConverter('year4', { regex: '[0-9]{4}', toJs: Number, toUrl: (v) => String(v).padStart(4, '0') })
 */
export function registerConverter(name: string, spec: ConverterSpec): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(name))) {
    throw new ImproperlyConfigured(`registerConverter(): the name ${JSON.stringify(name)} must be an identifier, e.g. 'year4'.`);
  }
  const regex = spec?.regex instanceof RegExp ? spec.regex.source : spec?.regex;
  if (typeof regex !== 'string' || !regex) {
    throw new ImproperlyConfigured(`registerConverter('${name}'): regex must be a non-empty string or RegExp, e.g. { regex: '[0-9]{4}' }.`);
  }
  try {
    new RegExp(`^(?:${regex})$`);
  } catch (err) {
    throw new ImproperlyConfigured(`registerConverter('${name}'): invalid regex ${JSON.stringify(regex)}: ${(err as Error).message}`);
  }
  if (new RegExp(`${regex}|`).exec('')!.length > 1) {
    throw new ImproperlyConfigured(`registerConverter('${name}'): the regex must not contain capturing groups; write (?:…) instead of (…).`);
  }
  converters.set(name, { regex, toJs: spec.toJs ?? identity, toUrl: spec.toUrl ?? asString });
}

/** The converter registered under `name`, or undefined. */
export function getConverter(name: string): Converter | undefined {
  return converters.get(name);
}

/** Names of every registered converter, for error messages. */
export function converterNames(): string[] {
  return [...converters.keys()];
}

/** One `<converter:name>` of a pattern. */
export interface PatternParam {
  name: string;
  converter: Converter;
}

/** A pattern compiled once: the regex body (unanchored), its params, and its static text when it has no params. */
export interface CompiledPattern {
  /** Regex source without anchors, to be combined with an include() prefix. */
  source: string;
  params: PatternParam[];
  /** The path itself when the pattern has no parameter and is not a regex: matched by Map lookup. */
  staticPath?: string;
  /** True for RegExp / `{ regex: true }` patterns: matched at the start only, `$` is the author's choice. */
  isRegex: boolean;
  /** How the pattern reads in listings and the DEBUG 404 page. */
  text: string;
}

const TOKEN = /<(?:([^>:]+):)?([^>]+)>/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Compiles a Django `path()` pattern (`'blog/<int:year>/'`) or a regex pattern into a CompiledPattern.
 * Throws ImproperlyConfigured (E_BAD_PATTERN, E_UNKNOWN_CONVERTER) naming the pattern and the fix.
 */
export function compilePattern(pattern: string | RegExp, regex = false): CompiledPattern {
  if (pattern instanceof RegExp || regex) return compileRegex(pattern);
  if (typeof pattern !== 'string') {
    throw new ImproperlyConfigured('', 'E_BAD_PATTERN', { pattern: String(pattern), detail: 'a pattern must be a string like \'blog/<int:year>/\' or a RegExp.' });
  }
  const shown = `'${pattern}'`;
  const bad = (detail: string): never => { throw new ImproperlyConfigured('', 'E_BAD_PATTERN', { pattern: shown, detail }); };
  if (pattern.startsWith('/')) bad(`patterns have no leading slash (as in Django): write '${pattern.replace(/^\/+/, '')}'.`);
  const params: PatternParam[] = [];
  let source = '';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN)) {
    source += literal(pattern.slice(last, m.index), bad);
    const [, convName = 'str', name] = m;
    if (!IDENT.test(name)) bad(`the parameter name "${name}" must be an identifier (letters, digits, _), e.g. <int:post_id>.`);
    const converter = getConverter(convName);
    if (!converter) {
      throw new ImproperlyConfigured('', 'E_UNKNOWN_CONVERTER', { pattern: shown, name: convName, known: converterNames().join(', ') });
    }
    if (params.some((p) => p.name === name)) bad(`the parameter "${name}" appears twice.`);
    params.push({ name, converter });
    source += `(?<${name}>${converter.regex})`;
    last = m.index + m[0].length;
  }
  source += literal(pattern.slice(last), bad);
  return { source, params, staticPath: params.length ? undefined : pattern, isRegex: false, text: pattern };
}

function literal(part: string, bad: (d: string) => never): string {
  if (part.includes('<') || part.includes('>')) bad('a "<" or ">" is not part of a <converter:name> parameter; check for a missing bracket.');
  return escapeRegex(part);
}

function compileRegex(pattern: string | RegExp): CompiledPattern {
  const src = pattern instanceof RegExp ? pattern.source : String(pattern);
  const source = src.startsWith('^') ? src.slice(1) : src;
  try {
    new RegExp(`^${source}`);
  } catch (err) {
    throw new ImproperlyConfigured('', 'E_BAD_PATTERN', { pattern: String(pattern), detail: `${(err as Error).message}. Regex patterns use JS syntax, e.g. /^blog\\/(?<year>[0-9]{4})\\/$/.` });
  }
  return { source, params: [], isRegex: true, text: pattern instanceof RegExp ? String(pattern) : src };
}
