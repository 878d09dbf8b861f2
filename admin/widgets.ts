// The HTML input of each field kind (text, number, date, select, multi-select, file …), escaped here once.
import type { FieldInfo } from './introspect';
import { toLocalInput } from './formats';
import { t } from './i18n';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

function attrs(map: Record<string, unknown>): string {
  return Object.entries(map)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`))
    .join('');
}

/** What a widget needs besides the field: its input name and id, choices of relations, and where files live. */
export interface WidgetOptions {
  name: string;
  id?: string;
  /** `[[value, label]]` for selects of foreign keys and many-to-many relations. */
  choices?: Array<[unknown, string]>;
  hasErrors?: boolean;
  /** Foreign keys as a plain id input (rawIdFields) with a link to look the row up. */
  rawId?: boolean;
  lookupUrl?: string;
  /** Foreign keys searched through the autocomplete endpoint (autocompleteFields). */
  autocomplete?: { url: string; appLabel: string; modelName: string; fieldName: string };
  /** The chosen object's name beside a raw id input, linked to its change page. */
  rawIdLabel?: { text: string; url?: string };
  /** "+" and pencil links to add or change the related object in a popup (Django's RelatedFieldWidgetWrapper). */
  related?: { name: string; addUrl?: string; changeUrl?: string };
  /** filterHorizontal / filterVertical: the two-box picker (static/admin/selectfilter.js). */
  filtered?: { vertical: boolean; name: string };
  /** The file picked before a failed save (a browser never refills a file input). */
  chosenFile?: string;
  /** MEDIA_URL, to link the current file. */
  mediaUrl?: string;
  describedBy?: string;
}

/**
 * A model value as the input shows it: dates as `YYYY-MM-DD`, datetimes as `YYYY-MM-DDTHH:MM` in TIME_ZONE, JSON pretty-printed.
 * @example formatValue({ kind: 'date' } as FieldInfo, new Date('2024-05-01')) // '2024-05-01'
 */
export function formatValue(field: FieldInfo, value: unknown): string | string[] | boolean {
  if (field.kind === 'boolean') return Boolean(value);
  if (field.kind === 'm2m') return Array.isArray(value) ? value.map((v) => String(v)) : [];
  if (value === null || value === undefined) return '';
  if (field.kind === 'datetime') {
    const d = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(d.getTime()) ? String(value) : toLocalInput(d);
  }
  if (field.kind === 'date') return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  if (field.kind === 'time') return String(value).slice(0, 8);
  if (field.kind === 'json') return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (field.kind === 'decimal') return formatDecimal(value, field.scale);
  return String(value);
}

/**
 * A decimal with its scale, whatever the driver gives back (SQLite: the number 94.9; PostgreSQL: '94.90').
 * @example formatDecimal(94.9, 2) // '94.90'
 */
export function formatDecimal(value: unknown, scale?: number): string {
  const s = typeof value === 'number' ? (Number.isInteger(value) || /e/i.test(String(value)) ? value.toFixed(scale ?? 0) : String(value)) : String(value);
  const m = /^(-?\d+)(?:\.(\d*))?$/.exec(s);
  if (!m || scale === undefined) return s;
  const places = m[2] ?? '';
  return places.length >= scale ? s : `${m[1]}.${places.padEnd(scale, '0')}`.replace(/\.$/, '');
}

function selectHtml(field: FieldInfo, value: string | string[], o: WidgetOptions, base: Record<string, unknown>): string {
  const selected = new Set((Array.isArray(value) ? value : [value]).map(String));
  const multiple = field.kind === 'm2m';
  const choices = o.choices ?? field.choices ?? [];
  const options: string[] = [];
  // Django's rule: a blank choice unless the field has a default and may not be empty.
  const blank = field.allowNull || field.defaultValue === undefined || field.kind === 'fk';
  if (!multiple && blank) options.push(`<option value=""${selected.has('') ? ' selected' : ''}>---------</option>`);
  for (const [v, label] of choices) {
    options.push(`<option value="${escapeHtml(v)}"${selected.has(String(v)) ? ' selected' : ''}>${escapeHtml(label)}</option>`);
  }
  const extra = o.autocomplete
    ? { 'data-autocomplete-url': o.autocomplete.url, 'data-app-label': o.autocomplete.appLabel, 'data-model-name': o.autocomplete.modelName, 'data-field-name': o.autocomplete.fieldName, class: 'admin-autocomplete' }
    : {};
  const filter = o.filtered
    ? { class: o.filtered.vertical ? 'selectfilterstacked' : 'selectfilter', 'data-field-name': o.filtered.name, 'data-is-stacked': o.filtered.vertical ? '1' : '0' }
    : {};
  const html = `<select${attrs({ ...base, multiple, size: multiple ? Math.min(10, Math.max(4, choices.length)) : undefined, ...extra, ...filter })}>${options.join('')}</select>`;
  // Django's hint under a plain multi-select (the two-box picker explains itself).
  return multiple && !o.filtered && !o.autocomplete
    ? `${html}<div class="help multiselect-help">${escapeHtml(t('Hold down “Control”, or “Command” on a Mac, to select more than one.'))}</div>`
    : html;
}

/** A magnifier drawn inline: the 🔍 emoji is a box where no emoji font is installed. */
const LOOKUP_ICON = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M10 10l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>';

/** The 🔍 that opens the related change list as a popup to pick a row (static/admin/related.js), and the picked name. */
function lookup(o: WidgetOptions, id: string): string {
  if (!o.lookupUrl) return '';
  const label = o.rawIdLabel
    ? `<strong class="related-label">${o.rawIdLabel.url ? `<a href="${escapeHtml(o.rawIdLabel.url)}">${escapeHtml(o.rawIdLabel.text)}</a>` : escapeHtml(o.rawIdLabel.text)}</strong>`
    : '<strong class="related-label"></strong>';
  return ` <a href="${escapeHtml(o.lookupUrl)}" class="related-lookup" id="lookup_${escapeHtml(id)}" title="${escapeHtml(t('Look up'))}" aria-label="${escapeHtml(t('Look up'))}">${LOOKUP_ICON}</a>&nbsp;${label}`;
}

/** Wraps a relation's input with "+" (add another) and the pencil (change selected), both opening a popup. */
function relatedWrapper(html: string, o: WidgetOptions, id: string): string {
  const r = o.related;
  if (!r || (!r.addUrl && !r.changeUrl)) return html;
  const links: string[] = [];
  if (r.changeUrl) {
    links.push(`<a class="related-widget-wrapper-link change-related" id="change_${escapeHtml(id)}" data-href-template="${escapeHtml(r.changeUrl)}" title="${escapeHtml(t('Change selected {name}', { name: r.name }))}" aria-label="${escapeHtml(t('Change selected {name}', { name: r.name }))}" hidden>✎</a>`);
  }
  if (r.addUrl) {
    links.push(`<a class="related-widget-wrapper-link add-related" id="add_${escapeHtml(id)}" href="${escapeHtml(r.addUrl)}" title="${escapeHtml(t('Add another {name}', { name: r.name }))}" aria-label="${escapeHtml(t('Add another {name}', { name: r.name }))}">+</a>`);
  }
  return `<div class="related-widget-wrapper">${html}${links.join('')}</div>`;
}

/**
 * The input of one field, escaped. `value` is what the input shows (formatValue(), or what the user typed).
 * @example renderWidget(fieldInfo(Post, 'title'), 'Hello', { name: 'title' }) // '<input type="text" name="title" …>'
 */
export function renderWidget(field: FieldInfo, value: string | string[] | boolean, o: WidgetOptions): string {
  const base: Record<string, unknown> = {
    name: o.name,
    id: o.id ?? `id_${o.name}`,
    required: field.required && field.kind !== 'm2m' && field.kind !== 'file' && field.kind !== 'image',
    'aria-invalid': o.hasErrors ? 'true' : undefined,
    'aria-describedby': o.describedBy,
  };
  const str = Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? '' : value;
  switch (field.kind) {
    case 'boolean':
      return `<input${attrs({ type: 'checkbox', ...base, required: false, checked: value === true || value === 'on' })}>`;
    case 'text':
      return `<textarea${attrs({ ...base, rows: 10, cols: 40, class: 'vLargeTextField' })}>\n${escapeHtml(str)}</textarea>`;
    case 'json':
      return `<textarea${attrs({ ...base, rows: 8, cols: 40, class: 'vLargeTextField vJSONField', spellcheck: 'false' })}>\n${escapeHtml(str)}</textarea>`;
    case 'integer':
      return `<input${attrs({ type: 'number', ...base, value: str, step: 1, class: 'vIntegerField' })}>`;
    case 'decimal':
      return `<input${attrs({ type: 'number', ...base, value: str, step: field.scale ? (1 / 10 ** field.scale).toFixed(field.scale) : 'any', class: 'vDecimalField' })}>`;
    case 'float':
      return `<input${attrs({ type: 'number', ...base, value: str, step: 'any' })}>`;
    case 'date':
      return `<input${attrs({ type: 'date', ...base, value: str, class: 'vDateField' })}>`;
    case 'datetime':
      return `<input${attrs({ type: 'datetime-local', ...base, value: str, step: 1, class: 'vDateTimeField' })}>`;
    case 'time':
      return `<input${attrs({ type: 'time', ...base, value: str, step: 1, class: 'vTimeField' })}>`;
    case 'email':
      return `<input${attrs({ type: 'email', ...base, value: str, maxlength: field.maxLength, class: 'vTextField' })}>`;
    case 'url':
      return `<input${attrs({ type: 'url', ...base, value: str, maxlength: field.maxLength, class: 'vURLField' })}>`;
    case 'password':
      return `<input${attrs({ type: 'password', ...base, autocomplete: 'new-password' })}>`;
    case 'choice':
      return selectHtml(field, str, o, base);
    case 'm2m':
      if (o.rawId) return relatedWrapper(`<input${attrs({ type: 'text', ...base, value: str, class: 'vManyToManyRawIdAdminField' })}>${lookup({ ...o, rawIdLabel: undefined }, String(base.id))}`, { ...o, related: o.related && { ...o.related, changeUrl: undefined } }, String(base.id));
      return relatedWrapper(selectHtml(field, Array.isArray(value) ? value : str ? [str] : [], o, base), o, String(base.id));
    case 'fk':
      if (o.rawId) return relatedWrapper(`<input${attrs({ type: 'text', ...base, value: str, class: 'vForeignKeyRawIdAdminField', inputmode: 'numeric' })}>${lookup(o, String(base.id))}`, o, String(base.id));
      return relatedWrapper(selectHtml(field, str, o, base), o, String(base.id));
    case 'file':
    case 'image': {
      const accept = field.kind === 'image' ? 'image/*' : undefined;
      let current = '';
      if (str) {
        const href = `${o.mediaUrl ?? '/media/'}${str.split('/').map(encodeURIComponent).join('/')}`;
        current = `<p class="file-upload">${escapeHtml(t('Currently:'))} <a href="${escapeHtml(href)}">${escapeHtml(str)}</a>`;
        if (!field.required) current += ` <input type="checkbox" name="${escapeHtml(o.name)}-clear" id="${escapeHtml(`${base.id}-clear`)}"> <label for="${escapeHtml(`${base.id}-clear`)}">${escapeHtml(t('Clear'))}</label>`;
        current += `<br>${escapeHtml(t('Change:'))} </p>`;
      }
      const chosen = o.chosenFile
        ? `<p class="file-chosen">${escapeHtml(t('You chose “{file}”: the form had errors, so it was not kept. Choose it again.', { file: o.chosenFile }))}</p>`
        : '';
      return `${current}${chosen}<input${attrs({ type: 'file', ...base, required: field.required && !str, accept })}>`;
    }
    default:
      return `<input${attrs({ type: 'text', ...base, value: str, maxlength: field.maxLength, class: 'vTextField' })}>`;
  }
}

/** A read-only value as HTML: booleans as icons, lists joined, empty as "-". */
export function renderReadonly(field: FieldInfo | undefined, display: unknown): string {
  if (field?.kind === 'boolean' || typeof display === 'boolean') {
    const yes = display === true;
    return `<span class="bool-icon ${yes ? 'yes' : 'no'}" aria-label="${escapeHtml(yes ? t('Yes') : t('No'))}" title="${escapeHtml(yes ? t('Yes') : t('No'))}">${yes ? '✔' : '✘'}</span>`;
  }
  if (Array.isArray(display)) return display.length ? display.map((d) => escapeHtml(d)).join(', ') : '-';
  if (display === null || display === undefined || display === '') return '-';
  if (field?.kind === 'json' && typeof display !== 'string') return `<pre>${escapeHtml(JSON.stringify(display, null, 2))}</pre>`;
  return escapeHtml(display).replace(/\n/g, '<br>');
}
