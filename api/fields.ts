// A model's fields as the API sees them: JSON input cleaned with the admin's messages, and each field's JSON Schema.
import { cleanField, REQUIRED } from '../admin/clean';
import { fieldInfo, type FieldInfo } from '../admin/introspect';
import type { JsonSchema } from './schema';

export { fieldInfo, type FieldInfo, REQUIRED };

const STRINGLY = new Set(['string', 'text', 'email', 'url', 'uuid', 'date', 'datetime', 'time', 'password', 'choice']);

/**
 * Cleans one JSON value for a field: JSON types first (a string where a number belongs is refused unless it
 * parses), then the admin's own cleaning, so the messages are the admin's ("Enter a whole number." …).
 * @example cleanJson(fieldInfo(Post, 'views'), 12) // { value: 12 }
 */
export function cleanJson(info: FieldInfo, value: unknown): { value?: unknown; error?: string } {
  if (value === null) {
    if (info.allowNull && !info.required) return { value: null };
    return { error: info.required ? REQUIRED : 'This field may not be null.' };
  }
  switch (info.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'Must be a valid boolean.' };
    case 'json':
      return { value };
    case 'integer': case 'float': case 'decimal': case 'fk':
      if (typeof value === 'number' && Number.isFinite(value)) return cleanField(info, String(value));
      if (typeof value === 'string') return cleanField(info, value);
      return { error: info.kind === 'integer' ? 'Enter a whole number.' : info.kind === 'fk' ? 'Incorrect type. Expected pk value.' : 'Enter a number.' };
    default:
      if (info.kind === 'choice' && typeof value === 'number') return cleanField(info, String(value));
      if (STRINGLY.has(info.kind) && typeof value === 'string') return cleanField(info, value);
      return { error: 'Not a valid string.' };
  }
}

const FORMATS: Partial<Record<FieldInfo['kind'], string>> = {
  email: 'email', url: 'uri', uuid: 'uuid', date: 'date', datetime: 'date-time', time: 'time',
};

/**
 * The JSON Schema of a field's value (as answered; for input, decimals also accept numbers).
 * @example fieldSchema(fieldInfo(Post, 'title')) // { type: 'string', maxLength: 255 }
 */
export function fieldSchema(info: FieldInfo, readOnly = false): JsonSchema {
  let s: JsonSchema;
  switch (info.kind) {
    case 'integer': s = { type: 'integer' }; break;
    case 'float': s = { type: 'number' }; break;
    case 'decimal': s = { type: 'string', format: 'decimal', description: 'An exact decimal, as a string (numbers are accepted on input).' }; break;
    case 'boolean': s = { type: 'boolean' }; break;
    case 'json': s = {}; break;
    case 'fk': {
      const key = info.related?.getAttributes?.()[info.relatedKey ?? 'id']?.type?.key;
      s = { type: ['INTEGER', 'BIGINT', 'SMALLINT'].includes(key) ? 'integer' : 'string', description: `The id of a ${String(info.related?.name ?? 'related object')}.` };
      break;
    }
    case 'choice': s = { enum: (info.choices ?? []).map(([v]) => v) }; break;
    default:
      s = { type: 'string' };
      if (info.maxLength) s.maxLength = info.maxLength;
      if (FORMATS[info.kind]) s.format = FORMATS[info.kind];
  }
  if (info.allowNull && !info.primaryKey) {
    if (typeof s.type === 'string') s.type = [s.type, 'null'];
    else if (Array.isArray(s.enum)) s.enum = [...(s.enum as unknown[]), null];
  }
  if (info.helpText) s.description = info.helpText;
  if (readOnly) s.readOnly = true;
  return s;
}
