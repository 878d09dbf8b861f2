// The change list page: GET shows the list; POST runs an action on the selected rows or saves listEditable rows.
import type { Request } from 'express';
import { Op } from '../../core/db/op';
import { BadRequest, PermissionDenied } from '../../core/conf/errors';
import { redirect, Response } from '../../core/http/responses';
import { render } from '../../core/http/shortcuts';
import { messages } from '../../sessions/messages';
import { ChangeList, ACTION_CHECKBOX, type Column } from '../changelist';
import { deleteSelected, describeAction, SelectedObjects, type ActionFn } from '../actions';
import { capfirst, cleanPk, defaultOrder, displayOf, fieldInfo, pkName, pkOf, type FieldInfo } from '../introspect';
import { cleanField } from '../forms';
import { escapeHtml, formatValue, renderWidget } from '../widgets';
import { rowVersion } from './object';
import { t as gettext } from '../i18n';

type MA = any;
/** Above this many related rows an editable foreign key is a plain id input, not a select. */
const MAX_SELECT_CHOICES = 1000;

/** One offered action: its name in the form, the function, and the label of the dropdown. */
export interface BoundAction { name: string; fn: ActionFn; description: string }

/**
 * The actions this user may run: "Delete selected …" when they may delete, then the ModelAdmin's, filtered by permissions.
 * @example (await availableActions(req, postAdmin)).map((a) => a.description) // ['Delete selected posts', 'Publish selected posts']
 */
export async function availableActions(req: Request, ma: MA): Promise<BoundAction[]> {
  const declared: unknown[] = typeof ma.getActions === 'function' ? ma.getActions(req) : (ma.actions ?? []);
  const entries: Array<[string, ActionFn]> = [];
  if (declared === null) return [];
  entries.push(['deleteSelected', deleteSelected]);
  for (const a of declared ?? []) {
    if (typeof a === 'function') entries.push([a.name || 'action', a as ActionFn]);
    else if (typeof a === 'string' && typeof ma[a] === 'function') {
      const fn = ma[a] as ActionFn;
      const bound = ((m: MA, r: Request, qs: SelectedObjects) => fn.call(ma, m, r, qs)) as ActionFn;
      Object.assign(bound, { description: fn.description, shortDescription: fn.shortDescription, permissions: fn.permissions });
      entries.push([a, bound]);
    }
  }
  const out: BoundAction[] = [];
  for (const [name, fn] of entries) {
    if (out.some((b) => b.name === name)) continue;
    let allowed = true;
    for (const perm of fn.permissions ?? []) {
      const hook = ma[`has${capfirst(perm)}Permission`];
      if (typeof hook !== 'function' || !(await hook.call(ma, req))) allowed = false;
    }
    if (allowed) out.push({ name, fn, description: describeAction(fn, name, ma.opts) });
  }
  return out;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];
}

/**
 * `admin:<label>_<model>_changelist`: the list with search, filters, sort, pages, actions and listEditable.
 * Lookups the list did not whitelist answer 400 (BadRequest); users without view or change permission get 403.
 * @example path('', site.adminView((req) => changelistView(req, postAdmin)), { name: 'blog_post_changelist' })
 */
export async function changelistView(req: Request, ma: MA): Promise<Response> {
  const canChange = await ma.hasChangePermission(req);
  if (!canChange && !(await ma.hasViewPermission(req))) throw new PermissionDenied();
  // A raw-id lookup opens the list as a popup (`?_popup=1&_to_field=id`): pick a row, no actions, no editing.
  const popup = popupOf(req, ma);
  const actions = popup ? [] : await availableActions(req, ma);
  // A GET formats the page's rows while the database counts them (context awaits cl.ready() before the paginator).
  const cl = await ChangeList.build(req, ma, { actions: actions.length > 0, deferCount: req.method === 'GET' });
  const here = req.originalUrl ?? req.url;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const editable: string[] = canChange && !popup ? (ma.listEditable ?? []) : [];
  let rowErrors: Map<string, Record<string, string>> | undefined;
  if (req.method === 'POST') {
    if (!('_save' in body) && typeof body.action === 'string') return runAction(req, ma, cl, actions, body, here);
    if ('_save' in body && editable.length) {
      rowErrors = await saveEditable(req, ma, cl, editable, body);
      if (!rowErrors) return redirect(await pageThatExists(cl, here));
      messages.error(req, gettext('Please correct the errors below.'));
    }
  }
  return render(req, ma.site.selectTemplate('change_list.html', ma, ma.changeListTemplate), await context(req, ma, cl, actions, editable, canChange, body, rowErrors, popup));
}

