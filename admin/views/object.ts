// The add and change pages of one model: the form, its inlines, one transaction for the whole save, and the redirects.
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { BadRequest, PermissionDenied } from '../../core/conf/errors';
import { redirect } from '../../core/http/responses';
import { render } from '../../core/http/shortcuts';
import { messages } from '../../sessions';
import type { ModelForm, BoundField } from '../forms';
import { InlineFormSet } from '../inlines';
import { capfirst, displayOf, pkName, pkOf } from '../introspect';
import { hasModelPerm, type ModelAdmin, type Fieldset } from '../model-admin';
import { addPreservedFilters } from '../changelist';
import type { ChangeMessage } from '../log';
import { appName, missingObject } from './common';
// The admin's strings: `t` here names transactions, so the translation function goes by gettext.
import { t as gettext } from '../i18n';


/** `/admin/blog/post/3/` → the change page, as Django's old URLs. */
/** Thrown inside the save to leave it when the row changed since the form was rendered. */
const STALE = Symbol('stale');

/**
 * A fingerprint of the row's stored columns (not its relations): what the change form (or a listEditable row) saw
 * when it was rendered. `loaded`: of the values as loaded, ignoring changes set on the instance since.
 */
export function rowVersion(ma: ModelAdmin, obj: any, loaded = false): string {
  const columns = Object.keys(ma.model.rawAttributes).sort();
  const values = columns.map((c) => { const v = loaded ? obj.previous(c) : obj.getDataValue(c); return v instanceof Date ? v.toISOString() : v ?? null; });
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}

export function objectRedirectView(_req: Request, ma: ModelAdmin, params: Record<string, any>) {
  return redirect(ma.site.urlFor('change', ma, params.objectId));
}

export function addView(req: Request, ma: ModelAdmin) {
  return changeformView(req, ma, null);
}

export function changeView(req: Request, ma: ModelAdmin, params: Record<string, any>) {
  return changeformView(req, ma, params.objectId);
}


/**
 * `_popup=1` (the "+" and pencil links beside a relation): the page opens in a small window and, once saved, hands the
 * new object back to the field that opened it. `_to_field` must be an attribute of the model (Django refuses others).
 */
function popupOf(req: Request, ma: ModelAdmin): { toField: string } | undefined {
  const q = new URL(req.originalUrl ?? req.url ?? '/', 'http://x').searchParams;
  const body = (req.method === 'POST' ? req.body ?? {} : {}) as Record<string, unknown>;
  if (q.get('_popup') !== '1' && body._popup !== '1') return undefined;
  const toField = q.get('_to_field') || (typeof body._to_field === 'string' ? body._to_field : '') || pkName(ma.model);
  if (!(toField in ma.model.getAttributes())) throw new BadRequest(`The field ${toField} cannot be referenced.`);
  return { toField };
}

/** Keeps the change list's filters (`_changelist_filters`) on the way back to it. */
function preserved(req: Request, url: string): string {
  return addPreservedFilters(url, req);
}

/** Fieldsets with their fields grouped into lines (a nested array in `fields` is one line). */
async function layout(form: ModelForm, fieldsets: Fieldset[]) {
  const out = [];
  for (const [name, o] of fieldsets) {
    const lines: Array<{ fields: BoundField[] }> = [];
    for (const entry of o.fields) lines.push({ fields: await form.boundFields(Array.isArray(entry) ? entry : [entry]) });
    const classes = o.classes ?? [];
    const hasErrors = lines.some((l) => l.fields.some((f) => f.errors.length));
    out.push({ name, classes: classes.join(' '), collapse: classes.includes('collapse'), hasErrors, description: o.description ?? '', lines });
  }
  return out;
}

/**
 * GET shows the form; POST validates the form and its inlines, and saves object, inlines, many-to-many and the
 * log entry in one transaction, or nothing at all.
 */
