// The HTML input of each field kind (text, number, date, select, multi-select, file …), escaped here once.
import type { FieldInfo } from './introspect';

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
  /** MEDIA_URL, to link the current file. */
  mediaUrl?: string;
  describedBy?: string;
}

/**
 * A model value as the input shows it: dates as `YYYY-MM-DD`, datetimes as `YYYY-MM-DDTHH:MM` (UTC), JSON pretty-printed.
 * @example formatValue({ kind: 'date' } as FieldInfo, new Date('2024-05-01')) // '2024-05-01'
 */
export function formatValue(field: FieldInfo, value: unknown): string | string[] | boolean {
  if (field.kind === 'boolean') return Boolean(value);
  if (field.kind === 'm2m') return Array.isArray(value) ? value.map((v) => String(v)) : [];
  if (value === null || value === undefined) return '';
  if (field.kind === 'datetime') {
    const d = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(d.getTime())) return String(value);
    const iso = d.toISOString();
    return d.getUTCSeconds() ? iso.slice(0, 19) : iso.slice(0, 16);
  }
  if (field.kind === 'date') return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  if (field.kind === 'time') return String(value).slice(0, 8);
  if (field.kind === 'json') return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return String(value);
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
  return `<select${attrs({ ...base, multiple, size: multiple ? Math.min(10, Math.max(4, choices.length)) : undefined, ...extra })}>${options.join('')}</select>`;
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
      if (o.rawId) {
        const link = o.lookupUrl ? ` <a href="${escapeHtml(o.lookupUrl)}" class="related-lookup" target="_blank" rel="noopener" title="Look up">🔍</a>` : '';
        return `<input${attrs({ type: 'text', ...base, value: str, class: 'vManyToManyRawIdAdminField' })}>${link}`;
      }
      return selectHtml(field, Array.isArray(value) ? value : str ? [str] : [], o, base);
    case 'fk':
      if (o.rawId) {
        const link = o.lookupUrl ? ` <a href="${escapeHtml(o.lookupUrl)}" class="related-lookup" target="_blank" rel="noopener" title="Look up">🔍</a>` : '';
        return `<input${attrs({ type: 'text', ...base, value: str, class: 'vForeignKeyRawIdAdminField', inputmode: 'numeric' })}>${link}`;
      }
      return selectHtml(field, str, o, base);
    case 'file':
    case 'image': {
      const accept = field.kind === 'image' ? 'image/*' : undefined;
      let current = '';
      if (str) {
        const href = `${o.mediaUrl ?? '/media/'}${str.split('/').map(encodeURIComponent).join('/')}`;
        current = `<p class="file-upload">Currently: <a href="${escapeHtml(href)}">${escapeHtml(str)}</a>`;
        if (!field.required) current += ` <input type="checkbox" name="${escapeHtml(o.name)}-clear" id="${escapeHtml(`${base.id}-clear`)}"> <label for="${escapeHtml(`${base.id}-clear`)}">Clear</label>`;
        current += '<br>Change: </p>';
      }
      return `${current}<input${attrs({ type: 'file', ...base, required: field.required && !str, accept })}>`;
    }
    default:
      return `<input${attrs({ type: 'text', ...base, value: str, maxlength: field.maxLength, class: 'vTextField' })}>`;
  }
}

/** A read-only value as HTML: booleans as icons, lists joined, empty as "-". */
export function renderReadonly(field: FieldInfo | undefined, display: unknown): string {
  if (field?.kind === 'boolean' || typeof display === 'boolean') {
    const yes = display === true;
    return `<span class="bool-icon ${yes ? 'yes' : 'no'}" aria-label="${yes ? 'Yes' : 'No'}" title="${yes ? 'Yes' : 'No'}">${yes ? '✔' : '✘'}</span>`;
  }
  if (Array.isArray(display)) return display.length ? display.map((d) => escapeHtml(d)).join(', ') : '-';
  if (display === null || display === undefined || display === '') return '-';
  if (field?.kind === 'json' && typeof display !== 'string') return `<pre>${escapeHtml(JSON.stringify(display, null, 2))}</pre>`;
  return escapeHtml(display).replace(/\n/g, '<br>');
}
