// The admin's model form: initial values, parsing and cleaning of a POST, validation (types, required, sequelize, unique), saving.
import fs from 'node:fs';
import nodePath from 'node:path';
import crypto from 'node:crypto';
import { Op } from '../core/db/op';
import { state } from '../core/conf/state';
import { capfirst, defaultOrder, displayOf, fieldInfo, modelMeta, pkName, pkOf, cleanPk, words, type FieldInfo } from './introspect';
import { cleanField, REQUIRED, type Raw } from './clean';
import { formatDecimal, formatValue, renderReadonly, renderWidget } from './widgets';
import { formatDate, formatDateTime, formatNumber } from './formats';
import { t } from './i18n';

export { cleanField };

/** Above this many rows a relation select becomes an autocomplete or an id input (no page loads a whole table). */
const MAX_SELECT_CHOICES = 1000;

/** What a form needs besides the model: which fields, which are read-only, its input prefix and widget choices. */
export interface FormOptions {
  fields: string[];
  readonly?: string[];
  prefix?: string;
  rawIdFields?: string[];
  autocompleteFields?: string[];
  /** The ModelAdmin, for read-only fields that are its methods and for lookup URLs. */
  ma?: any;
  /** Form-only fields (not model attributes), e.g. the user add form's passwords. */
  extraFields?: FieldInfo[];
  /** Labels and help texts that replace the model's for this form (Django's Meta.labels / help_texts). */
  labels?: Record<string, string>;
  helpTexts?: Record<string, string>;
  /** The request: permissions of the related models ("+" and pencil links, raw-id labels). */
  req?: any;
  /** False hides the "+"/pencil links (inline rows of a popup, the user admin's own forms). */
  relatedLinks?: boolean;
  filterHorizontal?: string[];
  filterVertical?: string[];
  /** Initial values of a new object as strings (`?title=Hello` on the add page, Django's initial data). */
  initialData?: Record<string, unknown>;
}

/**
 * A sequelize validation error as a person reads it: "Validation min on price failed" → Django's "Ensure this value is
 * greater than or equal to 0."; a message the model's author wrote (`{ min: { args: 0, msg } }`) is kept.
 */
export function validatorMessage(item: any, err?: any): string {
  const key: string = item?.validatorKey ?? '';
  const raw = String(item?.message ?? err?.message ?? '');
  if (key === 'is_null' || item?.type === 'notNull Violation' || key === 'notEmpty') return t(REQUIRED);
  if (raw !== `Validation ${key} on ${item?.path} failed`) return raw;
  const args: unknown[] = Array.isArray(item.validatorArgs) ? item.validatorArgs : [item.validatorArgs];
  const length = String(item.value ?? '').length;
  switch (key) {
    case 'min': return t('Ensure this value is greater than or equal to {limit}.', { limit: args[0] });
    case 'max': return t('Ensure this value is less than or equal to {limit}.', { limit: args[0] });
    case 'len': {
      const [lo, hi] = (Array.isArray(args[0]) ? args[0] : args) as number[];
      return length < Number(lo)
        ? t('Ensure this value has at least {limit} characters (it has {length}).', { limit: lo, length, count: lo })
        : t('Ensure this value has at most {limit} characters (it has {length}).', { limit: hi, length, count: hi });
    }
    case 'isEmail': return t('Enter a valid email address.');
    case 'isUrl': return t('Enter a valid URL.');
    case 'isInt': return t('Enter a whole number.');
    case 'isNumeric': case 'isDecimal': case 'isFloat': return t('Enter a number.');
    case 'isDate': case 'isAfter': case 'isBefore': return t('Enter a valid date.');
    case 'isUUID': return t('Enter a valid UUID.');
    case 'isIP': case 'isIPv4': case 'isIPv6': return t('Enter a valid IPv4 or IPv6 address.');
    case 'isIn': case 'notIn': return t('Select a valid choice. {value} is not one of the available choices.', { value: String(item.value) });
    default: return t('Enter a valid value.');
  }
}

