// Inline formsets: the related rows (comments of a post) edited on the parent's page, with add/delete rows.
import { BadRequest } from '../core/conf/errors';
import { capfirst, displayOf, formFieldNames, modelMeta, pkName, pkOf, cleanPk, type FieldInfo } from './introspect';
import { ModelForm } from './forms';
import type { InlineOptions } from './model-admin';
import type { ChangeMessage } from './log';
import { t } from './i18n';

/** Refuse absurd TOTAL_FORMS values instead of building a million forms (Django's absolute max). */
const ABSOLUTE_MAX_FORMS = 1000;

interface InlineRow { form: ModelForm; instance: any | null; delete: boolean; pk?: unknown }

/**
 * The rows of one inline on a parent's form. Inputs are named Django's way: `comment_set-0-body`,
 * `comment_set-TOTAL_FORMS`, `comment_set-0-id`, `comment_set-0-DELETE`.
 */
export class InlineFormSet {
  readonly model: any;
  readonly fk: string;
  readonly prefix: string;
  readonly fields: string[];
  rows: InlineRow[] = [];
  nonFormErrors: string[] = [];
  /** The request, for the related models' permissions (links beside relations, showChangeLink). */
  req?: any;
  /** "Save as new": every posted row is a new row of the copy (their ids are ignored). */
  saveAsNew = false;

  constructor(public inline: InlineOptions, public parentModel: any, public parent: any | null, public ma?: any,
    /** What the user may do with the related rows (their model's permissions, as Django's inlines). */
    public perms: { add: boolean; change: boolean; delete: boolean } = { add: true, change: true, delete: true }) {
    this.model = inline.model;
    const fks = Object.values(this.model.associations ?? {}).filter((a: any) => a.associationType === 'BelongsTo' && a.target === parentModel) as any[];
    const fk = inline.fkName ? fks.find((a) => a.foreignKey === inline.fkName || a.as === inline.fkName) : fks[0];
    if (!fk) throw new Error(`${modelMeta(this.model).name} has no foreign key to ${modelMeta(parentModel).name}.`);
    this.fk = fk.foreignKey;
    this.prefix = `${modelMeta(this.model).modelName}_set`;
    const exclude = new Set([...(inline.exclude ?? []), this.fk, fk.as]);
    this.fields = (inline.fields ?? formFieldNames(this.model)).filter((f) => !exclude.has(f));
  }

  get verboseName(): string { return this.inline.verboseName ?? modelMeta(this.model).verboseName; }
  get verboseNamePlural(): string { return this.inline.verboseNamePlural ?? modelMeta(this.model).verboseNamePlural; }
  get canDelete(): boolean { return this.inline.canDelete !== false && this.perms.delete; }
  get canAdd(): boolean { return this.perms.add; }

  private newForm(i: number | string, instance: any | null): ModelForm {
    // Rows the user may not change are shown read-only: their inputs don't exist, so nothing posted is read.
    const readonly = instance && !this.perms.change ? this.fields : this.inline.readonlyFields;
    const { rawIdFields = [], autocompleteFields = [], filterHorizontal = [], filterVertical = [] } = this.inline;
    return new ModelForm(this.model, instance, {
      fields: this.fields, readonly, prefix: `${this.prefix}-${i}-`, ma: this.ma, req: this.req,
      rawIdFields: [...rawIdFields], autocompleteFields: [...autocompleteFields], filterHorizontal, filterVertical,
    });
  }

  private async existing(transaction?: unknown): Promise<any[]> {
    if (!this.parent) return [];
    return this.model.findAll({ where: { [this.fk]: pkOf(this.parent) }, order: [[pkName(this.model), 'ASC']], transaction });
  }

  /** The unbound rows: existing related rows, then `extra` empty ones. */
  async load(): Promise<this> {
    const rows = await this.existing();
    rows.forEach((r: any, i: number) => this.rows.push({ form: this.newForm(i, r), instance: r, delete: false, pk: pkOf(r) }));
    const max = this.inline.maxNum ?? ABSOLUTE_MAX_FORMS;
    const wanted = Math.max(this.inline.extra ?? 3, (this.inline.minNum ?? 0) - rows.length);
    const extra = this.canAdd ? Math.max(0, Math.min(wanted, max - rows.length)) : 0;
    for (let i = 0; i < extra; i++) this.rows.push({ form: this.newForm(rows.length + i, null), instance: null, delete: false });
    for (const row of this.rows) await row.form.load();
    return this;
  }

