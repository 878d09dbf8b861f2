// admin.register()'s options checked against the model: field options name its attributes, unknown options are errors.
import type { ModelAdmin, ModelAdminOptions } from './model-admin';

/** A search field: an attribute, with Django's `^` `=` `@` prefixes, or a lookup through a relation (`author__username`). */
export type SearchField<F extends string> = F | `${'^' | '=' | '@'}${F}` | `${string}__${string}`;

/** Options whose values name fields; each is retyped from the model's attribute names `F`. */
type FieldOptionKeys = 'listDisplay' | 'listDisplayLinks' | 'listEditable' | 'searchFields' | 'ordering' | 'fields'
  | 'fieldsets' | 'readonlyFields' | 'exclude' | 'dateHierarchy' | 'autocompleteFields' | 'rawIdFields';

/** Every data property of ModelAdmin (saveAs, prepopulatedFields, labels, templates …), without its methods. */
type ClassOptions = {
  [K in keyof ModelAdmin as string extends K ? never : number extends K ? never : K extends 'model' | 'site' | 'opts' ? never
    : ModelAdmin[K] extends (...args: never[]) => unknown ? never : K]?: ModelAdmin[K];
};

/**
 * The options of `admin.register(Model, options)` for a model with attributes `F` and instances `I`.
 * `listFilter` also takes relation names and filter classes, which the model's type does not know.
 * @example admin.register(Post, { listDisplay: ['title', (p) => p.views * 2], ordering: ['-createdAt'] })
 */
export type AdminOptionsFor<F extends string, I> = Omit<ClassOptions & ModelAdminOptions, FieldOptionKeys> & {
  listDisplay?: Array<F | '__str__' | ((obj: I) => unknown)>;
  listDisplayLinks?: F[] | null;
  listEditable?: F[];
  searchFields?: Array<SearchField<F>>;
  ordering?: Array<F | `-${F}`>;
  fields?: Array<F | F[]>;
  fieldsets?: Array<[string | null, { fields: Array<F | F[]>; classes?: string[]; description?: string }]>;
  readonlyFields?: F[];
  exclude?: F[];
  dateHierarchy?: F;
  autocompleteFields?: F[];
  rawIdFields?: F[];
};
