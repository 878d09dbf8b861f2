// A list's query string, owned by the list (as Django's ChangeList): page, pageSize, search, ordering, fields, expand, declared filters.
import type { WhereOptions } from 'sequelize';
import { Op } from '../core/db/op';
import { cleanField } from '../admin/clean';
import type { FieldInfo } from '../admin/introspect';
import { ApiError } from './errors';

/** Lookups a filter field accepts besides the exact value: `__in` always, ranges for numbers and dates. */
const RANGE_KINDS = new Set(['integer', 'float', 'decimal', 'date', 'datetime', 'time']);
const RANGES: Record<string, symbol> = { gt: Op.gt, gte: Op.gte, lt: Op.lt, lte: Op.lte };

/** What a list was asked for, once the query string was checked against what the resource declared. */
export interface ListQuery {
  page: number;
  pageSize: number;
  search?: string;
  order?: Array<[string, 'ASC' | 'DESC']>;
  fields?: string[];
  expand: string[];
  where: Record<string | symbol, unknown>[];
}

/** What a resource declares that its query string may use. */
export interface QuerySpec {
  filters: Map<string, FieldInfo>;
  search: boolean;
  ordering: Set<string>;
  fields: Set<string>;
  expand: Set<string>;
  pageSize: number;
  maxPageSize: number;
}

/** Every query parameter a list accepts, for the 400 that names an unknown one and for the OpenAPI document. */
export function knownParameters(spec: QuerySpec): string[] {
  const out = ['page', 'pageSize', 'fields'];
  if (spec.search) out.push('search');
  if (spec.ordering.size) out.push('ordering');
  if (spec.expand.size) out.push('expand');
  for (const [name, info] of spec.filters) {
    out.push(name, `${name}__in`);
    if (RANGE_KINDS.has(info.kind)) for (const r of Object.keys(RANGES)) out.push(`${name}__${r}`);
  }
  return out;
}

function single(params: URLSearchParams, name: string): string {
  const all = params.getAll(name);
  if (all.length > 1) throw new ApiError('E_API_BAD_PARAMETER', { name, detail: 'given more than once.' });
  return all[0];
}

function positiveInt(name: string, raw: string, max?: number): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new ApiError('E_API_BAD_PARAMETER', { name, detail: `must be a whole number of at least 1, got ${JSON.stringify(raw)}.` });
  const n = Number(raw);
  if (max !== undefined && n > max) throw new ApiError('E_API_BAD_PARAMETER', { name, detail: `must be at most ${max} (API_MAX_PAGE_SIZE), got ${n}.` });
  return n;
}

function list(params: URLSearchParams, name: string, allowed: Set<string>, what: string): string[] {
  const items = single(params, name).split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    const bare = name === 'ordering' ? item.replace(/^-/, '') : item;
    if (!allowed.has(bare)) throw new ApiError('E_API_BAD_PARAMETER', { name, detail: `"${bare}" is not ${what}. Allowed: ${[...allowed].join(', ') || 'none'}.` });
  }
  return items;
}

/** One filter value for a field: booleans as true/false/1/0, the rest cleaned as the admin cleans a form value. */
function filterValue(name: string, info: FieldInfo, raw: string): unknown {
  if (info.kind === 'boolean') {
    if (['true', '1'].includes(raw)) return true;
    if (['false', '0'].includes(raw)) return false;
    throw new ApiError('E_API_BAD_PARAMETER', { name, detail: `must be true or false, got ${JSON.stringify(raw)}.` });
  }
  if (raw === '' && info.allowNull) return null;
  // A date alone is midnight UTC for a date/time field: `?createdAt__gte=2024-01-01` reads as people mean it.
  const text = info.kind === 'datetime' && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const { value, error } = cleanField({ ...info, required: true }, text);
  if (error) throw new ApiError('E_API_BAD_PARAMETER', { name, detail: error });
  return value;
}

/**
 * Reads a list's query string. Anything not declared is a 400 naming it, so that no undeclared field (say
 * `password`) can ever be filtered on or probed.
 * @example parseListQuery(new URLSearchParams('published=true&ordering=-createdAt'), spec)
 */
export function parseListQuery(params: URLSearchParams, spec: QuerySpec): ListQuery {
  const q: ListQuery = { page: 1, pageSize: spec.pageSize, expand: [], where: [] };
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) continue;
    seen.add(name);
    switch (name) {
      case 'page': q.page = positiveInt(name, single(params, name)); continue;
      case 'pageSize': q.pageSize = positiveInt(name, single(params, name), spec.maxPageSize); continue;
      case 'fields': q.fields = list(params, name, spec.fields, 'a field of this resource'); continue;
      default:
    }
    if (name === 'search' && spec.search) { q.search = single(params, name); continue; }
    if (name === 'ordering' && spec.ordering.size) {
      q.order = list(params, name, spec.ordering, 'an ordering field').map((f) => (f.startsWith('-') ? [f.slice(1), 'DESC'] : [f, 'ASC']));
      continue;
    }
    if (name === 'expand' && spec.expand.size) { q.expand = list(params, name, spec.expand, 'an expandable relation'); continue; }
    const [field, lookup, ...rest] = name.split('__');
    const info = spec.filters.get(field);
    if (!info || rest.length || (lookup !== undefined && lookup !== 'in' && !(RANGE_KINDS.has(info.kind) && lookup in RANGES))) {
      throw new ApiError('E_API_UNKNOWN_PARAMETER', { name, known: knownParameters(spec).join(', ') });
    }
    const raw = single(params, name);
    if (lookup === 'in') q.where.push({ [field]: { [Op.in]: raw.split(',').map((v) => filterValue(name, info, v.trim())) } });
    else if (lookup) q.where.push({ [field]: { [RANGES[lookup]]: filterValue(name, info, raw) } });
    else q.where.push({ [field]: filterValue(name, info, raw) } as WhereOptions as Record<string, unknown>);
  }
  return q;
}
