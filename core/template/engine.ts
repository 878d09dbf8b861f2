// Templates: the nunjucks environment (inline templates → TEMPLATES_DIRS → framework folders), global helpers, render().
import fs from 'node:fs';
import path from 'node:path';
import type * as nunjucks from 'nunjucks';
import { FolderLoader, InlineLoader } from './loaders';
import type { Request } from 'express';
import { reverse } from '../urls/router';
import { withScriptPrefix } from '../urls/prefix';
import { HttpError, ManoucheError } from '../conf/errors';
import { SECRET_SETTING_PATTERN } from '../conf/settings';
import { requireConfigured, state } from '../conf/state';

type Helper = (...args: any[]) => any;
/** The parts of nunjucks' Environment its type definitions leave out. */
type Env = nunjucks.Environment & { addTest(name: string, fn: Helper): void; loaders: Array<{ cache: Record<string, unknown> }> };

/** No template of that name in any folder searched; `tried` lists them in search order. */
export class TemplateDoesNotExist extends ManoucheError {
  readonly templateName: string;
  readonly tried: string[];
  constructor(name: string, tried: string[], includedFrom?: string) {
    super('E_TEMPLATE_NOT_FOUND', { name, dirs: tried.join(', ') || '(no folders)' });
    if (includedFrom) this.message += ` (needed by "${includedFrom}")`;
    this.templateName = name;
    this.tried = tried;
  }
}

const INLINE_LABEL = 'templates added with template.add()';

const inline = new InlineLoader();
const helpers = { filters: new Map<string, Helper>(), globals: new Map<string, unknown>(), tests: new Map<string, Helper>() };
let env: Env | undefined;
let folderLoader: FolderLoader | undefined;
// What the environment was built for: settings are frozen and batteries only ever add template folders.
let builtFor: { settings: unknown; frameworkDirs: number } | undefined;

// Loaded on the first render: a JSON-only app (or `node app.js migrate`) does not pay for nunjucks at startup.
let loadedNunjucks: typeof nunjucks | undefined;
function nunjucksModule(): typeof nunjucks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedNunjucks ??= require('nunjucks') as typeof nunjucks);
}

/** Registers a helper under `name`, or under the function's own name when only a function is given. */
function named(kind: string, name: string | Helper, fn?: Helper): [string, Helper] {
  const [n, f] = typeof name === 'function' ? [name.name, name] : [name, fn];
  if (!n || typeof f !== 'function') throw new TypeError(`template.${kind}(name, fn) needs a name and a function.`);
  return [n, f];
}

/**
 * Global template helpers, like django-micro's: registered once, usable in every template without a load tag.
 * @example template.filter('removeSpaces', (s) => String(s).replaceAll(' ', ''));  // {{ title | removeSpaces }}
 * @example template.global('year', () => new Date().getFullYear());               // {{ year() }}
 * @example template.add('index.html', '<h1>{{ title }}</h1>');                   // no templates/ folder needed
 */
export const template = {
  filter(name: string | Helper, fn?: Helper): Helper {
    const [n, f] = named('filter', name, fn);
    helpers.filters.set(n, f);
    env?.addFilter(n, f);
    return f;
  },
  global(name: string | Helper, fn?: Helper): Helper {
    const [n, f] = named('global', name, fn);
    helpers.globals.set(n, f);
    env?.addGlobal(n, f);
    return f;
  },
  /** Django's `simple_tag`: here a global function, called as `{{ name(args) }}`. */
  simpleTag(name: string | Helper, fn?: Helper): Helper {
    return template.global(name, fn);
  },
  /** A test for `{% if x is name %}`. */
  test(name: string | Helper, fn?: Helper): Helper {
    const [n, f] = named('test', name, fn);
    helpers.tests.set(n, f);
    env?.addTest(n, f);
    return f;
  },
  add(name: string, source: string): void {
    if (typeof name !== 'string' || typeof source !== 'string') throw new TypeError('template.add(name, source) takes two strings.');
    inline.sources.set(name, source);
    // An inline template shadows a file of the same name, which may already be compiled and cached.
    for (const loader of env?.loaders ?? []) delete loader.cache[name];
  },
};

/**
 * The nunjucks Environment, built on first use after configure(): autoescape on, templates cached unless DEBUG
 * (where an edited file is picked up at the next render).
 * @example getEnvironment().addExtension('Markdown', new MarkdownExtension())
 */
export function getEnvironment(): nunjucks.Environment {
  const { settings } = requireConfigured('rendering a template');
  if (env && builtFor?.settings === settings && builtFor.frameworkDirs === state.frameworkTemplateDirs.length) return env;
  const folders = [...settings.TEMPLATES_DIRS, ...state.frameworkTemplateDirs].map((d) => path.resolve(d));
  folderLoader = new FolderLoader(folders, settings.DEBUG);
  // dev: nunjucks then keeps the error a helper threw (as `cause`), so that renderToString() can rethrow it.
  env = new (nunjucksModule().Environment)([inline, folderLoader], { autoescape: true, dev: true }) as Env;
  builtFor = { settings, frameworkDirs: state.frameworkTemplateDirs.length };
  env.addGlobal('url', urlHelper);
  env.addGlobal('static', staticUrl);
  for (const [n, f] of helpers.filters) env.addFilter(n, f);
  for (const [n, f] of helpers.globals) env.addGlobal(n, f);
  for (const [n, f] of helpers.tests) env.addTest(n, f);
  return env;
}

