// The change list's columns: what each listDisplay entry shows, how its header reads and sorts, and each cell's text.
import { getModelMeta } from '../core/db/models';
import { capfirst, displayOf, fieldInfo, modelMeta, pkName, words, type FieldInfo } from './introspect';
import { formatDecimal } from './widgets';
import { formatDate, formatDateTime, formatNumber } from './formats';

type AnyModel = any;

/** What the change list reads from a ModelAdmin (admin/model-admin.ts has them all, with `get…(req)` hooks). */
export interface ChangeListAdmin {
  model: AnyModel;
  listDisplay?: Array<string | Function>;
  listDisplayLinks?: string[] | null;
  listFilter?: unknown[];
  searchFields?: string[];
  dateHierarchy?: string | null;
  ordering?: string[] | null;
  listPerPage?: number;
  listMaxShowAll?: number;
  listEditable?: string[];
  emptyValueDisplay?: string;
  showFullResultCount?: boolean;
  sortableBy?: Array<string | Function>;
  getQueryset?(req: unknown): unknown;
  [key: string]: any;
}

/**
 * Reads an option through its `get…(req)` hook when the ModelAdmin has one (Django's get_list_display…).
 * @example adminOption(postAdmin, 'listFilter', req, []) // postAdmin.getListFilter(req) ?? postAdmin.listFilter
 */
export function adminOption<T>(ma: ChangeListAdmin, name: string, req: unknown, fallback: T): T {
  const hook = ma[`get${name[0].toUpperCase()}${name.slice(1)}`];
  const v = typeof hook === 'function' ? hook.call(ma, req) : ma[name];
  return (v === undefined ? fallback : v) as T;
}

/** The first column when the list has actions (Django's `action_checkbox`): it counts in `o` indexes, as in Django. */
export const ACTION_CHECKBOX = 'action_checkbox';

/** One column of the list: where its value comes from, its header, and how it sorts. */
export interface Column {
  name: string;
  label: string;
  kind: 'checkbox' | 'field' | 'relation' | 'callable' | 'str';
  field?: FieldInfo;
  fn?: Function;
  boolean: boolean;
  /** What `ORDER BY` uses for this column (an attribute or `assoc__attr`), or undefined when not sortable. */
  orderField?: string;
  /** For a foreign key whose model has an ordering: sort by that ordering through the join, as Django does. */
  orderBy?: Array<{ field: string; desc: boolean }>;
}

/** What one cell shows: text (escaped by the template), a boolean icon, a link, or an editable input. */
export interface Cell { text: string; bool?: boolean | null; link?: string; column: Column; classes: string }

/**
 * The columns a foreign key cell needs to name its row (the `display` attribute, else name/title/username, and the
 * key), or undefined (all) when `display` is a function: a page of 100 rows then doesn't drag every related column.
 * @example displayAttributes(User) // ['id', 'username']
 */
export function displayAttributes(model: AnyModel, key?: string): string[] | undefined {
  const display = getModelMeta(model)?.display ?? model.options?.display;
  if (typeof display === 'function') return undefined;
  const attrs = model.getAttributes();
  const names = typeof display === 'string' ? [display] : ['name', 'title', 'username'].filter((a) => a in attrs);
  return [...new Set([pkName(model), ...(key ? [key] : []), ...names])];
}

/**
 * listDisplay → columns (plus the selection checkbox first when there are actions, as in Django).
 * @example buildColumns(req, postAdmin, true).map((c) => c.label) // ['', 'Title', 'Author', 'Published']
 */
export function buildColumns(req: unknown, ma: ChangeListAdmin, hasActions: boolean): Column[] {
  const items = adminOption(ma, 'listDisplay', req, ['__str__'] as Array<string | Function>);
  const cols: Column[] = hasActions ? [{ name: ACTION_CHECKBOX, label: '', kind: 'checkbox', boolean: false }] : [];
  // sortableBy (Django's sortable_by) narrows which columns get sort links; unset means all that can sort.
  const sortableBy = typeof ma.getSortableBy === 'function' ? ma.getSortableBy(req) : ma.sortableBy;
  const sortable = Array.isArray(sortableBy) ? new Set(sortableBy.map((s: unknown) => (typeof s === 'function' ? s.name : String(s)))) : undefined;
  for (const item of items) {
    const col = columnOf(ma, item);
    if (sortable && !sortable.has(col.name)) col.orderField = undefined;
    cols.push(col);
  }
  return cols;
}

