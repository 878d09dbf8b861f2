// The admin's own strings, Django's gettext in one function: `t('Add {name}', { name })` looks the English text up in
// the catalogue of LANGUAGE_CODE (one JSON file per language), falling back to English, then to the text itself.
import fs from 'node:fs';
import path from 'node:path';
import { assetDir } from '../core/conf/paths';
import { ImproperlyConfigured } from '../core/conf/errors';
import { state } from '../core/conf/state';

/** A translation: a string, or plural forms by Intl.PluralRules category (`{ "one": "…", "other": "…" }`). */
export type CatalogueEntry = string | Partial<Record<Intl.LDMLPluralRule, string>>;
/** One language's file: the English text (the msgid) → its translation. */
export type Catalogue = Record<string, CatalogueEntry>;

interface Loaded { language: string; entries: Catalogue; plural: Intl.PluralRules }
const loaded = new WeakMap<object, Loaded>();
const fallback: { value?: Loaded } = {};

function readCatalogue(file: string): Catalogue | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Catalogue;
  } catch {
    // reported below
  }
  throw new ImproperlyConfigured(`The translation catalogue ${file} is not a JSON object of "English text": "translation".`);
}

/**
 * 'fr-ca' → ['fr', 'fr-ca']: the general language first, so that the regional file overrides it.
 * @example languageChain('pt-BR') // ['pt', 'pt-br']
 */
export function languageChain(code: string): string[] {
  const lower = code.toLowerCase().replace(/_/g, '-');
  const base = lower.split('-')[0];
  return base === lower ? [lower] : [base, lower];
}

/** The catalogue for the current settings: English, then the language's own files (the app's LOCALE_PATHS last, so they win). */
function current(): Loaded {
  const settings = state.settings as Record<string, unknown> | undefined;
  if (!settings) return (fallback.value ??= load('en-us', []));
  let hit = loaded.get(settings);
  if (!hit) {
    hit = load(String(settings.LANGUAGE_CODE ?? 'en-us'), (settings.LOCALE_PATHS as string[] | undefined) ?? []);
    loaded.set(settings, hit);
  }
  return hit;
}

function load(language: string, localePaths: string[]): Loaded {
  const bundled = assetDir('admin', 'locale');
  const entries: Catalogue = { ...readCatalogue(path.join(bundled, 'en.json')) };
  for (const lang of languageChain(language)) {
    // Django's order: LOCALE_PATHS take precedence over the framework's own catalogue; the first folder wins.
    for (const dir of [bundled, ...[...localePaths].reverse()]) {
      if (dir === bundled && lang === 'en') continue;
      Object.assign(entries, readCatalogue(path.join(dir, `${lang}.json`)));
    }
  }
  let plural: Intl.PluralRules;
  try { plural = new Intl.PluralRules(language); } catch { plural = new Intl.PluralRules('en'); }
  return { language, entries, plural };
}

/**
 * Translates one of the admin's strings for LANGUAGE_CODE and fills its `{placeholders}`. A plural entry picks its
 * form by `params.count`. Unknown text comes back as it is (filled), as gettext does.
 * @example t('Add {name}', { name: 'post' })                 // 'Add post'; 'Ajouter post' with a French catalogue
 * @example t('{count} results', { count: 1 })               // '1 result'
 */
export function t(msgid: string, params: Record<string, unknown> = {}): string {
  // From templates: a label marked safe (a String object) or missing is given back as it is.
  if (typeof msgid !== 'string') return (msgid ?? '') as string;
  const { entries, plural } = current();
  const entry = entries[msgid] ?? msgid;
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    const count = Number(params.count);
    text = entry[Number.isFinite(count) ? plural.select(count) : 'other'] ?? entry.other ?? msgid;
  }
  return text.includes('{') ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

/** The language the admin is shown in, for `<html lang>`: LANGUAGE_CODE. */
export function languageCode(): string {
  return current().language;
}

/** The strings of the admin's scripts (static/admin/*.js call gettext() with these). */
export const JS_MSGIDS = ['Available {name}', 'Chosen {name}', 'Filter', 'Filter available {name}', 'Choose all', 'Choose', 'Remove',
  'Remove all', 'Search…', 'Search {name}', 'choices', 'Load more…', 'No results found', 'Remove this row'] as const;

/**
 * The scripts' translations as a JSON island for the page (`<script type="application/json" id="admin-i18n">`), with
 * `<` escaped so that no translation can close the script element; empty in English, where the scripts' text is the msgid.
 */
export function jsCatalogue(): string {
  const out: Record<string, string> = {};
  for (const id of JS_MSGIDS) { const text = t(id); if (text !== id) out[id] = text; }
  return Object.keys(out).length ? JSON.stringify(out).replace(/</g, '\\u003c') : '';
}
