// Cleaning one submitted value per field kind, with Django's messages ("Enter a whole number." …).
import { cleanPk, type FieldInfo } from './introspect';

export const REQUIRED = 'This field is required.';

export type Raw = string | string[] | undefined;

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
  if (s === '') {
    if (field.required) return { error: REQUIRED };
    if (field.allowNull) return { value: null };
    return { value: field.defaultValue !== undefined ? field.defaultValue : '' };
  }
  switch (field.kind) {
    case 'integer':
      return /^[-+]?\d{1,15}$/.test(s) ? { value: Number(s) } : { error: 'Enter a whole number.' };
    case 'decimal': {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return { error: 'Enter a number.' };
      const places = s.includes('.') ? s.split('.')[1].length : 0;
      if (field.scale !== undefined && places > field.scale) return { error: `Ensure that there are no more than ${field.scale} decimal places.` };
      return { value: s };
    }
    case 'float':
      return Number.isFinite(Number(s)) ? { value: Number(s) } : { error: 'Enter a number.' };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) ? { value: s } : { error: 'Enter a valid date.' };
    case 'datetime': {
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
      const d = m ? new Date(`${m[1]}T${m[2]}${m[5] ?? 'Z'}`) : undefined;
      return d && !Number.isNaN(d.getTime()) ? { value: d } : { error: 'Enter a valid date/time.' };
    }
    case 'time': {
      const m = /^([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d))?$/.exec(s);
      return m ? { value: `${m[1]}:${m[2]}:${m[4] ?? '00'}` } : { error: 'Enter a valid time.' };
    }
    case 'json':
      try { return { value: JSON.parse(s) }; } catch { return { error: 'Enter a valid JSON.' }; }
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s) ? { value: s } : { error: 'Enter a valid UUID.' };
    case 'choice': {
      const hit = (field.choices ?? []).find(([v]) => String(v) === s);
      return hit ? { value: hit[0] } : { error: `Select a valid choice. ${s} is not one of the available choices.` };
    }
    case 'fk': {
      const pk = cleanPk(field.related, s);
      return pk === undefined ? { error: 'Select a valid choice. That choice is not one of the available choices.' } : { value: pk };
    }
    case 'email':
      if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(s)) return { error: 'Enter a valid email address.' };
      break;
    case 'url':
      try {
        const u = new URL(s);
        if (!['http:', 'https:', 'ftp:', 'ftps:'].includes(u.protocol)) return { error: 'Enter a valid URL.' };
      } catch { return { error: 'Enter a valid URL.' }; }
      break;
    default:
  }
  if (field.maxLength && s.length > field.maxLength) return { error: `Ensure this value has at most ${field.maxLength} characters (it has ${s.length}).` };
  return { value: s };
}
