// ModelAdmin: the declarative options of one registered model, each with a get…(req) hook a subclass may override.
import type { Request } from 'express';
import { cleanPk, defaultOrder, displayOf, formFieldNames, modelMeta, pkName } from './introspect';
import { ModelForm, type FormOptions } from './forms';
import { logAction, ADDITION, CHANGE, DELETION, type ChangeMessage } from './log';
import type { FieldOptions } from './typed-options';
import type { AttributeNames, InstanceOf } from '../core/db/typed';

export type Fieldset = [string | null, { fields: Array<string | string[]>; classes?: string[]; description?: string }];
export type ListDisplayItem = string | ((obj: any) => unknown);

/** An inline: related rows edited on the parent's page. `style` is 'tabular' (rows) or 'stacked' (one fieldset each). */
export interface InlineOptions {
  model: any;
  style?: 'tabular' | 'stacked';
  /** The child's foreign key to the parent, when it has several. */
  fkName?: string;
  fields?: string[];
  readonlyFields?: string[];
  exclude?: string[];
  /** How many empty rows to show (3). */
  extra?: number;
  /** At least / at most this many rows, enforced on save ("Please submit 2 or more forms."). */
  minNum?: number;
  maxNum?: number;
  rawIdFields?: string[];
  autocompleteFields?: string[];
  filterHorizontal?: string[];
  filterVertical?: string[];
  /** A "Change" link on each saved row, to the related object's own change page. */
  showChangeLink?: boolean;
  classes?: string[];
  canDelete?: boolean;
  verboseName?: string;
  verboseNamePlural?: string;
}

/** The options of SPEC §9 with Django's defaults. */
export interface ModelAdminOptions {
  listDisplay?: ListDisplayItem[];
  listDisplayLinks?: string[] | null;
  listEditable?: string[];
  searchFields?: string[];
  listFilter?: unknown[];
  ordering?: string[];
  listPerPage?: number;
  listMaxShowAll?: number;
  fields?: Array<string | string[]>;
  fieldsets?: Fieldset[];
  readonlyFields?: string[];
  exclude?: string[];
  actions?: unknown[];
  dateHierarchy?: string;
  autocompleteFields?: string[];
  rawIdFields?: string[];
  filterHorizontal?: string[];
  filterVertical?: string[];
  inlines?: Array<InlineOptions | (new () => InlineOptions)>;
  savePlus?: boolean;
  saveAsContinue?: boolean;
}

/**
 * A field-naming option of `ModelAdmin<M>`: checked against the attributes of the model class `M`, or `Untyped` for a
 * plain ModelAdmin (M unknown), whose lists are any strings.
 */
export type AdminField<M, K extends keyof FieldOptions<string, unknown>, Untyped> =
  unknown extends M ? Untyped : FieldOptions<AttributeNames<M>, InstanceOf<M>>[K];

/** A ModelAdmin as the admin reads it: the lists of a `ModelAdmin<typeof Post>` are the same arrays, typed as strings. */
const plain = (ma: ModelAdmin<any>): ModelAdmin => ma;

/** A default that fits an option's typed and untyped forms alike (both take an empty list, '__str__', undefined). */
const initial = <T>(value: unknown): T => value as T;

/**
 * True when the request's user is active and has `<app_label>.<action>_<model>` (superusers have every permission).
 * @example await hasModelPerm(req, Comment, 'add')
 */
export async function hasModelPerm(req: Request, model: any, action: string): Promise<boolean> {
  const user = req.user;
  if (!user?.isAuthenticated || !user.isActive) return false;
  if (user.isSuperuser) return true;
  const { appLabel, modelName } = modelMeta(model);
  return typeof user.hasPerm === 'function' ? Boolean(await user.hasPerm(`${appLabel}.${action}_${modelName}`)) : false;
}

/** Inline base classes, as Django's: `class CommentInline extends TabularInline { model = Comment }`. */
export class TabularInline implements InlineOptions {
  model: any;
  style: 'tabular' | 'stacked' = 'tabular';
  extra = 3;
  canDelete = true;
}
export class StackedInline extends TabularInline {
  override style: 'tabular' | 'stacked' = 'stacked';
}

