// Models typed from their definition (drizzle's InferSelectModel idea): the attributes object passed to model()
// gives the instance's attribute types and what create() needs, with no attribute written twice.
import type { DataTypes as SequelizeDataTypes, Model, ModelStatic, ModelAttributeColumnOptions } from 'sequelize';

declare const jsType: unique symbol;
/** A data type that carries the JS type of its values (type-level only: nothing is added at run time). */
export interface Typed<T> { readonly [jsType]?: T }

type Sdt = typeof SequelizeDataTypes;
/** A data type usable bare (`DataTypes.TEXT`) or called (`DataTypes.STRING(255)`), both typed `T`. */
type TypedCtor<C, T> = {
  (...args: any[]): SequelizeDataTypes.AbstractDataType & Typed<T>;
  new (...args: any[]): SequelizeDataTypes.AbstractDataType & Typed<T>;
} & C & Typed<T>;

/** The JS type of a value of a data type (unknown for a type without one, e.g. sequelize's own DataTypes). */
export type JsTypeOf<X> = X extends Typed<infer T> ? (unknown extends T ? unknown : T) : unknown;

/**
 * sequelize's DataTypes, each declaring the JS type its values have in manouche's dialects (the same objects at
 * run time). BIGINT and DECIMAL come back as strings from PostgreSQL and MySQL, so they are typed as such.
 */
export interface TypedDataTypes extends Omit<Sdt,
  'STRING' | 'CHAR' | 'TEXT' | 'CITEXT' | 'UUID' | 'DATEONLY' | 'TIME' | 'DECIMAL' | 'INET' | 'CIDR' | 'MACADDR' | 'TSVECTOR'
  | 'INTEGER' | 'SMALLINT' | 'TINYINT' | 'MEDIUMINT' | 'FLOAT' | 'REAL' | 'DOUBLE' | 'NUMBER' | 'BIGINT'
  | 'BOOLEAN' | 'DATE' | 'BLOB' | 'JSON' | 'JSONB' | 'ENUM' | 'ARRAY'> {
  STRING: TypedCtor<Sdt['STRING'], string>;
  CHAR: TypedCtor<Sdt['CHAR'], string>;
  TEXT: TypedCtor<Sdt['TEXT'], string>;
  CITEXT: TypedCtor<Sdt['CITEXT'], string>;
  UUID: TypedCtor<Sdt['UUID'], string>;
  DATEONLY: TypedCtor<Sdt['DATEONLY'], string>;
  TIME: TypedCtor<Sdt['TIME'], string>;
  DECIMAL: TypedCtor<Sdt['DECIMAL'], string | number>;
  INET: TypedCtor<Sdt['INET'], string>;
  CIDR: TypedCtor<Sdt['CIDR'], string>;
  MACADDR: TypedCtor<Sdt['MACADDR'], string>;
  TSVECTOR: TypedCtor<Sdt['TSVECTOR'], string>;
  INTEGER: TypedCtor<Sdt['INTEGER'], number>;
  SMALLINT: TypedCtor<Sdt['SMALLINT'], number>;
  TINYINT: TypedCtor<Sdt['TINYINT'], number>;
  MEDIUMINT: TypedCtor<Sdt['MEDIUMINT'], number>;
  FLOAT: TypedCtor<Sdt['FLOAT'], number>;
  REAL: TypedCtor<Sdt['REAL'], number>;
  DOUBLE: TypedCtor<Sdt['DOUBLE'], number>;
  NUMBER: TypedCtor<Sdt['NUMBER'], number>;
  BIGINT: TypedCtor<Sdt['BIGINT'], string | number>;
  BOOLEAN: TypedCtor<Sdt['BOOLEAN'], boolean>;
  DATE: TypedCtor<Sdt['DATE'], Date>;
  BLOB: TypedCtor<Sdt['BLOB'], Buffer>;
  JSON: TypedCtor<Sdt['JSON'], unknown>;
  JSONB: TypedCtor<Sdt['JSONB'], unknown>;
  /** `DataTypes.ENUM('draft', 'published')`: values typed `'draft' | 'published'`. */
  ENUM: {
    <V extends string>(...values: V[]): SequelizeDataTypes.EnumDataType<V> & Typed<V>;
    <V extends string>(options: { values: V[] }): SequelizeDataTypes.EnumDataType<V> & Typed<V>;
  } & Sdt['ENUM'];
  /** `DataTypes.ARRAY(DataTypes.STRING)`: `string[]` (PostgreSQL). */
  ARRAY: {
    <E extends SequelizeDataTypes.AbstractDataTypeConstructor | SequelizeDataTypes.AbstractDataType>(type: E): SequelizeDataTypes.ArrayDataType<E> & Typed<JsTypeOf<E>[]>;
  } & Sdt['ARRAY'];
}