/** A read-only value in the locale's format: datetimes in TIME_ZONE, dates, decimals with their scale. */
function readonlyDisplay(info: FieldInfo, v: unknown): unknown {
  if (v === null || v === undefined || v === '') return v;
  if (info.kind === 'datetime') { const d = v instanceof Date ? v : new Date(String(v)); return Number.isNaN(d.getTime()) ? String(v) : formatDateTime(d); }
  if (info.kind === 'date') return formatDate(v as string);
  if (info.kind === 'decimal') return formatNumber(formatDecimal(v, info.scale), info.scale);
  return v;
}

/** One field as the template sees it. */
export interface BoundField {
  name: string;
  label: string;
  html: string;
  errors: string[];
  helpText: string;
  required: boolean;
  isCheckbox: boolean;
  readonly: boolean;
  id: string;
}

/**
 * A form over one model instance (or a new one). `load()` → `bind(body, files)` → `validate()` → `save()`.
 * @example const form = new ModelForm(Post, null, { fields: ['title', 'tags'] }); await form.load();
 */
export class ModelForm {
  readonly infos = new Map<string, FieldInfo>();
  readonly readonly = new Set<string>();
  /** What each input shows: the initial value formatted, or what was posted. */
  data: Record<string, string | string[] | boolean> = {};
  initial: Record<string, unknown> = {};
  cleaned: Record<string, unknown> = {};
  errors: Record<string, string[]> = {};
  nonFieldErrors: string[] = [];
  bound = false;
  private choices = new Map<string, Array<[unknown, string]>>();
  private uploads = new Map<string, { filename: string; buffer: Buffer } | null>();
  transaction: unknown = undefined;

  constructor(public model: any, public instance: any | null, public opts: FormOptions) {
    const extra = new Map((opts.extraFields ?? []).map((f) => [f.name, f]));
    for (const name of opts.fields) {
      const info = extra.get(name) ?? fieldInfo(model, name);
      if (info && opts.labels?.[name]) info.verboseName = opts.labels[name];
      if (info && opts.helpTexts?.[name]) info.helpText = opts.helpTexts[name];
      if (info && info.editable && !(opts.readonly ?? []).includes(name) && !info.primaryKey) this.infos.set(info.name, info);
      else this.readonly.add(name);
    }
  }

  get prefix(): string { return this.opts.prefix ?? ''; }
  get isValid(): boolean { return this.bound && !this.nonFieldErrors.length && !Object.keys(this.errors).length; }

  private useSelect(info: FieldInfo): boolean {
    return !(this.opts.rawIdFields ?? []).includes(info.name) && !(this.opts.rawIdFields ?? []).includes(info.alias ?? '');
  }

  /** Loads initial values (the instance's, or the model's defaults) and the choices of relation selects. */
  async load(): Promise<this> {
    for (const info of this.infos.values()) {
      if (info.virtual) { this.data[info.name] = ''; continue; }
      if (info.kind === 'm2m') {
        const assoc = this.model.associations[info.name];
        const related = this.instance ? await this.instance[assoc.accessors.get]({ attributes: [info.relatedKey], joinTableAttributes: [] }) : [];
        this.initial[info.name] = related.map((r: any) => pkOf(r));
      } else {
        // A new object's DataTypes.NOW shows the current time, as Django's `initial=timezone.now`.
        this.initial[info.name] = this.instance ? this.instance.get(info.name) : info.computedDefault === 'now' ? new Date() : info.defaultValue;
        const given = this.instance ? undefined : this.opts.initialData?.[info.name];
        if (typeof given === 'string' || Array.isArray(given)) {
          const { value, error } = cleanField(info, given as Raw);
          if (!error) this.initial[info.name] = value;
        }
      }
      this.data[info.name] = formatValue(info, this.initial[info.name]);
      if ((info.kind === 'fk' || info.kind === 'm2m') && this.useSelect(info)) {
        const auto = (this.opts.autocompleteFields ?? []).some((n) => n === info.name || n === info.alias);
        if (auto && info.kind === 'fk') {
          const current = this.initial[info.name] != null ? await info.related.findByPk(this.initial[info.name]) : null;
          this.choices.set(info.name, current ? [[pkOf(current), displayOf(current)]] : []);
          continue;
        }
        const count = await info.related.count();
        if (count > MAX_SELECT_CHOICES) {
          // A large table: search it (autocomplete) when its admin can, else type an id; never load every row.
          const relatedAdmin = this.opts.ma?.site?.getModelAdmin(info.related);
          if (relatedAdmin?.searchFields?.length) {
            this.opts.autocompleteFields = [...(this.opts.autocompleteFields ?? []), info.name];
            const ids = ([] as unknown[]).concat(this.initial[info.name] ?? []);
            const current = ids.length ? await info.related.findAll({ where: { [info.relatedKey!]: ids } }) : [];
            this.choices.set(info.name, current.map((r: any) => [pkOf(r), displayOf(r)]));
          } else if (info.kind === 'fk') {
            this.opts.rawIdFields = [...(this.opts.rawIdFields ?? []), info.name];
          }
          if (relatedAdmin?.searchFields?.length || info.kind === 'fk') continue;
        }
        const rows = await info.related.findAll({ order: defaultOrder(info.related), limit: MAX_SELECT_CHOICES });
        this.choices.set(info.name, rows.map((r: any) => [pkOf(r), displayOf(r)]));
      }
    }
    return this;
  }