/**
 * The admin of one model. Options are plain properties; every one has a `get…(req)` hook, and the
 * `has…Permission(req, obj)` hooks decide what a staff user sees and may do. `ModelAdmin<typeof Post>` checks the
 * lists that name fields against Post's attributes; they are written `as const` (TypeScript does not type a
 * subclass's property from its base class, so a plain list reads as `string[]`).
 * @example
 * admin.register(Post, class extends ModelAdmin {
 *   listDisplay = ['title', 'published'];
 *   getQueryset(req) { return { where: { authorId: req.user.id } }; }
 * });
 * @example
 * class PostAdmin extends ModelAdmin<typeof Post> {
 *   override listDisplay = ['title', 'published'] as const;
 * }
 */
export class ModelAdmin<M = unknown> {
  [other: string]: unknown;
  listDisplay: AdminField<M, 'listDisplay', ListDisplayItem[]> = initial(['__str__']);
  /** Which columns link to the object: the first when unset, none when null. */
  listDisplayLinks: AdminField<M, 'listDisplayLinks', string[] | null> | undefined = undefined;
  listEditable: AdminField<M, 'listEditable', string[]> = initial([]);
  searchFields: AdminField<M, 'searchFields', string[]> = initial([]);
  listFilter: AdminField<M, 'listFilter', unknown[]> = initial([]);
  ordering: AdminField<M, 'ordering', string[]> | undefined = undefined;
  listPerPage = 100;
  listMaxShowAll = 200;
  fields: AdminField<M, 'fields', Array<string | string[]>> | undefined = undefined;
  fieldsets: AdminField<M, 'fieldsets', Fieldset[]> | undefined = undefined;
  readonlyFields: AdminField<M, 'readonlyFields', string[]> = initial([]);
  exclude: AdminField<M, 'exclude', string[]> = initial([]);
  actions: unknown[] = [];
  dateHierarchy: AdminField<M, 'dateHierarchy', string> | undefined = undefined;
  autocompleteFields: AdminField<M, 'autocompleteFields', string[]> = initial([]);
  rawIdFields: AdminField<M, 'rawIdFields', string[]> = initial([]);
  /** Many-to-many fields shown as the two-box picker (available | chosen), side by side or stacked. */
  filterHorizontal: string[] = [];
  filterVertical: string[] = [];
  inlines: Array<InlineOptions | (new () => InlineOptions)> = [];
  /** "Save and add another" and "Save and continue editing" (false hides both). */
  savePlus = true;
  saveAsContinue = true;
  /** Form labels and help texts that replace the model's: `labels = { isStaff: 'staff status' }`. */
  labels: Record<string, string> = {};
  helpTexts: Record<string, string> = {};
  /** Slugs filled in as the user types: `{ slug: ['title'] }` (static/admin/prepopulate.js, while the slug is untouched). */
  prepopulatedFields: Record<string, string[]> = {};
  /** "Save as new" on the change form: a copy of the object (and of its inline rows) is added. */
  saveAs = false;
  /** The save buttons above the form too. */
  saveOnTop = false;
  /** "View on site": true links to the model's getAbsoluteUrl() when it has one, a function (obj) => url picks it, false hides it. */
  viewOnSite: boolean | ((obj: any) => string | null | undefined) = true;
  /** What an empty value shows in the change list ('-'). */
  emptyValueDisplay: string | undefined = undefined;
  /**
   * Relations the change list loads with its page (Django's list_select_related): `true` every NOT NULL belongs-to,
   * or names (`['author', 'product__category']`). Relations shown in listDisplay are always joined.
   */
  listSelectRelated: boolean | string[] = false;
  /** Columns that sort (listDisplay by default); the search box's help text; the "N total" count of a filtered list. */
  sortableBy: ListDisplayItem[] | undefined = undefined;
  searchHelpText: string | undefined = undefined;
  showFullResultCount = true;
  /** Template overrides, as Django's change_form_template etc. */
  deleteSelectedConfirmationTemplate: string | undefined = undefined;
  changeFormTemplate: string | undefined = undefined;
  deleteConfirmationTemplate: string | undefined = undefined;
  objectHistoryTemplate: string | undefined = undefined;
  changeListTemplate: string | undefined = undefined;

  constructor(public model: any, public site: any) {}

