// Models before sequelize: model() and DataTypes answer at once, and sequelize (100 ms: half of an admin app's cold
// start) loads when the database opens — at the first query, at `check`, `migrate` and the other commands that read
// models, or a moment after `serve` listens — not while the app file loads. A model defined before then is a class of its own that becomes
// sequelize's when the database opens: the same class object, re-parented onto sequelize's Model and initialised
// with its attributes, as `sequelize.define()` would have done. Anything the declaration does not need (a query, a
// hook, an association, a look at its attributes) opens the database first, so code that uses a model sees a model.
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Model as SequelizeModel, ModelStatic } from 'sequelize';

/** True once sequelize's code has loaded in this process (by manouche or by the app). */
export function sequelizeLoaded(): boolean {
  return require.cache[sequelizeEntry ??= require.resolve('sequelize')]?.loaded === true;
}
let sequelizeEntry: string | undefined;

// ---- DataTypes before sequelize -------------------------------------------------------------------------------------

const STEPS = Symbol('manouche.typeSteps');
type Step = { get: string } | { call: unknown[] } | { construct: unknown[] };
const DECLARATIVE = /^[A-Z][A-Z0-9_]*$/;

/**
 * sequelize's DataTypes as an app declares them (`DataTypes.STRING(200)`, `DataTypes.INTEGER.UNSIGNED`,
 * `DataTypes.ENUM('a', 'b')`, `DataTypes.ARRAY(DataTypes.TEXT)`, `defaultValue: DataTypes.NOW`): each is written
 * down and becomes the real type when the model is defined. Reading anything else of one (its `key`, `toString()`,
 * `instanceof`) loads sequelize and answers from the real type.
 */
export function deferredDataTypes(): object {
  return (facade ??= recorder([]));
}
let facade: object | undefined;

/** The types of sequelize's DataTypes (tests/core/deferred-models.test.js keeps the list whole). */
export const DATA_TYPE_NAMES: readonly string[] = [
  'ABSTRACT', 'ARRAY', 'BIGINT', 'BLOB', 'BOOLEAN', 'CHAR', 'CIDR', 'CITEXT', 'DATE', 'DATEONLY', 'DECIMAL',
  'DOUBLE', 'ENUM', 'FLOAT', 'GEOGRAPHY', 'GEOMETRY', 'HSTORE', 'INET', 'INTEGER', 'JSON', 'JSONB', 'MACADDR',
  'MEDIUMINT', 'NOW', 'NUMBER', 'NUMERIC', 'RANGE', 'REAL', 'SMALLINT', 'STRING', 'TEXT', 'TIME', 'TINYINT',
  'TSVECTOR', 'UUID', 'UUIDV1', 'UUIDV4', 'VIRTUAL',
];
const TYPE_NAMES = new Set(DATA_TYPE_NAMES);

function recorder(steps: Step[]): object {
  let real: unknown;
  const resolved = (): any => (real ??= replay(steps));
  const target = function deferredType() {};
  return new Proxy(target, {
    // Once sequelize has loaded, a declaration kept from before answers as the real type does.
    get(_t, key) {
      if (key === STEPS) return steps;
      if (typeof key === 'string' && DECLARATIVE.test(key) && !sequelizeLoaded()) {
        // `DataTypes.STRNG` is undefined, as on sequelize's object: model() then names the attribute, as define() did.
        if (steps.length === 0 && !TYPE_NAMES.has(key)) return undefined;
        return recorder([...steps, { get: key }]);
      }
      const r = resolved();
      const value = Reflect.get(Object(r), key);
      return typeof value === 'function' && key !== 'constructor' && !DECLARATIVE.test(String(key)) ? value.bind(r) : value;
    },
    apply(_t, _this, args) { return sequelizeLoaded() ? resolved()(...args.map(realTypes)) : recorder([...steps, { call: args }]); },
    construct(_t, args) { return sequelizeLoaded() ? new (resolved())(...args.map(realTypes)) : recorder([...steps, { construct: args }]) as object; },
    getPrototypeOf() { return Reflect.getPrototypeOf(Object(resolved())); },
  });
}

