// Bulk actions on the change list's selected rows: the built-in "Delete selected …", custom actions, and the cascade collector.
import { Op } from '../core/db/op';
import type { Request } from 'express';
import { render } from '../core/http/shortcuts';
import { messages } from '../sessions/messages';
import { capfirst, displayOf, manyToMany, modelMeta, pkName, pkOf, reverseRelations } from './introspect';
import { t } from './i18n';

type AnyModel = any;

/**
 * The selected rows handed to an action, a small stand-in for Django's QuerySet: the model, the where that
 * selects the rows, and the few methods an action needs.
 * @example async function publish(modelAdmin, req, queryset) { await queryset.update({ published: true }); }
 */
export class SelectedObjects {
  constructor(public model: AnyModel, public where: unknown, private include: unknown[] = [], public transaction?: unknown) {}
  findAll(opts: Record<string, unknown> = {}): Promise<any[]> {
    return this.model.findAll({ where: this.where, include: this.include, transaction: this.transaction, ...opts });
  }
  count(): Promise<number> { return this.model.count({ where: this.where, include: this.include, distinct: true, col: pkName(this.model), transaction: this.transaction }); }
  /** Updates every selected row in one statement; returns how many changed. */
  async update(values: Record<string, unknown>): Promise<number> {
    const ids = await this.pks();
    const [n] = await this.model.update(values, { where: { [pkName(this.model)]: { [Op.in]: ids } }, transaction: this.transaction });
    return n;
  }
  async pks(): Promise<unknown[]> {
    const rows = await this.findAll({ attributes: [pkName(this.model)], raw: true });
    return rows.map((r: any) => r[pkName(this.model)]);
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<any> { for (const obj of await this.findAll()) yield obj; }
}

/** An action function: `(modelAdmin, req, queryset)`; it may return a Response (e.g. an intermediate page). */
export type ActionFn = ((modelAdmin: any, req: Request, queryset: SelectedObjects) => unknown) & { description?: string; shortDescription?: string; permissions?: string[] };

/**
 * Marks a function as an admin action, like Django's @admin.action. `permissions` lists the has…Permission
 * hooks the user must pass ('change', 'delete' …) for the action to be offered.
 * @example admin.register(Post, { actions: [action(publish, { description: 'Publish selected posts' })] })
 */
export function action<F extends (...a: any[]) => unknown>(fn: F, opts: { description?: string; permissions?: string[] } = {}): F & ActionFn {
  const f = fn as F & ActionFn;
  if (opts.description) f.description = opts.description;
  if (opts.permissions) f.permissions = opts.permissions;
  return f;
}

/** One node of "what will be deleted": `Post: Hello` with its cascaded children. */
export interface DeletedNode { label: string; modelName: string; name: string; url?: string; children: DeletedNode[] }

/** What deleting a set of objects implies: the nested list, counts per model, objects that forbid it, missing permissions. */
export interface Deletion {
  nested: DeletedNode[];
  modelCount: Array<{ name: string; count: number }>;
  protected: string[];
  permsNeeded: string[];
  /** Every object to delete, grouped by model, deepest level first (the order to delete in). */
  batches: Array<{ model: AnyModel; objs: any[] }>;
}

/**
 * Collects the objects that deleting `objs` deletes too (foreign keys with onDelete CASCADE, recursively, one
 * query per relation and level), those that forbid it (RESTRICT / NO ACTION rows), and — given a site and a
 * request — the registered models whose delete permission the user lacks.
 * @example const d = await collectDeleted(posts, { site, req }); d.nested[0].label // 'Post: Hello'
 */
export async function collectDeleted(objs: any[], ctx: { site?: any; req?: Request; transaction?: unknown } = {}): Promise<Deletion> {
  const out: Deletion = { nested: [], modelCount: [], protected: [], permsNeeded: [], batches: [] };
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const levels: Array<Map<AnyModel, any[]>> = [];
  const nodeOf = new Map<any, DeletedNode>();
  const nodeFor = async (obj: any): Promise<DeletedNode> => {
    const model = obj.constructor;
    const meta = modelMeta(model);
    const ma = ctx.site?.getModelAdmin?.(model);
    const node: DeletedNode = { label: `${capfirst(meta.verboseName)}: ${displayOf(obj)}`, modelName: capfirst(meta.verboseName), name: displayOf(obj), children: [] };
    if (ma && ctx.site?.urlFor) node.url = ctx.site.urlFor('change', ma, pkOf(obj));
    nodeOf.set(obj, node);
    counts.set(meta.verboseNamePlural, (counts.get(meta.verboseNamePlural) ?? 0) + 1);
    if (ma && ctx.req && !(await ma.hasDeletePermission(ctx.req, obj)) && !out.permsNeeded.includes(meta.verboseName)) out.permsNeeded.push(meta.verboseName);
    return node;
  };
  let frontier: Array<{ obj: any; node: DeletedNode }> = [];
  for (const obj of objs) {
    const node = await nodeFor(obj);
    out.nested.push(node);
    frontier.push({ obj, node });
    seen.add(`${obj.constructor.name}:${String(pkOf(obj))}`);
  }
  while (frontier.length) {
    const level = new Map<AnyModel, any[]>();
    for (const { obj } of frontier) level.set(obj.constructor, [...(level.get(obj.constructor) ?? []), obj]);
    levels.push(level);
    const next: Array<{ obj: any; node: DeletedNode }> = [];
    for (const [model, group] of level) {
      const byPk = new Map(frontier.filter((f) => f.obj.constructor === model).map((f) => [String(pkOf(f.obj)), f.node]));
      const pks = group.map(pkOf);
      for (const rel of reverseRelations(model)) {
        if (rel.onDelete === 'SET NULL' || rel.onDelete === 'SET DEFAULT') continue;
        const related = await rel.model.findAll({ where: { [rel.fk]: { [Op.in]: pks } }, transaction: ctx.transaction });
        for (const child of related) {
          const parent = byPk.get(String(child.get(rel.fk)));
          if (rel.onDelete !== 'CASCADE') {
            out.protected.push(`${capfirst(modelMeta(rel.model).verboseName)}: ${displayOf(child)}`);
            continue;
          }
          const key = `${rel.model.name}:${String(pkOf(child))}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const node = await nodeFor(child);
          parent?.children.push(node);
          next.push({ obj: child, node });
        }
      }
    }
    frontier = next;
  }
  // Many-to-many join rows go too (deleteCollected removes them): list them, as Django's "Post-tag relationship: …".
  for (const level of levels) {
    for (const [model, group] of level) {
      const nodes = new Map<string, DeletedNode>();
      for (const f of group) nodes.set(String(pkOf(f)), nodeOf.get(f)!);
      for (const { through, own, other, target, label } of joinTables(model)) {
        const rows = await through.findAll({ where: { [own]: { [Op.in]: group.map(pkOf) } }, transaction: ctx.transaction, raw: true });
        if (!rows.length) continue;
        const others = await target.findAll({ where: { [pkName(target)]: { [Op.in]: [...new Set(rows.map((r: any) => r[other]))] } }, transaction: ctx.transaction });
        const names = new Map(others.map((o: any) => [String(pkOf(o)), displayOf(o)]));
        for (const row of rows as any[]) {
          const parent = nodes.get(String(row[own]));
          const name = `${parent?.name ?? row[own]} – ${names.get(String(row[other])) ?? row[other]}`;
          parent?.children.push({ label: `${label}: ${name}`, modelName: label, name, children: [] });
          counts.set(`${label}s`, (counts.get(`${label}s`) ?? 0) + 1);
        }
      }
    }
  }
  out.modelCount = [...counts].map(([name, count]) => ({ name, count }));
  for (const level of levels.reverse()) for (const [model, group] of level) out.batches.push({ model, objs: group });
  return out;
}

/** Every join table holding `model`'s rows: its column for them, the other side's column and model, and a label. */
function joinTables(model: AnyModel): Array<{ through: AnyModel; own: string; other: string; target: AnyModel; label: string }> {
  const out = [];
  const seen = new Set<AnyModel>();
  // The model's own associations first, so the label reads from its side ("Product-tag", not "Tag-product").
  const models = [model, ...(Object.values(model.sequelize?.models ?? {}) as AnyModel[]).filter((m) => m !== model)];
  for (const other of models) {
    for (const assoc of manyToMany(other)) {
      const through = assoc.through.model;
      if (seen.has(through)) continue;
      const [a, b] = [modelMeta(assoc.source).verboseName, modelMeta(assoc.target).verboseName];
      const label = `${capfirst(a)}-${b} relationship`;
      if (assoc.source === model) { seen.add(through); out.push({ through, own: assoc.foreignKey, other: assoc.otherKey, target: assoc.target, label }); }
      else if (assoc.target === model) { seen.add(through); out.push({ through, own: assoc.otherKey, other: assoc.foreignKey, target: assoc.source, label }); }
    }
  }
  return out;
}

/**
 * Deletes what collectDeleted() found, deepest first, one statement per model and level: rows pointing at them with
 * onDelete SET NULL are detached, many-to-many join rows (both directions) removed, so the result is the same whether
 * or not the database enforces foreign keys (SQLite without PRAGMA foreign_keys). The selected objects themselves go
 * through the ModelAdmin's deleteQueryset hook.
 * @example await db.transaction((t) => deleteCollected(req, postAdmin, await collectDeleted(posts, { site, req }), t))
 */
export async function deleteCollected(req: Request, modelAdmin: any, deletion: Deletion, transaction: unknown): Promise<void> {
  for (const { model, objs } of deletion.batches) {
    const pks = objs.map(pkOf);
    for (const rel of reverseRelations(model)) {
      if (rel.onDelete === 'SET NULL') await rel.model.update({ [rel.fk]: null }, { where: { [rel.fk]: { [Op.in]: pks } }, transaction });
    }
    for (const assoc of manyToMany(model)) await assoc.through.model.destroy({ where: { [assoc.foreignKey]: { [Op.in]: pks } }, transaction });
    for (const other of Object.values(model.sequelize?.models ?? {}) as AnyModel[]) {
      if (other === model) continue;
      for (const assoc of manyToMany(other)) {
        if (assoc.target === model) await assoc.through.model.destroy({ where: { [assoc.otherKey]: { [Op.in]: pks } }, transaction });
      }
    }
    if (model === modelAdmin.model) await modelAdmin.deleteQueryset(req, objs, transaction);
    else await model.destroy({ where: { [pkName(model)]: { [Op.in]: pks } }, transaction });
  }
}

/**
 * `Delete selected %(verbose_name_plural)s` → `Delete selected posts` (Django's placeholders, or `{verboseNamePlural}`).
 * @example describeAction(deleteSelected, 'deleteSelected', postAdmin.opts) // 'Delete selected posts'
 */
export function describeAction(fn: ActionFn, name: string, meta: { verboseName: string; verboseNamePlural: string }): string {
  const text = fn.description ?? fn.shortDescription ?? capfirst(name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase());
  return text.replace(/%\(verbose_name_plural\)s|\{verboseNamePlural\}/g, meta.verboseNamePlural).replace(/%\(verbose_name\)s|\{verboseName\}/g, meta.verboseName);
}

/**
 * The built-in action: a confirmation page listing every object that will go (cascades included), then, on
 * "Yes, I'm sure", one transaction that logs and deletes them all. Refused while protected rows or missing
 * delete permissions stand in the way.
 * @example admin.register(Post, { actions: [publish] }) // "Delete selected posts" is offered too, to users who may delete
 */
export const deleteSelected: ActionFn = action(async function deleteSelected(modelAdmin: any, req: Request, queryset: SelectedObjects) {
  const objs = await queryset.findAll();
  const meta = modelAdmin.opts ?? modelMeta(modelAdmin.model);
  const site = modelAdmin.site;
  const deletion = await collectDeleted(objs, { site, req });
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.post === 'yes' && !deletion.protected.length && !deletion.permsNeeded.length) {
    if (objs.length) {
      await modelAdmin.model.sequelize.transaction(async (t: unknown) => {
        for (const obj of objs) await modelAdmin.logDeletion(req, obj, displayOf(obj), t);
        await deleteCollected(req, modelAdmin, deletion, t);
      });
      messages.success(req, t('Successfully deleted {count} {name}.', { count: objs.length, name: objs.length === 1 ? meta.verboseName : meta.verboseNamePlural }));
    }
    return undefined;
  }
  const objectName = objs.length === 1 ? meta.verboseName : meta.verboseNamePlural;
  const cannot = deletion.protected.length || deletion.permsNeeded.length;
  const ctx = {
    ...(site?.eachContext ? await site.eachContext(req) : {}),
    title: cannot ? t('Cannot delete {name}', { name: objectName }) : t('Delete multiple objects'),
    subtitle: undefined,
    objectName, opts: meta,
    appUrl: site?.urlFor?.('app', meta.appLabel), changelistUrl: site?.urlFor?.('changelist', modelAdmin),
    appName: capfirst(meta.appLabel),
    deletableObjects: deletion.nested, modelCount: deletion.modelCount,
    protectedObjects: deletion.protected, permsLacking: deletion.permsNeeded,
    selectedPks: objs.map((o) => String(pkOf(o))),
    actionName: 'deleteSelected',
    query: new URL(req.originalUrl ?? req.url ?? '/', 'http://x').search,
  };
  const template = site?.selectTemplate ? site.selectTemplate('delete_selected_confirmation.html', modelAdmin, modelAdmin.deleteSelectedConfirmationTemplate) : 'admin/delete_selected_confirmation.html';
  return render(req, template, ctx);
}, { description: 'Delete selected %(verbose_name_plural)s', permissions: ['delete'] });