  /** `{ appLabel, name, modelName, verboseName, verboseNamePlural }`. */
  get opts() { return modelMeta(this.model); }

  /** The name a user sees in messages, checks and the change list ("PostAdmin"). */
  toString(): string {
    const own = this.constructor.name;
    return own && own !== 'ModelAdmin' ? own : `${this.opts.name}Admin`;
  }

  getListDisplay(_req: Request): ListDisplayItem[] { return plain(this).listDisplay; }
  getListDisplayLinks(_req: Request, listDisplay: ListDisplayItem[]): string[] | null {
    const links = plain(this).listDisplayLinks;
    if (links === null || links?.length) return links;
    return listDisplay.slice(0, 1).map((d) => (typeof d === 'string' ? d : d.name));
  }
  getSearchFields(_req: Request): string[] { return plain(this).searchFields; }
  getPrepopulatedFields(_req: Request, _obj?: any): Record<string, string[]> { return this.prepopulatedFields; }

  /** The object's public URL for "View on site", or null. */
  getViewOnSiteUrl(obj: any): string | null {
    if (!obj || this.viewOnSite === false) return null;
    if (typeof this.viewOnSite === 'function') return this.viewOnSite(obj) ?? null;
    return typeof obj.getAbsoluteUrl === 'function' ? obj.getAbsoluteUrl() ?? null : null;
  }
  getListFilter(_req: Request): unknown[] { return plain(this).listFilter; }
  getOrdering(_req: Request): string[] { return plain(this).ordering ?? this.opts.ordering ?? []; }
  getSortableBy(req: Request): ListDisplayItem[] { return this.sortableBy ?? this.getListDisplay(req); }
  getActions(_req: Request): unknown[] { return this.actions; }
  getInlines(_req: Request, _obj?: any): InlineOptions[] {
    return this.inlines.map((i) => (typeof i === 'function' ? new (i as new () => InlineOptions)() : { extra: 3, canDelete: true, style: 'tabular' as const, ...i }));
  }

  /**
   * The base query of every page (sequelize find options). Override to narrow what a user sees.
   * @example getQueryset(req) { return { where: { authorId: req.user.id } }; }
   */
  getQueryset(_req: Request): Record<string, any> {
    const order = defaultOrder(this.model);
    return order?.length ? { order } : {};
  }

  /** The object with this pk within getQueryset(req), or null (also for a pk that can't be one). */
  async getObject(req: Request, rawPk: unknown, transaction?: unknown): Promise<any | null> {
    const pk = cleanPk(this.model, rawPk);
    if (pk === undefined) return null;
    const qs = this.getQueryset(req);
    const where = { ...(qs.where ?? {}), [pkName(this.model)]: pk };
    return this.model.findOne({ ...qs, where, order: undefined, transaction });
  }

  getReadonlyFields(_req: Request, _obj?: any): string[] {
    return plain(this).readonlyFields;
  }
  getExclude(_req: Request, _obj?: any): string[] { return plain(this).exclude; }

  /** The fields of the form, in order (fieldsets flattened, exclude removed). */
  getFields(req: Request, obj?: any): string[] {
    const { fieldsets, fields } = plain(this);
    if (fieldsets) return this.getFieldsets(req, obj).flatMap(([, o]) => o.fields.flat());
    const exclude = new Set(this.getExclude(req, obj));
    const base = fields ? fields.flat() : [...formFieldNames(this.model), ...this.getReadonlyFields(req, obj).filter((f) => !formFieldNames(this.model).includes(f))];
    return base.filter((f) => !exclude.has(f));
  }

  /** `[[name, { fields }]]`; one unnamed fieldset of getFields() when none is declared. */
  getFieldsets(req: Request, obj?: any): Fieldset[] {
    const { fieldsets } = plain(this);
    if (fieldsets) return fieldsets;
    const exclude = new Set(this.getExclude(req, obj));
    const fields = plain(this).fields ?? [...formFieldNames(this.model), ...this.getReadonlyFields(req, obj).filter((f) => !formFieldNames(this.model).includes(f))];
    return [[null, { fields: fields.map((f) => (Array.isArray(f) ? f.filter((x) => !exclude.has(x)) : f)).filter((f) => (Array.isArray(f) ? f.length : !exclude.has(f))) }]];
  }