/** `_popup=1` with an optional `_to_field` naming an attribute of the model (anything else is refused, as Django does). */
function popupOf(req: Request, ma: MA): { toField: string } | undefined {
  const q = new URL(req.originalUrl ?? req.url ?? '/', 'http://x').searchParams;
  if (q.get('_popup') !== '1') return undefined;
  const toField = q.get('_to_field') || pkName(ma.model);
  if (!(toField in ma.model.getAttributes())) throw new BadRequest(`The field ${toField} cannot be referenced.`);
  return { toField };
}

/** Runs the chosen action on the selected rows (or every row matching the filters with select_across). */
async function runAction(req: Request, ma: MA, cl: ChangeList, actions: BoundAction[], body: Record<string, unknown>, here: string): Promise<Response> {
  const chosen = actions.find((a) => a.name === list(body.action).filter(Boolean).pop());
  if (!chosen) {
    messages.warning(req, gettext('No action selected.'));
    return redirect(here);
  }
  const selectAcross = list(body.select_across).includes('1');
  const pks = list(body._selected_action).map((p) => cleanPk(cl.model, p)).filter((p) => p !== undefined);
  if (!selectAcross && pks.length === 0) {
    messages.warning(req, 'Items must be selected in order to perform actions on them. No items have been changed.');
    return redirect(here);
  }
  const where = selectAcross ? cl.where : { [Op.and]: [cl.where, { [pkName(cl.model)]: { [Op.in]: pks } }] };
  const result = await chosen.fn(ma, req, new SelectedObjects(cl.model, where, cl.countInclude));
  if (result instanceof Response) return result;
  return redirect(await pageThatExists(cl, here));
}

/** Back to the same page after an action, or to the last one that still exists (deleting a whole last page). */
async function pageThatExists(cl: ChangeList, here: string): Promise<string> {
  if (cl.page <= 1 || cl.showAll) return here;
  const remaining = await cl.model.count({ where: cl.where, include: cl.countInclude, distinct: cl.countInclude.length > 0, col: pkName(cl.model) });
  const last = Math.max(1, Math.ceil(remaining / cl.listPerPage));
  if (cl.page <= last) return here;
  const url = new URL(here, 'http://x');
  if (last === 1) url.searchParams.delete('p'); else url.searchParams.set('p', String(last));
  return `${url.pathname}${url.search}`;
}

/** Validates every edited row; saves them all in one transaction, or none and returns the errors per row. */
async function saveEditable(req: Request, ma: MA, cl: ChangeList, editable: string[], body: Record<string, unknown>): Promise<Map<string, Record<string, string>> | undefined> {
  const total = Math.min(Number(list(body['form-TOTAL_FORMS'])[0] ?? 0) || 0, cl.results.length);
  const fields = editable.map((n) => fieldInfo(cl.model, n)).filter(Boolean) as FieldInfo[];
  const byPk = new Map(cl.results.map((o) => [String(pkOf(o)), o]));
  const errors = new Map<string, Record<string, string>>();
  const changed: Array<{ obj: any; fields: string[] }> = [];
  for (let i = 0; i < total; i++) {
    const pk = list(body[`form-${i}-id`])[0];
    const obj = pk !== undefined ? byPk.get(pk) : undefined;
    if (!obj) continue;
    const rowErr: Record<string, string> = {};
    const names: string[] = [];
    for (const f of fields) {
      const raw = body[`form-${i}-${f.name}`] as string | string[] | undefined;
      if ([raw].flat().some((v) => typeof v === 'string' && v.includes('\0'))) { rowErr[f.name] = gettext('Null characters are not allowed.'); continue; }
      const cleaned = cleanField(f, raw);
      if (cleaned.error) { rowErr[f.name] = cleaned.error; continue; }
      if (String(obj.get(f.name) ?? '') !== String(cleaned.value ?? '')) { obj.set(f.name, cleaned.value); names.push(f.name); }
    }
    if (!Object.keys(rowErr).length && names.length) {
      try { await obj.validate({ fields: names }); } catch (err: any) {
        for (const item of err?.errors ?? []) rowErr[item.path ?? '__all__'] = item.message;
        if (!err?.errors) rowErr.__all__ = String(err?.message ?? err);
      }
    }
    if (Object.keys(rowErr).length) errors.set(pk!, rowErr);
    else if (names.length) changed.push({ obj, fields: names });
  }
  if (errors.size) return errors;
  const seen = new Map(Array.from({ length: total }, (_, i) => [list(body[`form-${i}-id`])[0], list(body[`form-${i}-_version`])[0]]));
  try {
    await cl.model.sequelize.transaction(async (t: any) => {
      await refuseStale(ma, cl, changed.map((c) => c.obj), seen, t);
      for (const { obj, fields: names } of changed) {
        await ma.saveModel(req, obj, { transaction: t }, true);
        await ma.logChange(req, obj, [{ changed: { fields: names.map((n) => capfirst(fieldInfo(cl.model, n)?.verboseName ?? n)) } }], t);
      }
    });
  } catch (err: any) {
    if (err instanceof StaleRows) {
      const message = gettext('This {name} was changed by someone else after you opened this page. Your changes were not saved: check the current values and save again to overwrite them.', { name: ma.opts.verboseName });
      for (const pk of err.pks) errors.set(pk, { __all__: message });
      return errors;
    }
    // A unique constraint or a database check: report it on the rows instead of a 500, nothing is saved.
    if (!err?.errors && !/Sequelize(Unique|Validation|ForeignKey)/.test(String(err?.name))) throw err;
    for (const { obj } of changed) errors.set(String(pkOf(obj)), { __all__: (err.errors?.[0]?.message ?? err.message) as string });
    return errors;
  }
  if (changed.length) {
    const n = changed.length;
    messages.success(req, `${n} ${n === 1 ? ma.opts.verboseName : ma.opts.verboseNamePlural} ${n === 1 ? 'was' : 'were'} changed successfully.`);
  }
  return undefined;
}