export async function changeformView(req: Request, ma: ModelAdmin, objectId: unknown) {
  const body0 = (req.method === 'POST' ? req.body ?? {} : {}) as Record<string, unknown>;
  // saveAs: "Save as new" on a change page adds a copy (its inline rows become new rows too), as Django's.
  const saveAsNew = objectId !== null && ma.saveAs && body0._saveasnew !== undefined;
  if (saveAsNew) objectId = null;
  const add = objectId === null;
  const { verboseName } = ma.opts;
  let obj: any = null;
  if (add) {
    if (!(await ma.hasAddPermission(req))) throw new PermissionDenied();
  } else {
    obj = await ma.getObject(req, objectId);
    if (!obj) return missingObject(req, ma, objectId);
    if (!(await ma.hasViewOrChangePermission(req, obj))) throw new PermissionDenied();
  }
  const canChange = add || (await ma.hasChangePermission(req, obj));
  const popup = popupOf(req, ma);
  // The row as it is now, before this request changes anything: the form carries it, so a save can tell it is stale.
  const objectVersion = obj ? rowVersion(ma, obj) : '';
  if (req.method === 'POST' && !canChange) throw new PermissionDenied();
  const fields = ma.getFields(req, obj ?? undefined);
  const readonly = canChange ? ma.getReadonlyFields(req, obj ?? undefined) : fields;
  const form = ma.getForm(req, obj, {
    fields, readonly, rawIdFields: [...ma.rawIdFields], autocompleteFields: [...ma.autocompleteFields], ma, req,
    initialData: add ? ma.getChangeformInitialData(req) : undefined,
  });
  await form.load();
  // Each inline follows its own model's permissions; on a view-only page its rows are read-only too.
  const formsets: InlineFormSet[] = [];
  for (const inline of ma.getInlines(req, obj ?? undefined)) {
    const [add, change, del, view] = await Promise.all(['add', 'change', 'delete', 'view'].map((a) => hasModelPerm(req, inline.model, a)));
    if (!(add || change || del || view)) continue;
    const fs = new InlineFormSet(inline, ma.model, obj, ma, canChange ? { add, change, delete: del } : { add: false, change: false, delete: false });
    fs.req = req;
    fs.saveAsNew = saveAsNew;
    formsets.push(fs);
  }

  if (req.method === 'POST') {
    const body = (req.body ?? {}) as Record<string, any>;
    const files = (req.files ?? []) as any[];
    form.bind(body, files);
    for (const fs of formsets) await fs.bind(body, files);
    const target = obj ?? ma.model.build({});
    let saved = false;
    try {
      // A managed transaction: whatever the hooks below query without `{ transaction }` joins it.
      await ma.model.sequelize.transaction(async (t: any) => {
        const seen = typeof body._version === 'string' && !add ? body._version : undefined;
        if (seen !== undefined && seen !== objectVersion) {
          // Someone saved this row after the form was opened: keep what the user typed, say so, save nothing. The form now
          // carries the current version, so saving again is a deliberate overwrite.
          form.nonFieldErrors.push(gettext('This {name} was changed by someone else after you opened this page. Your changes were not saved: check the current values (see its history) and save again to overwrite them.', { name: verboseName }));
          throw STALE;
        }
        let valid = await form.validate(target, t);
        for (const fs of formsets) valid = (await fs.validate(t)) && valid;
        if (!valid) throw STALE;
        form.transaction = t;
        await form.saveFiles(target);
        await ma.saveModel(req, target, form, !add);
        await form.saveM2M(target, t);
        const inlineMsg: ChangeMessage = [];
        for (const fs of formsets) inlineMsg.push(...(await fs.save(target, t)));
        if (add) await ma.logAddition(req, target, [{ added: {} }, ...inlineMsg], t);
        else {
          const changed = form.changedLabels();
          await ma.logChange(req, target, [...(changed.length ? [{ changed: { fields: changed } }] : []), ...inlineMsg], t);
        }
      });
      saved = true;
    } catch (err) {
      if (err !== STALE && !form.addUniqueError(err)) throw err;
    }
    if (saved && saveAsNew) {
      messages.success(req, gettext('The {name} “{object}” was added successfully. You may edit it again below.', { name: verboseName, object: displayOf(target) }));
      return redirect(preserved(req, ma.site.urlFor('change', ma, pkOf(target))));
    }
    if (saved) return popup ? popupResponse(req, ma, target, add, popup.toField) : afterSave(req, ma, target, add, body);
    if (add) for (const fs of formsets) fs.parent = null;
  } else {
    for (const fs of formsets) await fs.load();
  }

  const ctx = await ma.site.eachContext(req);
  const inlineContexts = [];
  for (const fs of formsets) inlineContexts.push(await fs.context());
  const errorCount = Object.keys(form.errors).length + form.nonFieldErrors.length;
  const inlineErrors = formsets.some((fs) => fs.nonFormErrors.length || fs.rows.some((r) => Object.keys(r.form.errors).length || r.form.nonFieldErrors.length));
  const hasDelete = !add && (await ma.hasDeletePermission(req, obj));
  const infos = [...form.infos.values()];
  return render(req, ma.site.selectTemplate('change_form.html', ma, ma.changeFormTemplate), {
    ...ctx,
    title: add ? gettext('Add {name}', { name: verboseName }) : canChange ? gettext('Change {name}', { name: verboseName }) : gettext('View {name}', { name: verboseName }),
    subtitle: obj ? displayOf(obj) : null,
    opts: ma.opts,
    appName: appName(ma, ctx),
    appUrl: ma.site.urlFor('app', ma.opts.appLabel),
    changelistUrl: (await ma.hasViewOrChangePermission(req)) ? preserved(req, ma.site.urlFor('changelist', ma)) : null,
    historyUrl: obj ? ma.site.urlFor('history', ma, pkOf(obj)) : null,
    deleteUrl: hasDelete ? preserved(req, ma.site.urlFor('delete', ma, pkOf(obj))) : null,
    add,
    change: !add,
    original: obj ? displayOf(obj) : null,
    canChange,
    fieldsets: await layout(form, ma.getFieldsets(req, obj ?? undefined)),
    nonFieldErrors: form.nonFieldErrors,
    objectVersion,
    errors: errorCount > 0 || inlineErrors,
    errorCount,
    inlineFormsets: inlineContexts,
    isMultipart: infos.some((i) => i.kind === 'file' || i.kind === 'image') || formsets.some((fs) => fs.rows.some((r) => [...r.form.infos.values()].some((i) => i.kind === 'file' || i.kind === 'image'))),
    isPopup: Boolean(popup),
    toField: popup?.toField,
    showSave: canChange,
    saveOnTop: ma.saveOnTop,
    showSaveAsNew: !add && canChange && ma.saveAs && !popup && (await ma.hasAddPermission(req)),
    viewOnSiteUrl: obj && !popup ? ma.getViewOnSiteUrl(obj) : null,
    prepopulated: prepopulatedOf(req, ma, form, obj),
    // SPEC: savePlus: false hides both extra buttons; saveAsContinue: false only "Save and continue editing".
    showSaveAndContinue: canChange && ma.savePlus !== false && ma.saveAsContinue !== false,
    showSaveAndAddAnother: canChange && !popup && ma.savePlus !== false && (await ma.hasAddPermission(req)),
    hasAutocomplete: (form.opts.autocompleteFields?.length ?? 0) > 0,
  });
}