  /** Reads the submitted values of this form's editable fields only: anything else posted is ignored. */
  bind(body: Record<string, any>, files: Array<{ fieldname: string; filename: string; buffer: Buffer; mimeType: string }> = []): this {
    this.bound = true;
    for (const info of this.infos.values()) {
      const key = this.prefix + info.name;
      if (info.kind === 'file' || info.kind === 'image') {
        const file = files.find((f) => f.fieldname === key && f.filename);
        if (file) {
          if (info.kind === 'image' && !/^image\//.test(file.mimeType)) this.addError(info.name, t('Upload a valid image. The file you uploaded was either not an image or a corrupted image.'));
          this.uploads.set(info.name, { filename: file.filename, buffer: file.buffer });
        } else if (body[`${key}-clear`] && !info.required) {
          this.uploads.set(info.name, null);
        } else if (info.required && !this.initial[info.name]) {
          this.addError(info.name, t(REQUIRED));
        }
        continue;
      }
      const raw = body[key] as Raw;
      const { value, error } = cleanField(info, raw);
      this.data[info.name] = info.kind === 'boolean' ? Boolean(value) : info.kind === 'm2m' ? (value as string[]) : (Array.isArray(raw) ? raw[raw.length - 1] : raw) ?? '';
      // Left empty on a new object, a default the database computes (UUIDV4 …) still applies.
      if (error === t(REQUIRED) && !this.instance && info.computedDefault === 'computed') continue;
      if (error) this.addError(info.name, error);
      else this.cleaned[info.name] = value;
    }
    return this;
  }

  addError(field: string | null, message: string): void {
    if (!field || !this.infos.has(field)) this.nonFieldErrors.push(message);
    else (this.errors[field] ??= []).push(message);
  }

  /** True when the user typed anything into this (extra, inline) form. */
  hasChanged(): boolean {
    return this.changedFields().length > 0;
  }

  /** The editable fields whose cleaned value differs from the initial one. */
  changedFields(): string[] {
    const out: string[] = [];
    for (const info of this.infos.values()) {
      if (info.kind === 'file' || info.kind === 'image') { if (this.uploads.has(info.name)) out.push(info.name); continue; }
      const norm = (v: unknown) => JSON.stringify(info.kind === 'm2m' ? ((v as unknown[]) ?? []).map(String).sort() : formatValue(info, v));
      if (!(info.name in this.cleaned)) {
        // An invalid value counts as changed unless the input is what the form showed (an untouched extra row).
        const shown = formatValue(info, this.initial[info.name]);
        if (this.errors[info.name] && JSON.stringify(this.data[info.name] ?? '') !== JSON.stringify(shown)) out.push(info.name);
        continue;
      }
      if (norm(this.initial[info.name]) !== norm(this.cleaned[info.name])) out.push(info.name);
    }
    return out;
  }

  /** Checks relations exist, then the model's own validators and uniqueness; errors land next to their field. */
  async validate(obj: any, transaction?: unknown): Promise<boolean> {
    for (const info of this.infos.values()) {
      if (!(info.name in this.cleaned)) continue;
      const v = this.cleaned[info.name];
      if (info.kind === 'fk' && v !== null && v !== undefined && !(await info.related.findByPk(v, { transaction, attributes: [info.relatedKey] }))) {
        this.addError(info.name, t('Select a valid choice. That choice is not one of the available choices.'));
      }
      if (info.kind === 'm2m' && (v as string[]).length) {
        const ids = (v as string[]).map((x) => cleanPk(info.related, x));
        const bad = (v as string[]).find((_x, i) => ids[i] === undefined);
        if (bad !== undefined) { this.addError(info.name, t('Select a valid choice. {value} is not one of the available choices.', { value: bad })); continue; }
        const found = await info.related.findAll({ where: { [info.relatedKey!]: ids }, attributes: [info.relatedKey], transaction });
        const have = new Set(found.map((r: any) => String(pkOf(r))));
        const missing = (v as string[]).find((x) => !have.has(String(x)));
        if (missing !== undefined) this.addError(info.name, t('Select a valid choice. {value} is not one of the available choices.', { value: missing }));
        else this.cleaned[info.name] = ids;
      }
    }
    this.applyTo(obj);
    const inForm = new Set([...this.infos.keys()].filter((n) => n in this.cleaned));
    try {
      const skip = Object.keys(this.model.getAttributes?.() ?? this.model.rawAttributes).filter((a) => !inForm.has(a));
      await obj.validate({ skip });
    } catch (err: any) {
      for (const item of err?.errors ?? [{ message: err?.message }]) {
        if (this.errors[item.path]) continue;
        this.addError(item.path ?? null, validatorMessage(item, err));
      }
    }
    await this.validateUnique(obj, transaction);
    return this.isValid;
  }

  private async validateUnique(obj: any, transaction?: unknown): Promise<void> {
    const pk = pkName(this.model);
    for (const info of this.infos.values()) {
      if (!info.unique || this.errors[info.name] || !(info.name in this.cleaned)) continue;
      const v = this.cleaned[info.name];
      if (v === null || v === undefined || v === '') continue;
      const where: Record<string, unknown> = { [info.name]: v };
      if (obj.get(pk) != null) where[pk] = { [Op.ne]: obj.get(pk) };
      if (await this.model.count({ where, transaction })) {
        this.addError(info.name, t('{model} with this {field} already exists.', { model: capfirst(modelMeta(this.model).verboseName), field: capfirst(info.verboseName) }));
      }
    }
  }

  /** Maps a database unique-constraint error onto the fields it names; returns false when it isn't one. */
  addUniqueError(err: any): boolean {
    if (err?.name !== 'SequelizeUniqueConstraintError') return false;
    // Drivers name the column differently: 'slug' (PostgreSQL, SQLite's list), 'blog_post.slug', an index name (MySQL).
    const keys: string[] = Array.isArray(err.fields) ? err.fields : Object.keys(err.fields ?? {});
    const fields = [...new Set(keys.map((key) => {
      const col = key.split('.').pop()!;
      return this.infos.has(col) ? col : [...this.infos.keys()].find((f) => new RegExp(`(^|_)${f}(_|$)`, 'i').test(col));
    }).filter((f): f is string => Boolean(f)))];
    if (!fields.length) this.nonFieldErrors.push(t('{model} with these values already exists.', { model: capfirst(modelMeta(this.model).verboseName) }));
    for (const f of fields) this.addError(f, t('{model} with this {field} already exists.', { model: capfirst(modelMeta(this.model).verboseName), field: capfirst(this.infos.get(f)!.verboseName) }));
    return true;
  }

  /** Sets the cleaned values (not many-to-many, not files) on the instance. */
  applyTo(obj: any): void {
    for (const [name, value] of Object.entries(this.cleaned)) {
      const info = this.infos.get(name);
      if (info && info.kind !== 'm2m' && !info.virtual) obj.set(name, value);
    }
  }

  /** Writes uploaded files under MEDIA_ROOT and sets their relative paths on the instance. */
  async saveFiles(obj: any): Promise<void> {
    for (const [name, upload] of this.uploads) {
      if (upload === null) { obj.set(name, null); continue; }
      const info = this.infos.get(name)!;
      const dir = (info.uploadTo ?? '').replace(/^\/+|\.\.+/g, '');
      const ext = nodePath.extname(upload.filename).replace(/[^.a-zA-Z0-9]/g, '').slice(0, 10);
      const stem = nodePath.basename(upload.filename, nodePath.extname(upload.filename)).replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 80) || 'file';
      const rel = nodePath.posix.join(dir, `${stem}_${crypto.randomBytes(4).toString('hex')}${ext}`);
      const abs = nodePath.join(state.settings.MEDIA_ROOT, rel);
      await fs.promises.mkdir(nodePath.dirname(abs), { recursive: true });
      await fs.promises.writeFile(abs, upload.buffer);
      obj.set(name, rel);
    }
  }

