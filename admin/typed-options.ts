// admin.register()'s options checked against the model: field options name its attributes, unknown options are errors.
import type { ModelAdmin, ModelAdminOptions } from './model-admin';
import type { ListFilter } from './filters';

/** A search field: an attribute, with Django's `^` `=` `@` prefixes, or a lookup through a relation (`author__username`). */
export type SearchField<F extends string> = F | `${'^' | '=' | '@'}${F}` | `${string}__${string}`;

/** The relation a foreign key attribute belongs to, by sequelize's naming: `authorId` → `author` (and `author_id`). */
type RelationOf<F extends string> = F extends `${infer R}Id` | `${infer R}_id` ? (R extends '' ? never : R) : never;

/** A filter class of the app's (`class DecadeFilter extends admin.SimpleListFilter`). */
type FilterClass = abstract new (...args: any[]) => ListFilter;

/**
 * A listFilter entry, as the runtime takes them: an attribute, a belongs-to relation named after its foreign key
 * (`author` for `authorId`), a lookup across to-one relations (`author__isStaff`), or a filter class.
 */
export type ListFilterEntry<F extends string> = F | RelationOf<F> | `${string}__${string}` | FilterClass;

/** Options whose values name fields; each is retyped from the model's attribute names `F`. */
type FieldOptionKeys = 'listFilter' | 'listDisplay' | 'listDisplayLinks' | 'listEditable' | 'searchFields' | 'ordering' | 'fields'
  | 'fieldsets' | 'readonlyFields' | 'exclude' | 'dateHierarchy' | 'autocompleteFields' | 'rawIdFields';

/** Every data property of ModelAdmin (saveAs, prepopulatedFields, labels, templates …), without its methods. */
type ClassOptions = {
  [K in keyof ModelAdmin as string extends K ? never : number extends K ? never : K extends 'model' | 'site' | 'opts' ? never
    : ModelAdmin[K] extends (...args: never[]) => unknown ? never : K]?: ModelAdmin[K];
};

/**
 * The options of `admin.register(Model, options)` for a model with attributes `F` and instances `I`.
 * listFilter knows a belongs-to relation by its foreign key (`authorId`, or `author` for it); a many-to-many relation
 * is not in the model's type, so its filter is declared in a ModelAdmin subclass (whose listFilter is unchecked).
 * @example admin.register(Post, { listDisplay: ['title', (p) => p.views * 2], ordering: ['-createdAt'] })
 */
export type AdminOptionsFor<F extends string, I> = Omit<ClassOptions & ModelAdminOptions, FieldOptionKeys> & {
  listFilter?: Array<ListFilterEntry<F>>;
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
