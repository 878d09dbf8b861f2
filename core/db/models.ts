// model() and what the rest of the framework reads about models: app label, names, ordering, how one object is named.
import type * as S from 'sequelize';
import type { ModelAttributes, ModelOptions, ModelStatic, Order, Sequelize } from 'sequelize';
import { ImproperlyConfigured, ManoucheError } from '../conf/errors';
import { lateBound, requireConfigured, state, unwrap } from '../conf/state';
import { dbOpened, getDb, onDatabaseOpened, onDatabaseReady, onDatabaseReplaced } from './connection';
import { deferModel, deferredDataTypes, deferredNamed, deferredOf, defineDeferredModels, forgetDeferredModels, realTypes, sequelizeLoaded } from './deferred';
import type { AttributesSpec, InferAttributes, InferCreationAttributes, TypedDataTypes, TypedModel } from './typed';

// sequelize's DataTypes, Model and Op, loaded on first use: an app without models never loads sequelize.
/** sequelize's DataTypes (the same object), typed so that model() knows each attribute's JS type. */
export declare const DataTypes: TypedDataTypes;
export declare const Op: typeof S.Op;
export declare const Model: typeof S.Model;
export type Model<TAttributes extends {} = any, TCreation extends {} = TAttributes> = S.Model<TAttributes, TCreation>;
/* eslint-disable @typescript-eslint/no-require-imports */
Object.defineProperties(exports, {
  // Until sequelize loads, declarations are written down (core/db/deferred.ts); after, it is sequelize's own object.
  DataTypes: { enumerable: true, get: () => (sequelizeLoaded() ? require('sequelize').DataTypes : deferredDataTypes()) },
  // sequelize's operators are their own small module (the same symbols sequelize uses).
  Op: { enumerable: true, get: () => require('sequelize/lib/operators') },
  Model: { enumerable: true, get: () => require('sequelize').Model },
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** The app's Sequelize instance (a handle usable once configure() has run: `Post.init(attrs, { sequelize: db })`). */
export const db: Sequelize = lateBound<Sequelize>('db', () => (state.configured ? getDb() : undefined));

declare module 'sequelize' {
  interface ModelAttributeColumnOptions {
    /** Django's db_index: an index on this column (makemigrations writes it), for fields the app sorts, filters or searches by. */
    dbIndex?: boolean;
  }
}

/** What manouche adds to sequelize's model options. */
export interface ManoucheModelOptions {
  /** Default order of findAll when the caller gives none: `['-createdAt', 'title']`. */
  ordering?: string[];
  verboseName?: string;
  verboseNamePlural?: string;
  /** How one object is named everywhere: an attribute name, or a function of the instance. */
  display?: string | ((obj: any) => string);
  /** The app the model belongs to (framework models: 'auth', 'admin', 'sessions'); defaults to the app's label. */
  appLabel?: string;
}

export interface ModelMeta {
  appLabel: string;
  /** The model's name as defined: 'Post'. */
  name: string;
  /** Lowercased name, as in permission codenames and admin URLs: 'post'. */
  modelName: string;
  verboseName: string;
  verboseNamePlural: string;
  ordering: string[];
  display?: string | ((obj: any) => string);
}

const STRING_KEYS = new Set(['STRING', 'TEXT', 'CHAR', 'CITEXT']);

/**
 * Defines a model on the app's database. Its table is `<app_label>_<name lowercased>` unless `tableName` is given.
 * @example const Post = model('Post', { title: { type: DataTypes.STRING(255), allowNull: false } }, { ordering: ['-createdAt'] });
 */
export function model<A extends AttributesSpec, O extends ModelOptions & ManoucheModelOptions = {}>(
  name: string,
  attributes: A,
  options?: O,
): TypedModel<InferAttributes<A, O>, InferCreationAttributes<A, O>>;
export function model<M extends Model = Model>(
  name: string,
  attributes: ModelAttributes<M>,
  options?: ModelOptions<M> & ManoucheModelOptions,
): ModelStatic<M>;
export function model(
  name: string,
  attributes: ModelAttributes,
  options: ModelOptions & ManoucheModelOptions = {},
): ModelStatic<Model> {
  if (!state.configured) throw new ImproperlyConfigured('', 'E_NOT_CONFIGURED', { what: `model('${name}')` });
  const label = options.appLabel ?? state.appLabel;
  if (!dbOpened() && !sequelizeLoaded()) {
    // Before the database opens, the model waits for it (core/db/deferred.ts): sequelize loads when it opens.
    const twin = deferredNamed(name);
    if (twin) throw new ManoucheError('E_DUPLICATE_MODEL', { name, label: String(twin.appLabel) });
    return deferModel(name, attributes as Record<string, unknown>, { ...options, appLabel: label }, getDb);
  }
  const sequelize = getDb();
  if (sequelize.isDefined(name)) throw new ManoucheError('E_DUPLICATE_MODEL', { name, label: getModelMeta(sequelize.model(name)).appLabel });
  return sequelize.define(name, attributes, { ...options, appLabel: label } as ModelOptions);
}

// The models defined before the database opened are defined on it as it opens, in the app's order; a database that
// configure() replaces takes its waiting models with it.
onDatabaseReplaced(forgetDeferredModels);
onDatabaseReady((sequelize) => {
  defineDeferredModels((cls, attributes, options) => {
    cls.init(attributes as ModelAttributes, { ...options, modelName: cls.name, sequelize } as S.InitOptions);
  });
});

/**
 * Installs the define hooks on a new Sequelize instance, so that `model()` and `Model.init(…, { sequelize: db })`
 * behave the same: default table name, required strings refuse '', default ordering, and a real `sequelize`.
 */
export function installModelHooks(sequelize: Sequelize): void {
  sequelize.addHook('beforeDefine', (attributes: any, options: any) => {
    if (options.through !== undefined) {
      // A through table sequelize makes for belongsToMany inherits its source model's options: keep the app
      // label, not the ordering (its columns differ) nor the names.
      for (const k of ['ordering', 'verboseName', 'verboseNamePlural', 'display']) delete options[k];
    }
    const label = options.appLabel ?? state.appLabel;
    if (!options.tableName) options.tableName = `${label}_${String(options.modelName).toLowerCase()}`;
    // Declarations written before sequelize loaded (`Post.init({ title: DataTypes.STRING }, { sequelize: db })`).
    for (const [name, attr] of Object.entries(attributes)) attributes[name] = realTypes(attr);
    for (const [name, attr] of Object.entries(attributes) as Array<[string, any]>) {
      if (!attr || typeof attr !== 'object' || !('type' in attr)) continue;
      if (attr.dbIndex) addColumnIndex(options, attr.field ?? name);
      const key = typeKey(attr.type);
      if (attr.allowNull === false && attr.defaultValue === undefined && STRING_KEYS.has(key) && !attr.primaryKey) {
        attr.validate = { notEmpty: { msg: 'This field is required.' }, ...(attr.validate ?? {}) };
      }
    }
  });
  sequelize.addHook('afterDefine', (m: any) => {
    // Model.init was given the lateBound handle: keep the real instance so identity checks hold.
    m.sequelize = unwrap(m.sequelize);
    m.addHook('beforeFind', 'manoucheOrdering', (opts: any) => {
      if (opts.order === undefined) {
        const order = orderingFor(m) as unknown[];
        if (order.length) opts.order = order;
      }
    });
  });
}
onDatabaseOpened(installModelHooks);

/** `dbIndex: true` becomes one index of the model (named `<table>_<column>`), unless an index already starts with the column. */
function addColumnIndex(options: any, column: string): void {
  const indexes: any[] = (options.indexes ??= []);
  const first = (idx: any) => { const f = idx.fields?.[0]; return typeof f === 'string' ? f : f?.name ?? f?.attribute; };
  if (!indexes.some((idx) => first(idx) === column)) indexes.push({ name: `${options.tableName}_${column}`, fields: [column] });
}

function typeKey(type: any): string {
  return String(type?.key ?? type?.prototype?.key ?? '');
}

/** Turns 'BlogPost' into 'blog post', as Django's verbose_name default. */
function spaced(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Finds the app of a model made by sequelize itself (a many-to-many through table): its source model's app. */
function inferredLabel(m: ModelStatic<Model>): string {
  const own = (m.options as ManoucheModelOptions).appLabel;
  if (own) return own;
  for (const other of m.sequelize!.modelManager.models as ModelStatic<Model>[]) {
    for (const assoc of Object.values(other.associations ?? {}) as any[]) {
      if (assoc.through?.model === m && (other.options as ManoucheModelOptions).appLabel) return (other.options as ManoucheModelOptions).appLabel!;
    }
  }
  return state.appLabel;
}

/**
 * What the framework knows about a model.
 * @example getModelMeta(Post) // { appLabel: 'blog', name: 'Post', modelName: 'post', verboseName: 'post', … }
 */
export function getModelMeta(m: ModelStatic<Model>): ModelMeta {
  const real = unwrap(m);
  // A model waiting for the database answers from its declaration, without opening it.
  const waiting = deferredOf(real)?.options;
  const o = (waiting ?? real.options) as ModelOptions & ManoucheModelOptions;
  const verboseName = o.verboseName ?? spaced(real.name);
  return {
    appLabel: waiting ? String(o.appLabel) : inferredLabel(real),
    name: real.name,
    modelName: real.name.toLowerCase(),
    verboseName,
    verboseNamePlural: o.verboseNamePlural ?? `${verboseName}s`,
    ordering: o.ordering ?? [],
    display: o.display,
  };
}

/** Every model of the app and the framework, in definition order (many-to-many through models included). */
export function allModels(): ModelStatic<Model>[] {
  requireConfigured('allModels()');
  return [...(getDb().modelManager.models as ModelStatic<Model>[])];
}

/** The models of one app label. @example modelsOf('blog') // [Post, Tag, Comment] */
export function modelsOf(appLabel: string): ModelStatic<Model>[] {
  return allModels().filter((m) => getModelMeta(m).appLabel === appLabel);
}

/**
 * A model's default order as a sequelize `order`: `['-createdAt']` → `[['createdAt', 'DESC']]`.
 * @example Post.findAll({ order: orderingFor(Post) })
 */
export function orderingFor(m: ModelStatic<Model>): Order {
  const ordering = (unwrap(m).options as ManoucheModelOptions).ordering ?? [];
  return ordering.map((f) => (f.startsWith('-') ? [f.slice(1), 'DESC'] : [f.replace(/^\+/, ''), 'ASC'])) as Order;
}

/**
 * How one object is named: the `display` option, else its name/title/username, else `Post object (1)`.
 * @example displayOf(post) // 'Hello world'
 */
export function displayOf(instance: Model): string {
  const m = instance.constructor as ModelStatic<Model>;
  const display = (m.options as ManoucheModelOptions).display;
  const get = (k: string) => (instance as any).get?.(k) ?? (instance as any)[k];
  if (typeof display === 'function') return String(display(instance));
  if (typeof display === 'string') return String(get(display) ?? '');
  for (const attr of ['name', 'title', 'username']) {
    if (attr in m.getAttributes()) {
      const v = get(attr);
      if (v !== null && v !== undefined && v !== '') return String(v);
    }
  }
  const pk = m.primaryKeyAttribute ? get(m.primaryKeyAttribute) : undefined;
  return `${m.name} object (${pk ?? 'None'})`;
}