  /** Sets many-to-many relations after the instance is saved. */
  async saveM2M(obj: any, transaction?: unknown): Promise<void> {
    for (const info of this.infos.values()) {
      if (info.kind !== 'm2m' || !(info.name in this.cleaned)) continue;
      const assoc = this.model.associations[info.name];
      await obj[assoc.accessors.set](this.cleaned[info.name], { transaction });
    }
  }

  /** The labels of changed fields, for the log entry ("Changed Title and Body."). */
  changedLabels(): string[] {
    return this.changedFields().map((n) => capfirst(this.infos.get(n)?.verboseName ?? words(n)));
  }

  /** The value of a read-only field: a ModelAdmin method, a model attribute or relation, or a model method. */
  async readonlyValue(name: string): Promise<{ label: string; html: string }> {
    const ma = this.opts.ma;
    const obj = this.instance;
    const info = fieldInfo(this.model, name);
    const fn = typeof ma?.[name] === 'function' ? ma[name] : undefined;
    const label = capfirst(fn?.shortDescription ?? info?.verboseName ?? words(name));
    if (fn) {
      const v = obj ? await fn.call(ma, obj) : '';
      return { label, html: v && typeof v === 'object' && typeof v.__html === 'string' ? v.__html : renderReadonly(undefined, v) };
    }
    if (!obj) return { label, html: '-' };
    if (info?.kind === 'fk') {
      const id = obj.get(info.name);
      const rel = id != null ? await info.related.findByPk(id) : null;
      return { label, html: renderReadonly(info, rel ? displayOf(rel) : '') };
    }
    if (info?.kind === 'm2m') {
      const rows = await obj[this.model.associations[name].accessors.get]();
      return { label, html: renderReadonly(info, rows.map((r: any) => displayOf(r))) };
    }
    if (info?.kind === 'choice') {
      const v = obj.get(name);
      return { label, html: renderReadonly(info, info.choices?.find(([c]) => String(c) === String(v))?.[1] ?? v) };
    }
    if (info) return { label, html: renderReadonly(info, readonlyDisplay(info, obj.get(name))) };
    const v = typeof obj[name] === 'function' ? await obj[name]() : obj[name];
    return { label, html: renderReadonly(undefined, v) };
  }