/** Where templates are looked for, in order (for error messages). */
function searched(): string[] {
  getEnvironment();
  return [INLINE_LABEL, ...(folderLoader?.folders ?? [])];
}

/**
 * True when `name` resolves to a template (inline or in a folder).
 * @example templateExists('404.html')
 */
export function templateExists(name: string): boolean {
  getEnvironment();
  return inline.sources.has(name) || folderLoader?.locate(name) !== undefined;
}

/**
 * Renders a template to a string. With `req`, the context also holds `request`, `user`, `messages`, `csrfToken`,
 * `csrfInput()` and what the context processors add; `ctx` wins over all of them.
 * @example renderToString('email/welcome.txt', { user })
 */
export function renderToString(name: string, ctx: Record<string, unknown> = {}, req?: Request): string {
  const environment = getEnvironment();
  const context = { ...baseContext(req), ...ctx };
  try {
    return environment.render(name, context);
  } catch (err) {
    const missing = /template not found: (.+?)\s*$/m.exec((err as Error)?.message ?? '');
    if (missing) throw new TemplateDoesNotExist(missing[1], searched(), missing[1] === name ? undefined : name);
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof Error) err.message = withLine(err.message, cause !== undefined);
    // Http404 from a helper still answers 404; a framework error (NoReverseMatch …) keeps its code, plus where it happened.
    if (cause instanceof HttpError) throw cause;
    if (cause instanceof ManoucheError) {
      cause.message += ` (in template ${String((err as Error).message).split('\n')[0]})`;
      throw cause;
    }
    throw err;
  }
}

/**
 * nunjucks counts lines from 0 in errors raised while rendering, and gives none for a syntax error at the end of a
 * template (an unclosed tag): make both say the line a user sees in the editor.
 */
function withLine(message: string, atRuntime: boolean): string {
  const [first, ...rest] = message.split('\n');
  let head = first;
  if (atRuntime) {
    head = head.replace(/\[Line (\d+)/, (_m, n: string) => `[Line ${Number(n) + 1}`);
  } else if (!head.includes('[Line')) {
    const where = /^\((.+)\)$/.exec(head)?.[1];
    const source = where === undefined ? undefined : inline.sources.get(where) ?? readIfFile(where);
    if (source !== undefined) head += ` [Line ${source.split('\n').length}, at the end of the template]`;
  }
  return [head, ...rest].join('\n');
}

function readIfFile(file: string): string | undefined {
  try { return path.isAbsolute(file) ? fs.readFileSync(file, 'utf8') : undefined; } catch { return undefined; }
}

/** What every template sees: settings without secrets, the request and what the batteries add. */
function baseContext(req: Request | undefined): Record<string, unknown> {
  const token = csrfTokenFor(req);
  const base: Record<string, unknown> = {
    request: req,
    user: req?.user,
    messages: [],
    settings: publicSettings(),
    csrfToken: token ?? '',
    csrfInput: () => new (nunjucksModule().runtime.SafeString)(token
      ? `<input type="hidden" name="csrfmiddlewaretoken" value="${escapeAttr(String(token))}">` : ''),
  };
  for (const processor of state.contextProcessors) Object.assign(base, processor(req));
  return base;
}

// The token is asked for only when a template prints it, so that pages without forms set no CSRF cookie (as Django).
function csrfTokenFor(req: Request | undefined): { toString(): string } | undefined {
  const getToken = req?.csrfToken;
  if (typeof getToken !== 'function') return undefined;
  let value: string | undefined;
  const read = (): string => (value ??= String(getToken.call(req)));
  return { toString: read, toJSON: read, valueOf: read } as { toString(): string };
}

let publicCache: { from: unknown; value: Record<string, unknown> } | undefined;
function publicSettings(): Record<string, unknown> {
  const s = state.settings;
  if (publicCache?.from !== s) {
    const value = Object.fromEntries(Object.entries(s).filter(([k]) => !SECRET_SETTING_PATTERN.test(k)));
    publicCache = { from: s, value: Object.freeze(value) };
  }
  return publicCache.value;
}

/** `{{ url('post-detail', { id: 1 }) }}` or `{{ url('post-detail', id=1) }}`. */
function urlHelper(name: string, params?: Record<string, unknown>): string {
  if (params && (params as { __keywords?: boolean }).__keywords) {
    const { __keywords: _k, ...rest } = params as Record<string, unknown>;
    params = rest;
  }
  return reverse(name, params);
}

/** `{{ static('css/site.css') }}` → `/static/css/site.css`. */
function staticUrl(file: string): string {
  if (/^(https?:)?\/\//.test(file)) return file;
  return withScriptPrefix(`${state.settings.STATIC_URL}${String(file).replace(/^\/+/, '')}`);
}

function escapeAttr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