/** One attribute as model() takes it: a data type, or column options with a `type`. */
export type AttributeSpec = SequelizeDataTypes.DataType | ModelAttributeColumnOptions<Model>;
/** The attributes object of model(). */
export type AttributesSpec = Record<string, AttributeSpec>;

type TypeOfSpec<S> = S extends { type: infer X } ? X : S;
type IsNullable<S> = S extends { allowNull: false } | { primaryKey: true } ? false : true;
/** A field create() may leave out: it has a default, is autoincremented, or may be null. */
type IsOptional<S> = S extends { defaultValue: unknown } | { autoIncrement: true } ? true : IsNullable<S>;
type ValueOfSpec<S> = JsTypeOf<TypeOfSpec<S>> | (IsNullable<S> extends true ? null : never);

type HasPrimaryKey<A> = true extends { [K in keyof A]: A[K] extends { primaryKey: true } ? true : false }[keyof A] ? true : false;
/** The `id` sequelize adds when no attribute is the primary key. */
type ImplicitId<A> = HasPrimaryKey<A> extends true ? unknown : { id: number };
/** createdAt/updatedAt, unless the options turn them off. */
type Timestamps<O> = O extends { timestamps: false } ? unknown
  : (O extends { createdAt: false } ? unknown : { createdAt: Date }) & (O extends { updatedAt: false } ? unknown : { updatedAt: Date });

type Flatten<T> = { -readonly [K in keyof T]: T[K] } & {};
type OptionalKeys<A> = { [K in keyof A]: IsOptional<A[K]> extends true ? K : never }[keyof A];
type RequiredKeys<A> = Exclude<keyof A, OptionalKeys<A>>;

/**
 * The attributes of a model's instances, from model()'s attributes and options.
 * @example InferAttributes<{ title: { type: typeof DataTypes.STRING; allowNull: false } }, {}> // { title: string; id: number; createdAt: Date; updatedAt: Date }
 */
export type InferAttributes<A, O = {}> = Flatten<{ [K in keyof A]: ValueOfSpec<A[K]> } & ImplicitId<A> & Timestamps<O>>;
/** What create()/build() need: fields with a default, autoincrement or allowNull may be left out. */
export type InferCreationAttributes<A, O = {}> = Flatten<
  { [K in RequiredKeys<A>]: ValueOfSpec<A[K]> } & { [K in OptionalKeys<A>]?: ValueOfSpec<A[K]> }
  & Partial<ImplicitId<A> & Timestamps<O>>>;

/** An instance of a typed model: sequelize's Model with its attributes as properties. */
export type TypedInstance<T extends object, C extends object = T> = Model<T, C> & T;
/** The class model() returns: `Post.findAll()` gives `TypedInstance[]`, `Post.create(values)` checks `values`. */
export type TypedModel<T extends object, C extends object = T> = ModelStatic<TypedInstance<T, C>>;

/** The attribute names of a model class: what admin options and API fields may name. */
export type AttributeNames<M> = M extends ModelStatic<infer I> ? Extract<keyof I['_attributes'], string> : string;
/**
 * The instance type of a model class.
 * @example type PostRow = InstanceOf<typeof Post>; // post.title: string
 */
export type InstanceOf<M> = M extends ModelStatic<infer I> ? I : never;
