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

/** Every data property of ModelAdmin (saveAs, prepopulatedFields, labels, templates …), without its methods. */
type ClassOptions = {
  [K in keyof ModelAdmin as string extends K ? never : number extends K ? never : K extends 'model' | 'site' | 'opts' ? never
    : ModelAdmin[K] extends (...args: never[]) => unknown ? never : K]?: ModelAdmin[K];
};

/**
 * The options that name fields, for a model with attributes `F` and instances `I`: what admin.register()'s options
 * and a `ModelAdmin<typeof Post>` subclass's properties may hold. Lists are readonly, so that `as const` ones fit.
 */
export interface FieldOptions<F extends string, I> {
  listDisplay: ReadonlyArray<F | '__str__' | ((obj: I) => unknown)>;
  listDisplayLinks: readonly F[] | null;
  listEditable: readonly F[];
  listFilter: ReadonlyArray<ListFilterEntry<F>>;
  searchFields: ReadonlyArray<SearchField<F>>;
  ordering: ReadonlyArray<F | `-${F}`>;
  fields: ReadonlyArray<F | readonly F[]>;
  fieldsets: ReadonlyArray<readonly [string | null, { fields: ReadonlyArray<F | readonly F[]>; classes?: readonly string[]; description?: string }]>;
  readonlyFields: readonly F[];
  exclude: readonly F[];
  dateHierarchy: F;
  autocompleteFields: readonly F[];
  rawIdFields: readonly F[];
}

/**
 * The options of `admin.register(Model, options)` for a model with attributes `F` and instances `I`.
 * listFilter knows a belongs-to relation by its foreign key (`authorId`, or `author` for it); a many-to-many relation
 * is not in the model's type, so its filter is declared in a plain ModelAdmin subclass (whose lists are unchecked).
 * @example admin.register(Post, { listDisplay: ['title', (p) => p.views * 2], ordering: ['-createdAt'] })
 */
export type AdminOptionsFor<F extends string, I> = Omit<ClassOptions & ModelAdminOptions, keyof FieldOptions<string, unknown>>
  & Partial<FieldOptions<F, I>>;