function replay(steps: Step[]): unknown {
  let value: any = (require('sequelize') as typeof import('sequelize')).DataTypes;
  for (const step of steps) {
    if ('get' in step) value = value[step.get];
    else if ('call' in step) value = value(...step.call.map(realTypes));
    else value = new value(...step.construct.map(realTypes));
  }
  return value;
}

/** Whether `value` is a DataTypes declaration written down before sequelize loaded. */
export function isDeferredType(value: unknown): boolean {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && (value as any)[STEPS] !== undefined;
}

/** The real sequelize value of a declaration (arrays and plain objects walked: `ENUM({ values })`, `VIRTUAL(T, [...])`). */
export function realTypes<T>(value: T): T {
  if (isDeferredType(value)) return replay((value as any)[STEPS]) as T;
  if (Array.isArray(value)) return value.map(realTypes) as unknown as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const r = realTypes(v);
      if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = r;
    }
    return (copy ?? value) as T;
  }
  return value;
}

// ---- Models before sequelize ----------------------------------------------------------------------------------------

/** Every static of sequelize's Model and what Model.init() sets on a model (tests/core/deferred-models.test.js keeps it whole). */
export const MODEL_STATICS: readonly string[] = [
  'Mixin', '_addDefaultAttributes', '_assignOptions', '_attributeManipulation', '_baseMerge', '_conformInclude',
  '_conformIncludes', '_conformIndex', '_dataTypeChanges', '_dataTypeSanitizers', '_defaultValues',
  '_defaultsOptions', '_expandAttributes', '_expandIncludeAll', '_expandIncludeAllElement',
  '_findAutoIncrementAttribute', '_findSeparate', '_getDefaultTimestamp', '_getIncludedAssociation',
  '_hasBooleanAttributes', '_hasDateAttributes', '_hasDefaultValues', '_hasJsonAttributes', '_hasPrimaryKeys',
  '_hasReadOnlyAttributes', '_hasVirtualAttributes', '_indexes', '_injectDependentVirtualAttributes', '_injectScope',
  '_isPrimaryKey', '_jsonAttributes', '_mergeFunction', '_optionsMustContainWhere', '_paranoidClause',
  '_readOnlyAttributes', '_schema', '_schemaDelimiter', '_scope', '_scopeNames', '_setupHooks',
  '_timestampAttributes', '_transformStringAssociation', '_uniqIncludes', '_validateIncludedElement',
  '_validateIncludedElements', '_virtualAttributes', 'addHook', 'addScope', 'afterAssociate', 'afterBulkCreate',
  'afterBulkDestroy', 'afterBulkRestore', 'afterBulkSync', 'afterBulkUpdate', 'afterCreate', 'afterDestroy',
  'afterFind', 'afterQuery', 'afterRestore', 'afterSave', 'afterSync', 'afterUpdate', 'afterUpsert', 'afterValidate',
  'aggregate', 'associations', 'autoIncrementAttribute', 'beforeAssociate', 'beforeBulkCreate', 'beforeBulkDestroy',
  'beforeBulkRestore', 'beforeBulkSync', 'beforeBulkUpdate', 'beforeCount', 'beforeCreate', 'beforeDestroy',
  'beforeFind', 'beforeFindAfterExpandIncludeAll', 'beforeFindAfterOptions', 'beforeQuery', 'beforeRestore',
  'beforeSave', 'beforeSync', 'beforeUpdate', 'beforeUpsert', 'beforeValidate', 'belongsTo', 'belongsToMany',
  'build', 'bulkBuild', 'bulkCreate', 'count', 'create', 'decrement', 'default', 'describe', 'destroy', 'drop',
  'dropSchema', 'fieldAttributeMap', 'fieldRawAttributesMap', 'findAll', 'findAndCountAll', 'findByPk',
  'findCreateFind', 'findOne', 'findOrBuild', 'findOrCreate', 'getAssociationForAlias', 'getAssociations',
  'getAttributes', 'getTableName', 'hasAlias', 'hasHook', 'hasHooks', 'hasMany', 'hasOne', 'increment', 'init',
  'max', 'min', 'options', 'primaryKeyAttribute', 'primaryKeyAttributes', 'primaryKeyField', 'primaryKeys',
  'queryGenerator', 'queryInterface', 'rawAttributes', 'refreshAttributes', 'removeAttribute', 'removeHook',
  'restore', 'runHooks', 'schema', 'scope', 'sequelize', 'sum', 'sync', 'tableAttributes', 'tableName', 'truncate',
  'underscored', 'uniqueKeys', 'unscoped', 'update', 'upsert', 'validationFailed', 'warnOnInvalidOptions',
];