  /** Binds the posted rows; ids that don't belong to this parent are refused, empty extra rows skipped. */
  async bind(body: Record<string, any>, files: any[] = [], transaction?: unknown): Promise<this> {
    const total = Number(body[`${this.prefix}-TOTAL_FORMS`]);
    if (!Number.isInteger(total) || total < 0) throw new BadRequest('ManagementForm data is missing or has been tampered with.');
    if (total > ABSOLUTE_MAX_FORMS) throw new BadRequest(`Please submit at most ${ABSOLUTE_MAX_FORMS} forms.`);
    const existing = new Map((await this.existing(transaction)).map((r: any) => [String(pkOf(r)), r]));
    for (let i = 0; i < total; i++) {
      const rawId = this.saveAsNew ? undefined : body[`${this.prefix}-${i}-id`];
      const id = typeof rawId === 'string' && rawId !== '' ? cleanPk(this.model, rawId) : undefined;
      const instance = id !== undefined ? existing.get(String(id)) : null;
      if (rawId && !instance) { this.nonFormErrors.push(t('The {name} with ID “{id}” doesn’t exist. Perhaps it was deleted?', { name: this.verboseName, id: rawId })); continue; }
      if (!instance && !this.canAdd) continue;
      const form = this.newForm(i, instance ?? null);
      await form.load();
      form.bind(body, files.filter((f) => f.fieldname.startsWith(`${this.prefix}-${i}-`)));
      // An extra row left empty is not a form the user filled in: no "This field is required." on it.
      if (!instance && !form.hasChanged()) { form.errors = {}; form.nonFieldErrors = []; }
      const del = this.canDelete && Boolean(body[`${this.prefix}-${i}-DELETE`]);
      this.rows.push({ form, instance: instance ?? null, delete: del, pk: instance ? pkOf(instance) : undefined });
    }
    return this;
  }

  /** Rows that will be saved: changed existing ones and new ones the user filled in. */
  private active(): InlineRow[] {
    return this.rows.filter((r) => !r.delete && (r.instance ? true : r.form.hasChanged()));
  }

  async validate(transaction?: unknown): Promise<boolean> {
    // minNum/maxNum hold on the server too: the browser's "Add another" limit is only a convenience.
    const kept = this.active().length;
    const { minNum, maxNum } = this.inline;
    if (maxNum !== undefined && kept > maxNum) this.nonFormErrors.push(t('Please submit {count} or fewer forms.', { count: maxNum }));
    if (minNum !== undefined && kept < minNum) this.nonFormErrors.push(t('Please submit {count} or more forms.', { count: minNum }));
    let ok = this.nonFormErrors.length === 0;
    for (const row of this.active()) {
      const obj = row.instance ?? this.model.build({});
      if (this.parent) obj.set(this.fk, pkOf(this.parent));
      if (!(await row.form.validate(obj, transaction))) ok = false;
      row.instance = row.instance ?? null;
      (row as InlineRow & { obj?: any }).obj = obj;
    }
    return ok;
  }

  /** Deletes, updates and creates rows for `parent` inside the transaction; returns the change-message parts. */
  async save(parent: any, transaction?: unknown): Promise<ChangeMessage> {
    const msg: ChangeMessage = [];
    const name = this.verboseName;
    for (const row of this.rows) {
      if (row.delete && row.instance) {
        msg.push({ deleted: { name, object: displayOf(row.instance) } });
        await row.instance.destroy({ transaction });
      }
    }
    for (const row of this.active()) {
      const obj = (row as InlineRow & { obj?: any }).obj ?? row.instance ?? this.model.build({});
      const changed = row.form.changedLabels();
      if (row.instance && !changed.length) continue;
      row.form.applyTo(obj);
      obj.set(this.fk, pkOf(parent));
      await row.form.saveFiles(obj);
      await obj.save({ transaction });
      await row.form.saveM2M(obj, transaction);
      msg.push(row.instance ? { changed: { name, object: displayOf(obj), fields: changed } } : { added: { name, object: displayOf(obj) } });
    }
    return msg;
  }

  /** showChangeLink: the related object's change page, when it is registered and the user may see it. */
  private async changeLink(obj: any): Promise<string | undefined> {
    if (!this.inline.showChangeLink || !this.ma?.site) return undefined;
    const admin = this.ma.site.getModelAdmin(this.model);
    if (!admin || (this.req && !(await admin.hasViewOrChangePermission(this.req, obj)))) return undefined;
    return this.ma.site.urlFor('change', admin, pkOf(obj));
  }

  /** The formset as the template shows it: management inputs, rows of bound fields and an empty row for "Add another". */
  async context(): Promise<Record<string, unknown>> {
    const rows = [];
    for (const [i, row] of this.rows.entries()) {
      rows.push({
        index: i,
        pk: row.pk,
        changeUrl: row.instance ? await this.changeLink(row.instance) : undefined,
        original: row.instance ? displayOf(row.instance) : null,
        fields: await row.form.boundFields(),
        errors: Object.keys(row.form.errors).length > 0 || row.form.nonFieldErrors.length > 0,
        nonFieldErrors: row.form.nonFieldErrors,
        deleteChecked: row.delete,
      });
    }
    const empty = this.newForm('__prefix__', null);
    await empty.load();
    const initial = this.rows.filter((r) => r.instance).length;
    const labels = (await empty.boundFields()).map((f) => ({ label: f.label, required: f.required, helpText: f.helpText }));
    return {
      prefix: this.prefix,
      style: this.inline.style ?? 'tabular',
      verboseName: capfirst(this.verboseName),
      verboseNamePlural: capfirst(this.verboseNamePlural),
      canDelete: this.canDelete,
      canAdd: this.canAdd,
      totalForms: this.rows.length,
      initialForms: initial,
      maxNum: this.inline.maxNum ?? ABSOLUTE_MAX_FORMS,
      minNum: this.inline.minNum ?? 0,
      classes: (this.inline.classes ?? []).join(' '),
      rows,
      labels,
      emptyRow: { index: '__prefix__', fields: await empty.boundFields(), errors: false, nonFieldErrors: [] },
      nonFormErrors: this.nonFormErrors,
    };
  }
}

export type { FieldInfo };