/** One listDisplay entry: a field, a foreign key, `__str__`, a function, a ModelAdmin method or a model method. */
function columnOf(ma: ChangeListAdmin, item: string | Function): Column {
  const model = ma.model;
  const described = (fn: any, name: string): Column => ({
    name, kind: 'callable', fn, boolean: Boolean(fn.boolean),
    label: fn.description ?? fn.shortDescription ?? capfirst(words(name || 'value')),
    orderField: fn.adminOrderField ?? fn.orderField,
  });
  if (typeof item === 'function') return described(item, item.name);
  if (item === '__str__') return { name: item, label: capfirst(modelMeta(model).verboseName), kind: 'str', boolean: false };
  const field = fieldInfo(model, item);
  if (field && field.kind !== 'm2m') {
    const label = capfirst(field.verboseName);
    if (field.kind === 'fk') {
      const ordering: string[] = modelMeta(field.related).ordering ?? [];
      const orderBy = ordering.map((f) => ({ field: `${field.alias}__${f.replace(/^[-+]/, '')}`, desc: f.startsWith('-') }));
      return { name: item, label, kind: 'relation', field, boolean: false, orderField: field.name, ...(orderBy.length ? { orderBy } : {}) };
    }
    return { name: item, label, kind: 'field', field, boolean: field.kind === 'boolean', orderField: field.name };
  }
  const method = (ma as any)[item];
  // The description/boolean/adminOrderField are set on the method itself; bind() would lose them, so call it bound.
  if (typeof method === 'function') { const c = described(method, item); c.fn = (obj: any) => method.call(ma, obj); return c; }
  const proto = model.prototype?.[item];
  if (typeof proto === 'function') { const c = described(proto, item); c.fn = (obj: any) => obj[item](); return c; }
  return { name: item, label: capfirst(words(item)), kind: 'callable', boolean: false, fn: (obj: any) => obj.get?.(item) ?? obj[item] };
}

/**
 * The value of one column for one object, formatted for display (a callable may be async).
 * @example (await cellOf(post, titleColumn, '-', '/admin/blog/post/1/change/')).text // 'Hello'
 */
export async function cellOf(obj: any, col: Column, emptyValue: string, changeUrl?: string): Promise<Cell> {
  const cell: Cell = { text: '', column: col, classes: `field-${col.name}` };
  let value: unknown;
  if (col.kind === 'str') value = displayOf(obj);
  else if (col.kind === 'relation') value = obj.get(col.field!.alias!) ? displayOf(obj.get(col.field!.alias!)) : null;
  else if (col.kind === 'field') value = obj.get(col.field!.name);
  else value = await col.fn?.(obj);
  if (col.boolean) { cell.bool = value === null || value === undefined ? null : Boolean(value); return cell; }
  cell.text = formatCell(value, col.field, emptyValue);
  if (changeUrl) cell.link = changeUrl;
  return cell;
}

/** Choices by label, dates and decimals in LANGUAGE_CODE's format (datetimes in TIME_ZONE), objects as JSON, empty as emptyValueDisplay. */
function formatCell(value: unknown, field: FieldInfo | undefined, emptyValue: string): string {
  if (value === null || value === undefined || value === '') return emptyValue;
  if (field?.choices) {
    const c = field.choices.find(([v]) => String(v) === String(value));
    if (c) return c[1];
  }
  // Local time and the locale's formats (admin/formats.ts), as Django's localized change list.
  if (value instanceof Date) return field?.kind === 'date' ? formatDate(value) : formatDateTime(value);
  if (field?.kind === 'date' && typeof value === 'string') return formatDate(value);
  if (typeof value === 'object') return JSON.stringify(value);
  // Decimals keep their scale (94.90, not SQLite's 94.9).
  if (field?.kind === 'decimal') return formatNumber(formatDecimal(value, field.scale), field.scale);
  return String(value);
}