/** Rows saved by someone else since the list was rendered; the save is refused, as the change form refuses it. */
class StaleRows extends Error {
  constructor(readonly pks: string[]) { super('stale rows'); }
}

/** The version a stale row is shown with again: the current one, so that saving again overwrites knowingly. */
const currentVersion = new WeakMap<object, string>();

/**
 * Re-reads the changed rows inside the saving transaction (locked for update where the database can) and throws
 * StaleRows for those whose version differs from the one their form carried. A row posted without a version (a
 * script) is not checked, as on the change form.
 */
async function refuseStale(ma: MA, cl: ChangeList, objs: any[], seen: Map<string | undefined, string | undefined>, t: any): Promise<void> {
  const checked = objs.filter((o) => seen.get(String(pkOf(o))) !== undefined);
  if (!checked.length) return;
  const fresh = await cl.model.findAll({ where: { [pkName(cl.model)]: { [Op.in]: checked.map(pkOf) } }, transaction: t, lock: t.LOCK?.UPDATE });
  const now = new Map<string, string>(fresh.map((o: any) => [String(pkOf(o)), rowVersion(ma, o)]));
  const stale = checked.filter((o) => now.get(String(pkOf(o))) !== seen.get(String(pkOf(o))));
  for (const o of stale) currentVersion.set(o, now.get(String(pkOf(o))) ?? '');
  if (stale.length) throw new StaleRows(stale.map((o) => String(pkOf(o))));
}