  /** The submitted ids of an autocomplete with their names (only rows that exist; a forged id shows nothing). */
  private async pickedChoices(info: FieldInfo): Promise<Array<[unknown, string]>> {
    const ids = ([] as unknown[]).concat(this.data[info.name] ?? []).map((v) => cleanPk(info.related, v)).filter((v) => v !== undefined && v !== '');
    if (!ids.length) return [];
    const rows = await info.related.findAll({ where: { [info.relatedKey!]: ids } });
    return rows.map((r: any) => [r.get(info.relatedKey!), displayOf(r)]);
  }

  /** The name shown beside a raw id input, linked to its change page (Django's ForeignKeyRawIdWidget label). */
  private async rawIdLabel(info: FieldInfo, relatedAdmin: any): Promise<{ text: string; url?: string } | undefined> {
    if (info.kind !== 'fk') return undefined;
    const raw = this.data[info.name];
    const key = typeof raw === 'string' && raw !== '' ? cleanPk(info.related, raw) : undefined;
    if (key === undefined) return undefined;
    const obj = await info.related.findOne({ where: { [info.relatedKey!]: key } });
    if (!obj) return undefined;
    const req = this.opts.req;
    const canSee = !req || (await relatedAdmin.hasViewOrChangePermission(req, obj));
    return { text: displayOf(obj), url: canSee ? relatedAdmin.site.urlFor('change', relatedAdmin, pkOf(obj)) : undefined };
  }