/** Every method of sequelize's Model.prototype (the same test keeps it whole). */
export const MODEL_METHODS: readonly string[] = [
  '_initValues', '_setInclude', '_setupHooks', 'addHook', 'changed', 'decrement', 'destroy', 'equals', 'equalsOneOf',
  'get', 'getDataValue', 'hasHook', 'hasHooks', 'increment', 'isSoftDeleted', 'previous', 'reload', 'removeHook',
  'restore', 'runHooks', 'save', 'sequelize', 'set', 'setAttributes', 'setDataValue', 'setValidators', 'toJSON',
  'toString', 'update', 'validate', 'where',
];

interface Pending {
  cls: ModelStatic<SequelizeModel>;
  name: string;
  attributes: Record<string, unknown>;
  options: Record<string, unknown>;
}
const pending: Pending[] = [];
const afterDefine: Array<() => void> = [];
let open: (() => void) | undefined;

/**
 * Runs `fn` once the models waiting now are defined — at once when none waits. The batteries declare their
 * associations this way, so that setting them up does not open the database.
 * @example whenModelsDefined(() => LogEntry.belongsTo(User, { as: 'user' }))
 */
export function whenModelsDefined(fn: () => void): void {
  if (pending.length === 0) fn();
  else afterDefine.push(fn);
}

/** The base of models defined before sequelize loads: any use but the declaration opens the database first. */
class DeferredModel {
  constructor(...args: unknown[]) {
    const cls = new.target as unknown as Function;
    opened(cls);
    return Reflect.construct(Object.getPrototypeOf(cls), args, cls);
  }
}
for (const name of MODEL_STATICS) {
  Object.defineProperty(DeferredModel, name, {
    configurable: true,
    get(this: Function) {
      if (this === DeferredModel) return undefined;
      opened(this);
      return (this as any)[name];
    },
    set(this: Function, value: unknown) { opened(this); (this as any)[name] = value; },
  });
}