/** The page a saved popup answers with: popup_response.js hands the object to the opener's field and closes the window. */
async function popupResponse(req: Request, ma: ModelAdmin, obj: any, add: boolean, toField: string) {
  const data = { action: add ? 'add' : 'change', value: String(obj.get(toField) ?? ''), obj: displayOf(obj), pk: String(pkOf(obj)) };
  return render(req, ma.site.selectTemplate('popup_response.html', ma), { ...(await ma.site.eachContext(req)), isPopup: true, title: gettext('Popup closing…'), popupResponseData: JSON.stringify(data) });
}

/** prepopulatedFields as prepopulate.js reads them: `[{ id: 'id_slug', from: ['id_title'], maxLength: 50 }]`. */
function prepopulatedOf(req: Request, ma: ModelAdmin, form: ModelForm, obj: any) {
  const out = [];
  for (const [target, sources] of Object.entries(ma.getPrepopulatedFields(req, obj ?? undefined) ?? {})) {
    const info = form.infos.get(target);
    if (!info) continue;
    const from = (Array.isArray(sources) ? sources : [sources]).filter((f) => form.infos.has(String(f))).map((f) => `id_${f}`);
    if (from.length) out.push({ id: `id_${target}`, from, maxLength: info.maxLength ?? 50 });
  }
  return out;
}

/** Django's messages and redirects after a save: continue editing, add another, or back to the list. */
async function afterSave(req: Request, ma: ModelAdmin, obj: any, add: boolean, body: Record<string, any>) {
  const name = ma.opts.verboseName;
  const params = { name, object: displayOf(obj) };
  const what = add ? gettext('The {name} “{object}” was added successfully.', params) : gettext('The {name} “{object}” was changed successfully.', params);
  const pk = pkOf(obj);
  if (body._continue !== undefined) {
    messages.success(req, add ? gettext('The {name} “{object}” was added successfully. You may edit it again below.', params) : gettext('The {name} “{object}” was changed successfully. You may edit it again below.', params));
    return redirect(preserved(req, ma.site.urlFor('change', ma, pk)));
  }
  if (body._addanother !== undefined) {
    messages.success(req, add ? gettext('The {name} “{object}” was added successfully. You may add another {name} below.', params) : gettext('The {name} “{object}” was changed successfully. You may add another {name} below.', params));
    return redirect(preserved(req, ma.site.urlFor('add', ma)));
  }
  messages.success(req, what);
  if (await ma.hasViewOrChangePermission(req)) return redirect(preserved(req, ma.site.urlFor('changelist', ma)));
  return redirect(ma.site.urlFor('index'));
}