  /**
   * The form of the add/change page (override to add fields, as the user admin does for its two passwords).
   * @example getForm(req, obj, opts) { return new MyForm(this.model, obj, opts); }
   */
  getForm(_req: Request, obj: any, opts: FormOptions): ModelForm {
    return new ModelForm(this.model, obj, { labels: this.labels, helpTexts: this.helpTexts, ...opts });
  }

  /**
   * Initial values of the add form, from the query string by default (`/admin/blog/post/add/?status=published`).
   * @example getChangeformInitialData(req) { return { ...super.getChangeformInitialData(req), status: 'draft' }; }
   */
  getChangeformInitialData(req: Request): Record<string, unknown> {
    return { ...(req.query ?? {}) } as Record<string, unknown>;
  }

  /** Extra URL patterns of this model, mounted before `<objectId>/…` (the user admin's password page). */
  getExtraUrls(): unknown[] {
    return [];
  }

  /** `{ add, change, delete, view }` for this user; the index and the site use it to hide links. */
  async getModelPerms(req: Request): Promise<{ add: boolean; change: boolean; delete: boolean; view: boolean }> {
    const [add, change, del, view] = await Promise.all([this.hasAddPermission(req), this.hasChangePermission(req), this.hasDeletePermission(req), this.hasViewPermission(req)]);
    return { add, change, delete: del, view: view || change };
  }

  protected userHas(req: Request, action: string): Promise<boolean> {
    return hasModelPerm(req, this.model, action);
  }

  /** View permission; a user who may change may also view (Django's rule). */
  async hasViewPermission(req: Request, _obj?: any): Promise<boolean> {
    return (await this.userHas(req, 'view')) || (await this.userHas(req, 'change'));
  }
  async hasViewOrChangePermission(req: Request, obj?: any): Promise<boolean> {
    return (await this.hasViewPermission(req, obj)) || (await this.hasChangePermission(req, obj));
  }
  async hasAddPermission(req: Request, _obj?: any): Promise<boolean> { return this.userHas(req, 'add'); }
  async hasChangePermission(req: Request, _obj?: any): Promise<boolean> { return this.userHas(req, 'change'); }
  async hasDeletePermission(req: Request, _obj?: any): Promise<boolean> { return this.userHas(req, 'delete'); }
  /** True when the user may see the model at all (any of its permissions). */
  async hasModulePermission(req: Request): Promise<boolean> {
    const p = await this.getModelPerms(req);
    return p.add || p.change || p.delete || p.view;
  }

  /**
   * Saves the object; `form.transaction` is the transaction of the whole save (pass it on to queries).
   * @example async saveModel(req, obj, form, change) { if (!change) obj.authorId = req.user.id; await super.saveModel(req, obj, form, change); }
   */
  async saveModel(_req: Request, obj: any, form: { transaction?: unknown }, _change: boolean): Promise<void> {
    await obj.save({ transaction: form.transaction });
  }

  /** Deletes one object (in `transaction` when given). */
  async deleteModel(_req: Request, obj: any, transaction?: unknown): Promise<void> {
    await obj.destroy({ transaction });
  }

  /** Deletes many objects (the "delete selected" action). */
  async deleteQueryset(req: Request, objs: any[], transaction?: unknown): Promise<void> {
    for (const obj of objs) await this.deleteModel(req, obj, transaction);
  }

  logAddition(req: Request, obj: any, message: ChangeMessage = [{ added: {} }], transaction?: unknown) {
    return logAction(req, obj, ADDITION, message, transaction);
  }
  logChange(req: Request, obj: any, message: ChangeMessage, transaction?: unknown) {
    return logAction(req, obj, CHANGE, message, transaction);
  }
  logDeletion(req: Request, obj: any, repr: string = displayOf(obj), transaction?: unknown) {
    return logAction(req, obj, DELETION, [{ deleted: {} }], transaction, repr);
  }

  /** The URL name of one of this model's pages: `admin:blog_post_change`. */
  urlName(page: 'changelist' | 'add' | 'change' | 'delete' | 'history'): string {
    return `admin:${this.opts.appLabel}_${this.opts.modelName}_${page}`;
  }
}