// What the app's code reads of a waiting model's prototype (`const save = Post.prototype.save`) is sequelize's, too.
for (const name of MODEL_METHODS) {
  Object.defineProperty(DeferredModel.prototype, name, {
    configurable: true,
    get(this: object) {
      if (this === DeferredModel.prototype) return undefined;
      opened(this.constructor);
      return Reflect.get(this, name);
    },
    // `Post.prototype.toString = …` overrides sequelize's, as it would on a defined model, without opening the database.
    set(this: object, value: unknown) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

let failure: unknown;

function opened(cls: Function): void {
  open?.();
  if (failure) throw failure;
  if (Object.getPrototypeOf(cls) === DeferredModel) {
    throw new Error(`${cls.name} was defined with model() before the database opened, and the database did not define it.`);
  }
}

/**
 * A model class whose definition waits for the database: `open` opens it (and so defines every waiting model).
 * @example const Post = deferModel('Post', attributes, options, () => getDb())
 */
export function deferModel(name: string, attributes: Record<string, unknown>, options: Record<string, unknown>, openDb: () => void): ModelStatic<SequelizeModel> {
  // The mistake sequelize's define() finds at once (a misspelt type is undefined) is found here too, in its words.
  for (const [attr, spec] of Object.entries(attributes)) {
    const plain = spec !== null && typeof spec === 'object' && Object.getPrototypeOf(spec) === Object.prototype;
    if ((plain ? (spec as { type?: unknown }).type : spec) == null) throw new Error(`Unrecognized datatype for attribute "${name}.${attr}"`);
  }
  open = openDb;
  const cls = { [name]: class extends DeferredModel {} }[name] as unknown as ModelStatic<SequelizeModel>;
  pending.push({ cls, name, attributes, options });
  return cls;
}

/** Forgets the models waiting for a database that configure() replaced. */
export function forgetDeferredModels(): void {
  pending.length = 0;
  failure = undefined;
  afterDefine.length = 0;
  open = undefined;
}

/** The error that stopped the waiting models from being defined, if one did. */
export function deferredFailure(): unknown {
  return failure;
}

/** Whether some model waits for the database. */
export function hasDeferredModels(): boolean {
  return pending.length > 0;
}

/** The options of the waiting model named `name`, if there is one. */
export function deferredNamed(name: string): Record<string, unknown> | undefined {
  return pending.find((p) => p.name === name)?.options;
}

/** The waiting model of this class, if it is one. */
export function deferredOf(cls: unknown): { name: string; options: Record<string, unknown> } | undefined {
  return pending.find((p) => p.cls === cls);
}

/**
 * The type name of a waiting model's primary key as declared (`'BIGINT'`; `'INTEGER'` for the `id` sequelize adds),
 * or undefined when `cls` is not waiting.
 */
export function declaredKeyType(cls: unknown): string | undefined {
  const p = pending.find((w) => w.cls === cls);
  if (!p) return undefined;
  for (const spec of Object.values(p.attributes)) {
    if (spec && typeof spec === 'object' && !isDeferredType(spec) && (spec as { primaryKey?: boolean }).primaryKey) return typeName((spec as { type: unknown }).type);
  }
  return 'INTEGER';
}

function typeName(type: any): string {
  if (isDeferredType(type)) return (type[STEPS] as Step[]).map((s) => ('get' in s ? s.get : '')).find(Boolean) ?? '';
  return String(type?.key ?? type?.prototype?.key ?? '');
}

/** Whether `value` is a model class: sequelize's, or one waiting for the database. */
export function isModelClass(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  if ((value as Function).prototype instanceof DeferredModel) return true;
  if (!sequelizeLoaded()) return false;
  return (value as Function).prototype instanceof (require('sequelize') as typeof import('sequelize')).Model;
}

/**
 * Defines the waiting models on the database that just opened, in the order the app defined them: each class is
 * re-parented onto sequelize's Model and initialised as `sequelize.define()` would.
 */
export function defineDeferredModels(define: (cls: ModelStatic<SequelizeModel>, attributes: Record<string, unknown>, options: Record<string, unknown>) => void): void {
  if (pending.length === 0) return;
  const { Model } = require('sequelize') as typeof import('sequelize');
  const batch = pending.splice(0);
  for (const p of batch) {
    Object.setPrototypeOf(p.cls, Model);
    Object.setPrototypeOf(p.cls.prototype, Model.prototype);
  }
  let done = 0;
  try {
    for (const p of batch) {
      define(p.cls, realTypes(p.attributes), p.options);
      done++;
    }
    for (const fn of afterDefine.splice(0)) fn();
  } catch (err) {
    // The models after the one that failed stay waiting, and every use of them throws the same error.
    for (const p of batch.slice(done)) {
      Object.setPrototypeOf(p.cls, DeferredModel);
      Object.setPrototypeOf(p.cls.prototype, DeferredModel.prototype);
    }
    failure = err;
    throw err;
  }
}