/** The template context: Django's names where a Django user would look for them, camelCased. */
async function context(req: Request, ma: MA, cl: ChangeList, actions: BoundAction[], editable: string[], canChange: boolean,
  body: Record<string, unknown>, rowErrors?: Map<string, Record<string, string>>, popup?: { toField: string }): Promise<Record<string, unknown>> {
  const site = ma.site;
  const meta = ma.opts;
  const preserved = cl.preservedFilters();
  const links = cl.linkColumns();
  // Editable foreign keys: a select of every row up to MAX_SELECT_CHOICES; above, the autocomplete box when the
  // related admin can search, else an id input — never a page that loads a whole table.
  const fkChoices = new Map<string, Array<[unknown, string]> | undefined>();
  const fkAutocomplete = new Set<string>();
  for (const name of editable) {
    const f = fieldInfo(cl.model, name);
    if (f?.kind !== 'fk') continue;
    if ((await f.related.count()) <= MAX_SELECT_CHOICES) {
      const rows = await f.related.findAll({ order: defaultOrder(f.related) });
      fkChoices.set(name, rows.map((r: any) => [r.get(f.relatedKey!), displayOf(r)]));
    } else if (site.getModelAdmin(f.related)?.searchFields?.length) fkAutocomplete.add(name);
  }
  const autocompleteFor = (f: FieldInfo) => ({ url: `${site.urlFor('index')}autocomplete/`, appLabel: meta.appLabel, modelName: meta.modelName, fieldName: f.name });
  const rows = await Promise.all(cl.results.map(async (obj, i) => {
    const pk = String(pkOf(obj));
    const changeUrl = `${site.urlFor('change', ma, pkOf(obj))}${preserved ? `?${preserved}` : ''}`;
    const errors = rowErrors?.get(pk) ?? {};
    const cells = await Promise.all(cl.columns.filter((c) => c.kind !== 'checkbox').map(async (col: Column) => {
      const cell = (await cl.cell(obj, col, links.has(col.name) ? changeUrl : undefined)) as any;
      if (cell.bool !== undefined) {
        cell.icon = cell.bool === null ? 'unknown' : cell.bool ? 'yes' : 'no';
        [cell.iconLabel, cell.iconChar] = { yes: ['Yes', '✔'], no: ['No', '✘'], unknown: ['Unknown', '?'] }[cell.icon as 'yes' | 'no' | 'unknown'];
      }
      if (editable.includes(col.name) && col.field) {
        const f = col.field;
        const name = `form-${i}-${f.name}`;
        const submitted = rowErrors ? (f.kind === 'boolean' ? name in body : (body[name] as string | undefined) ?? '') : undefined;
        const value = submitted !== undefined ? submitted : formatValue(f, obj.get(f.name));
        const auto = fkAutocomplete.has(col.name);
        const current = auto && obj.get(f.alias!) ? [[value, displayOf(obj.get(f.alias!))] as [unknown, string]] : [];
        cell.widget = renderWidget(f, value as string | boolean, {
          name, id: `id_${name}`, hasErrors: Boolean(errors[f.name]),
          choices: auto ? current : fkChoices.get(col.name),
          rawId: f.kind === 'fk' && !auto && !fkChoices.get(col.name),
          autocomplete: auto ? autocompleteFor(f) : undefined,
        });
        cell.error = errors[f.name];
      }
      return cell;
    }));
    // The version (a hash of the row) only matters to a row that can be saved.
    const hidden = editable.length ? `<input type="hidden" name="form-${i}-id" value="${escapeHtml(pk)}"><input type="hidden" name="form-${i}-_version" value="${escapeHtml(currentVersion.get(obj) ?? rowVersion(ma, obj, true))}">` : '';
    const popupValue = popup ? String(obj.get(popup.toField) ?? '') : undefined;
    return { pk, cells, hidden, errors: errors.__all__, label: displayOf(obj), popupValue };
  }));
  const title = canChange ? gettext('Select {name} to change', { name: meta.verboseName }) : gettext('Select {name} to view', { name: meta.verboseName });
  const each = await site.eachContext(req);
  const headers = cl.headers();
  const filterSpecs = cl.filterSpecs();
  const dateLinks = await cl.dateLinks();
  const hasAddPermission = await ma.hasAddPermission(req);
  await cl.ready();
  return {
    ...each,
    title: popup ? gettext('Select {name}', { name: meta.verboseName }) : title, subtitle: undefined, opts: meta, cl, modelAdmin: ma, isPopup: Boolean(popup),
    appLabel: meta.appLabel, appUrl: site.urlFor('app', meta.appLabel), appName: capfirst(meta.appLabel),
    headers, rows, hasActions: actions.length > 0, actions, actionCheckbox: ACTION_CHECKBOX,
    filterSpecs, dateLinks, hasFilters: cl.filters.length > 0,
    hasSearch: cl.searchFields.length > 0, query: cl.query, searchHelpText: ma.searchHelpText, resultCount: cl.resultCount, fullResultCount: cl.fullResultCount, showFullResultCount: cl.showFullResultCount,
    isFiltered: cl.isFiltered, hasActiveFilters: cl.hasFilters, clearAllUrl: cl.getQueryString({}, cl.filterParamNames()),
    countLabel: `${cl.resultCount} ${cl.resultCount === 1 ? meta.verboseName : meta.verboseNamePlural}`,
    pages: cl.multiPage && !cl.showAll ? cl.pageRange().map((n) => (n === '…' ? { gap: true } : { n, current: n === cl.page, url: cl.getQueryString({ p: n }) })) : [],
    showAllUrl: cl.canShowAll && !cl.showAll && cl.multiPage ? cl.getQueryString({ all: '' }) : null,
    hiddenSearchParams: Object.entries(cl.params).filter(([k]) => k !== 'q' && k !== '_changelist_filters').map(([name, value]) => ({ name, value })),
    hasAddPermission,
    addUrl: `${site.urlFor('add', ma)}${preserved ? `?${preserved}` : ''}`,
    editable: editable.length > 0, totalForms: rows.length, hasAutocomplete: fkAutocomplete.size > 0,
    showNavSidebar: !popup,
  };
}