  /** "+" (add another) and the pencil (change) beside a relation, when the user may add or change the related model. */
  private async relatedLinks(info: FieldInfo, relatedAdmin: any): Promise<{ addUrl?: string; changeUrl?: string; name: string } | undefined> {
    const req = this.opts.req;
    if (!req || this.opts.relatedLinks === false) return undefined;
    const site = relatedAdmin.site;
    const toField = `_to_field=${encodeURIComponent(info.relatedKey ?? 'id')}&_popup=1`;
    const [add, change] = await Promise.all([relatedAdmin.hasAddPermission(req), relatedAdmin.hasChangePermission(req)]);
    return {
      name: relatedAdmin.opts.verboseName,
      addUrl: add ? `${site.urlFor('add', relatedAdmin)}?${toField}` : undefined,
      changeUrl: change && info.kind === 'fk' ? `${site.urlFor('change', relatedAdmin, '__fk__')}?${toField}` : undefined,
    };
  }

  /** filterHorizontal / filterVertical: the many-to-many as Django's two-box picker. */
  private filteredSelect(info: FieldInfo): { vertical: boolean; name: string } | undefined {
    const ma = this.opts.ma;
    const has = (list: unknown) => Array.isArray(list) && list.some((n) => n === info.name || n === info.alias);
    const vertical = has(this.opts.filterVertical ?? ma?.filterVertical);
    if (!vertical && !has(this.opts.filterHorizontal ?? ma?.filterHorizontal)) return undefined;
    return { vertical, name: info.verboseName };
  }

  /** Every field of `names` as the template shows it (widget or read-only value, errors, help text). */
  async boundFields(names: string[] = this.opts.fields): Promise<BoundField[]> {
    const out: BoundField[] = [];
    for (const name of names) {
      const info = this.infos.get(name) ?? [...this.infos.values()].find((i) => i.alias === name);
      const id = `id_${this.prefix}${info?.name ?? name}`;
      if (!info) {
        const { label, html } = await this.readonlyValue(name);
        out.push({ name, label, html, errors: [], helpText: fieldInfo(this.model, name)?.helpText ?? '', required: false, isCheckbox: false, readonly: true, id });
        continue;
      }
      const errors = this.errors[info.name] ?? [];
      const rawId = !this.useSelect(info);
      const site = this.opts.ma?.site;
      const relatedAdmin = info.related && site?.getModelAdmin(info.related);
      // The name as the admin declared it ('author' or 'authorId'), so the endpoint finds it in autocompleteFields.
      const declared = (this.opts.autocompleteFields ?? []).find((n) => n === info.name || n === info.alias);
      const meta = modelMeta(this.model);
      // The source is this form's model (an inline's order line, not the order), as Django's AutocompleteJsonView.
      const autocomplete = declared && site
        ? { url: site.urlFor('index') + 'autocomplete/', appLabel: meta.appLabel, modelName: meta.modelName, fieldName: declared }
        : undefined;
      // What the user picked comes back after an error: the options of a search box and the name beside a raw id
      // follow the submitted value, not the stored one.
      let choices = this.choices.get(info.name);
      if (autocomplete && this.bound) choices = await this.pickedChoices(info);
      const picked = rawId && relatedAdmin ? await this.rawIdLabel(info, relatedAdmin) : undefined;
      const html = renderWidget(info, this.data[info.name] ?? '', {
        name: this.prefix + info.name,
        id,
        choices,
        hasErrors: errors.length > 0,
        rawId,
        lookupUrl: rawId && relatedAdmin ? `${site.urlFor('changelist', relatedAdmin)}?_to_field=${encodeURIComponent(info.relatedKey ?? 'id')}&_popup=1` : undefined,
        rawIdLabel: picked,
        related: relatedAdmin ? await this.relatedLinks(info, relatedAdmin) : undefined,
        filtered: info.kind === 'm2m' && !rawId && !autocomplete ? this.filteredSelect(info) : undefined,
        autocomplete,
        mediaUrl: state.settings?.MEDIA_URL,
        chosenFile: this.bound ? this.uploads.get(info.name)?.filename : undefined,
        describedBy: [errors.length ? `${id}_error` : '', info.helpText ? `${id}_helptext` : ''].filter(Boolean).join(' ') || undefined,
      });
      out.push({ name: info.name, label: capfirst(info.verboseName), html, errors, helpText: info.helpText, required: info.required, isCheckbox: info.kind === 'boolean', readonly: false, id });
    }
    return out;
  }
}
