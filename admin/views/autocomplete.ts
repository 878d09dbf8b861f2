// `admin:autocomplete`: the JSON search behind autocompleteFields, as Django's AutocompleteJsonView.
import type { Request } from 'express';
import { Op } from '../../core/db/op';
import { json, type Response } from '../../core/http/responses';
import { includesOf, searchWhere, type IncludeNode } from '../changelist';
import { defaultOrder, displayOf, fieldInfo, modelMeta, pkName } from '../introspect';

/** Results per page, as Django's. */
export const AUTOCOMPLETE_PAGE_SIZE = 20;

function one(v: unknown): string {
  return Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v);
}

/**
 * The model whose field is searched: a registered one, or the model of an inline of one (an order's order lines), as
 * Django's view takes any model's field. Models the admin does not show at all are unknown here.
 */
function sourceModel(req: Request, site: any, appLabel: string, modelName: string): any {
  const registered = site.getModelAdmin(appLabel, modelName);
  if (registered) return registered.model;
  for (const ma of site.registry.values()) {
    for (const inline of ma.getInlines(req)) {
      const meta = modelMeta(inline.model);
      if (meta.appLabel === appLabel && meta.modelName === modelName) return inline.model;
    }
  }
  return undefined;
}

/**
 * `GET /admin/autocomplete/?term=&app_label=&model_name=&field_name=&page=` →
 * `{ results: [{ id, text }], pagination: { more } }`. The field must be a relation of the source model (one of its
 * autocompleteFields, or one the form switched to autocomplete for a large table); the related model must be
 * registered with searchFields; the user needs its view permission.
 * @example GET /admin/autocomplete/?term=ann&app_label=blog&model_name=post&field_name=author
 */
export async function autocompleteView(req: Request, site: any): Promise<Response> {
  const q = req.query as Record<string, unknown>;
  const term = one(q.term).trim();
  const [appLabel, modelName, fieldName] = [one(q.app_label), one(q.model_name), one(q.field_name)];
  const rawPage = one(q.page) || '1';
  if (!/^\d{1,6}$/.test(rawPage) || Number(rawPage) < 1) return json({ error: `Invalid page "${rawPage}".` }, { status: 400 });
  const page = Number(rawPage);
  const source = sourceModel(req, site, appLabel, modelName);
  if (!source) return json({ error: `No model ${appLabel}.${modelName} is registered with the admin.` }, { status: 404 });
  // Declared in autocompleteFields, or a relation to a table too large for a select (the form switches those to
  // autocomplete when the related admin has searchFields): either way the related admin's rules apply below.
  const field = fieldName ? fieldInfo(source, fieldName) : undefined;
  if (!field || (field.kind !== 'fk' && field.kind !== 'm2m') || !field.related) {
    return json({ error: `${fieldName} is not a foreign key or many-to-many field of ${modelMeta(source).name}.` }, { status: 404 });
  }
  const target = site.getModelAdmin(field.related);
  const searchFields: string[] = target ? (typeof target.getSearchFields === 'function' ? target.getSearchFields(req) : target.searchFields) ?? [] : [];
  if (!target || searchFields.length === 0) {
    return json({ error: `${field.related.name} must be registered with searchFields to be used in autocompleteFields.` }, { status: 404 });
  }
  if (!(await target.hasViewPermission(req))) return json({ error: 'You do not have permission to view these objects.' }, { status: 403 });

  const base = ((await target.getQueryset?.(req)) ?? {}) as { where?: unknown; include?: any[] };
  const tree = new Map<string, IncludeNode>();
  const search = await searchWhere(field.related, searchFields, term, tree);
  const parts = [base.where, search].filter(Boolean);
  const key = field.relatedKey ?? pkName(field.related);
  const order = [...(defaultOrder(field.related) ?? []), [pkName(field.related), 'ASC']];
  const rows = await field.related.findAll({
    where: parts.length ? { [Op.and]: parts } : {}, include: [...(base.include ?? []), ...includesOf(tree, false)],
    order, limit: AUTOCOMPLETE_PAGE_SIZE + 1, offset: (page - 1) * AUTOCOMPLETE_PAGE_SIZE, subQuery: false,
  });
  return json({
    results: rows.slice(0, AUTOCOMPLETE_PAGE_SIZE).map((r: any) => ({ id: String(r.get(key)), text: displayOf(r) })),
    pagination: { more: rows.length > AUTOCOMPLETE_PAGE_SIZE },
  });
}
