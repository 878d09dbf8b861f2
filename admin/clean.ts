// Cleaning one submitted value per field kind, with Django's messages ("Enter a whole number." …).
import { cleanPk, type FieldInfo } from './introspect';
import { fromLocalInput } from './formats';
import { t } from './i18n';

/** The msgid of Django's "This field is required." (shown through t()). */
export const REQUIRED = 'This field is required.';

export type Raw = string | string[] | undefined;

/** Kinds whose NOT NULL column can hold an empty string. */
const TEXTUAL = new Set(['string', 'text', 'email', 'url', 'password', 'choice']);

/** `YYYY-MM-DD` naming a real day of years 1–9999 (Date.parse takes 2024-02-30 as March 1st). */
function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0);
  return d <= days;
}

/** A decimal as the column can store it: Django's messages for places, digits in total and before the point. */
function cleanDecimal(field: FieldInfo, s: string): { value?: unknown; error?: string } {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && !m[3])) return { error: t('Enter a number.') };
  const whole = m[2].replace(/^0+/, '');
  const places = (m[3] ?? '').replace(/0+$/, '');
  const scale = field.scale;
  if (field.precision !== undefined && whole.length + places.length > field.precision) {
    if (scale !== undefined && places.length <= scale && whole.length > field.precision - scale) return { error: t('Ensure that there are no more than {count} digits before the decimal point.', { count: field.precision - scale }) };
    return { error: t('Ensure that there are no more than {count} digits in total.', { count: field.precision }) };
  }
  if (scale !== undefined && places.length > scale) return { error: t('Ensure that there are no more than {count} decimal places.', { count: scale }) };
  if (field.precision !== undefined && scale !== undefined && whole.length > field.precision - scale) return { error: t('Ensure that there are no more than {count} digits before the decimal point.', { count: field.precision - scale }) };
  // Stored with its scale: '94.9' in a DECIMAL(6, 2) is '94.90', as the database gives it back.
  const value = `${m[1] === '-' ? '-' : ''}${whole || '0'}.${places.padEnd(scale ?? 0, '0')}`.replace(/\.$/, '');
  return { value };
}

/**
 * Cleans one submitted value for a field: `{ value }` or `{ error }` with Django's messages.
 * @example cleanField(fieldInfo(Post, 'views'), '12') // { value: 12 }
 */
export function cleanField(field: FieldInfo, raw: Raw): { value?: unknown; error?: string } {
  if (field.kind === 'm2m') {
    // A multi-select sends one value per choice; a raw id input (rawIdFields) sends "1,2,3".
    const list = (Array.isArray(raw) ? raw : raw ? raw.split(',') : []).map((v) => v.trim()).filter((v) => v !== '');
    return { value: list };
  }
  let s = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (field.kind === 'boolean') return { value: ['on', 'true', '1', 'yes', 'True'].includes(String(s ?? '')) };
  s = typeof s === 'string' ? s : '';
  if (!['text', 'json', 'password'].includes(field.kind)) s = s.trim();
  // PostgreSQL refuses NUL in text: a form error, as Django's ProhibitNullCharactersValidator, not a 500.
  if (s.includes('\0')) return { error: t('Null characters are not allowed.') };
  if (s === '') {
    if (field.required) return { error: t(REQUIRED) };
    if (field.allowNull) return { value: null };
    if (field.defaultValue !== undefined) return { value: field.defaultValue };
    // A NOT NULL date, number … without a plain default cannot be stored empty (it became 'Invalid date').
    return TEXTUAL.has(field.kind) ? { value: '' } : { error: t(REQUIRED) };
  }
  switch (field.kind) {
    case 'integer': {
      if (!/^[-+]?\d+$/.test(s)) return { error: t('Enter a whole number.') };
      const n = Number(s);
      if (field.max !== undefined && n > field.max) return { error: t('Ensure this value is less than or equal to {limit}.', { limit: field.max }) };
      if (field.min !== undefined && n < field.min) return { error: t('Ensure this value is greater than or equal to {limit}.', { limit: field.min }) };
      return { value: n };
    }
    case 'decimal':
      return cleanDecimal(field, s);
    case 'float':
      return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) && Number.isFinite(Number(s)) ? { value: Number(s) } : { error: t('Enter a number.') };
    case 'date':
      return validDate(s) ? { value: s } : { error: t('Enter a valid date.') };
    case 'datetime': {
      const m = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d)(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
      if (!m || !validDate(m[1])) return { error: t('Enter a valid date/time.') };
      // Typed in TIME_ZONE (an explicit offset wins), stored in UTC.
      const d = m[7] ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[5] ?? '00'}${m[6] ?? ''}${m[7]}`) : fromLocalInput(m[1], `${m[2]}:${m[3]}:${m[5] ?? '00'}${m[6] ?? ''}`);
      return Number.isNaN(d.getTime()) ? { error: t('Enter a valid date/time.') } : { value: d };
    }
    case 'time': {
      const m = /^([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d))?$/.exec(s);
      return m ? { value: `${m[1]}:${m[2]}:${m[4] ?? '00'}` } : { error: t('Enter a valid time.') };
    }
    case 'json':
      try { return { value: JSON.parse(s) }; } catch { return { error: t('Enter a valid JSON.') }; }
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s) ? { value: s } : { error: t('Enter a valid UUID.') };
    case 'choice': {
      const hit = (field.choices ?? []).find(([v]) => String(v) === s);
      return hit ? { value: hit[0] } : { error: t('Select a valid choice. {value} is not one of the available choices.', { value: s }) };
    }
    case 'fk': {
      const pk = cleanPk(field.related, s);
      return pk === undefined ? { error: t('Select a valid choice. That choice is not one of the available choices.') } : { value: pk };
    }
    case 'email':
      if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(s)) return { error: t('Enter a valid email address.') };
      break;
    case 'url':
      try {
        const u = new URL(s);
        if (!['http:', 'https:', 'ftp:', 'ftps:'].includes(u.protocol)) return { error: t('Enter a valid URL.') };
      } catch { return { error: t('Enter a valid URL.') }; }
      break;
    default:
  }
  if (field.maxLength && s.length > field.maxLength) return { error: t('Ensure this value has at most {limit} characters (it has {length}).', { limit: field.maxLength, length: s.length, count: field.maxLength }) };
  return { value: s };
}
