// The change list's page as plain typed rows (core/db/rows.ts) instead of model instances: what a list that only
// shows values needs, at a fraction of findAll's cost (no instance, no lodash per row).
import { rows } from '../core/db/rows';
import { getModelMeta } from '../core/db/models';
import type { Column } from './changelist-columns';

type AnyModel = any;

/**
 * What the list asks of one of its objects, answered from a plain row: `get()`, `getDataValue()`, `previous()`, the
 * attributes as properties, and `constructor` (the model, so that `displayOf`/`pkOf` name it as they name an instance).
 * It is read-only: the list takes this path only when nothing will save, validate or call a model method.
 */
class ListRow {
  constructor(readonly dataValues: Record<string, unknown>) {}
  get(key?: string): unknown { return key === undefined ? this.dataValues : this.dataValues[key]; }
  getDataValue(key: string): unknown { return this.dataValues[key]; }
  /** The value as read: a list row is never changed, so it is also its previous value. */
  previous(key: string): unknown { return this.dataValues[key]; }
  toJSON(): Record<string, unknown> { return { ...this.dataValues }; }
}

const rowClasses = new WeakMap<object, new (values: Record<string, unknown>) => ListRow>();

/** The ListRow class of a model (made once): `constructor` is the model and every attribute is a getter. */
function rowClassOf(model: AnyModel): new (values: Record<string, unknown>) => ListRow {
  let cls = rowClasses.get(model);
  if (!cls) {
    const made = class extends ListRow {};
    Object.defineProperty(made.prototype, 'constructor', { value: model, enumerable: false });
    for (const name of Object.keys(model.getAttributes())) {
      if (name in ListRow.prototype) continue;
      Object.defineProperty(made.prototype, name, { get(this: ListRow) { return this.dataValues[name]; }, enumerable: false });
    }
    cls = made;
    rowClasses.set(model, cls);
  }
  return cls;
}

/** True when the model's objects read the same from a plain row as from an instance: no getters, no afterFind hooks, a `display` that is not a function. */
function readsPlain(model: AnyModel): boolean {
  const attrs = model.getAttributes() as Record<string, { get?: unknown; type?: { key?: string } }>;
  if (Object.values(attrs).some((a) => typeof a.get === 'function' || a.type?.key === 'VIRTUAL')) return false;
  const options = model.options ?? {};
  if (options.getterMethods && Object.keys(options.getterMethods).length) return false;
  if (typeof model.hasHook === 'function' && model.hasHook('afterFind')) return false;
  const display = getModelMeta(model)?.display ?? options.display;
  return typeof display !== 'function';
}

/**
 * True when the change list can show its page from plain rows: every column is a field, a foreign key or `__str__`
 * (a callable gets the instance, as in Django), nothing on the list is editable, the base queryset adds no joins of
 * its own, and the model and the related models of its foreign key columns read the same from a plain row.
 * @example canListPlainRows(Post, columns, postAdmin, []) // true for listDisplay: ['title', 'author', 'published']
 */
export function canListPlainRows(model: AnyModel, columns: Column[], ma: { listEditable?: string[] }, baseInclude: unknown[]): boolean {
  if (ma.listEditable?.length || baseInclude.length) return false;
  if (!readsPlain(model)) return false;
  for (const c of columns) {
    if (c.kind === 'callable') return false;
    if (c.kind === 'relation' && (!c.field?.related || !c.field.relatedKey || !readsPlain(c.field.related))) return false;
  }
  return true;
}

/**
 * One page of the change list as read-only list rows: one `rows()` select with the foreign key columns' related rows
 * joined into it (their key and display columns, as nested rows), instead of a findAll that builds an instance per row
 * and per related row. `include` is the page's include list (admin/changelist-search.ts `includesOf`).
 * @example await listPlainRows(Post, columns, { where, include, order, limit: 100, offset: 0 })
 */
export async function listPlainRows(model: AnyModel, columns: Column[], query: { where: unknown; include: unknown[]; order: unknown[]; limit?: number; offset?: number; keysFirst?: boolean; fewMatches?: boolean }): Promise<ListRow[]> {
  const found = await rows(model, {
    where: query.where as never, include: query.include as never, order: query.order as never,
    ...(query.limit !== undefined ? { limit: query.limit, offset: query.offset ?? 0 } : {}),
    // Past page 1 the keys come first: OFFSET then walks the skipped rows on the narrowest index, without the joins.
    keysFirst: query.keysFirst, fewMatches: query.fewMatches,
  });
  const Row = rowClassOf(model);
  const relations = columns.filter((c) => c.kind === 'relation').map((c) => [c.field!.alias!, rowClassOf(c.field!.related)] as const);
  const out = new Array<ListRow>(found.length);
  for (let i = 0; i < found.length; i++) {
    const r = found[i];
    for (const [alias, RelatedRow] of relations) if (r[alias]) r[alias] = new RelatedRow(r[alias] as Record<string, unknown>);
    out[i] = new Row(r);
  }
  return out;
}
