// The model state migrations describe: plain JSON-able tables, fields and indexes, rebuilt by replaying operations.
import type { DataTypes as SequelizeDataTypes, Model, ModelStatic } from 'sequelize';
import { MigrationError } from './errors';

/** sequelize's DataTypes, loaded when a type string is parsed (`check` reads migration states without sequelize). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realDataTypes = (): typeof SequelizeDataTypes => require('sequelize').DataTypes;

/** One column as a migration file writes it. `type` is a string such as 'STRING(255)' (see typeToString). */
export interface FieldState {
  type: string;
  allowNull: boolean;
  primaryKey?: boolean;
  autoIncrement?: boolean;
  unique?: boolean;
  /** A literal, or `{ fn: 'NOW' }` / `{ fn: 'UUIDV4' }`. */
  defaultValue?: unknown;
  references?: { table: string; key: string };
  onDelete?: string;
  onUpdate?: string;
}

export interface IndexState {
  name: string;
  fields: string[];
  unique?: boolean;
}

/** One table: fields are keyed by column name, in column order. */
export interface ModelState {
  app: string;
  name: string;
  table: string;
  fields: Record<string, FieldState>;
  indexes: IndexState[];
}

/** Every model of every app, as the migrations say it is. */
export class ProjectState {
  models = new Map<string, ModelState>();

  static key(app: string, name: string): string {
    return `${app}.${name.toLowerCase()}`;
  }

  get(app: string, name: string): ModelState | undefined {
    return this.models.get(ProjectState.key(app, name));
  }

  /** Like get(), but a missing model is an error naming it (a migration refers to a model that does not exist). */
  require(app: string, name: string): ModelState {
    const m = this.get(app, name);
    if (!m) throw new MigrationError(`the model ${app}.${name} does not exist at this point of the migration history`);
    return m;
  }

  set(m: ModelState): void {
    this.models.set(ProjectState.key(m.app, m.name), m);
  }

  delete(app: string, name: string): void {
    this.models.delete(ProjectState.key(app, name));
  }

  byTable(table: string): ModelState | undefined {
    for (const m of this.models.values()) if (m.table === table) return m;
    return undefined;
  }

  ofApp(app: string): ModelState[] {
    return [...this.models.values()].filter((m) => m.app === app);
  }

  clone(): ProjectState {
    const copy = new ProjectState();
    for (const [k, m] of this.models) copy.models.set(k, structuredClone(m));
    return copy;
  }
}

/**
 * Writes a sequelize data type as the string a migration file holds.
 * @example typeToString(DataTypes.STRING(100)) // 'STRING(100)'
 */
export function typeToString(type: any): string {
  const t = typeof type === 'function' ? new type() : type;
  const key: string = t.key === 'DOUBLE PRECISION' ? 'DOUBLE' : t.key;
  const o = t.options ?? {};
  let out = key;
  switch (key) {
    case 'STRING': out = `STRING(${o.length ?? 255})`; break;
    case 'CHAR': out = `CHAR(${o.length ?? 255})`; break;
    case 'TEXT': out = o.length ? `TEXT('${o.length}')` : 'TEXT'; break;
    case 'DECIMAL': out = o.precision ? `DECIMAL(${o.precision},${o.scale ?? 0})` : 'DECIMAL'; break;
    case 'ENUM': out = `ENUM(${(t.values as string[]).map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',')})`; break;
    case 'DATE': out = o.length ? `DATE(${o.length})` : 'DATE'; break;
    default: if (o.length && ['INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'MEDIUMINT', 'FLOAT'].includes(key)) out = `${key}(${o.length})`;
  }
  if (o.unsigned) out += '.UNSIGNED';
  return out;
}

/**
 * Reads a type string back into a sequelize data type; throws a MigrationError naming an unknown type.
 * @example parseType("ENUM('a','b')") // DataTypes.ENUM('a', 'b')
 */
export function parseType(s: string): any {
  // Arguments are numbers and quoted strings only: the string is evaluated, so nothing else may get through.
  const arg = String.raw`\s*(?:'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)\s*`;
  const grammar = new RegExp(`^[A-Z][A-Z0-9_]*(?:\\((?:${arg}(?:,${arg})*)?\\))?(?:\\.UNSIGNED|\\.ZEROFILL)*$`);
  if (typeof s !== 'string' || !grammar.test(s)) {
    throw new MigrationError(`unknown field type ${JSON.stringify(s)} (expected a string such as 'STRING(255)', 'INTEGER', "ENUM('a','b')")`);
  }
  const name = s.match(/^[A-Z0-9_]+/)![0];
  const DataTypes = realDataTypes();
  if (!(name in DataTypes)) throw new MigrationError(`unknown field type ${JSON.stringify(s)}: DataTypes.${name} does not exist`);
  // eslint-disable-next-line no-new-func
  return new Function('DataTypes', `return DataTypes.${s};`)(DataTypes);
}

/** A sequelize default value as a migration writes it; JS-side defaults (functions) have no database form. */
function defaultToState(v: unknown): unknown {
  if (v === undefined || typeof v === 'function' && !(v as any).key) return undefined;
  const key = (v as any)?.key ?? (typeof v === 'function' ? (v as any).prototype?.key : undefined);
  if (key === 'NOW') return { fn: 'NOW' };
  if (key === 'UUIDV4' || key === 'UUIDV1') return { fn: key };
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** The sequelize form of a state default value. */
export function defaultFromState(v: unknown): unknown {
  if (v && typeof v === 'object' && 'fn' in (v as object)) {
    const fn = (v as { fn: string }).fn;
    if (fn === 'NOW') return realDataTypes().NOW;
    if (fn === 'UUIDV4') return realDataTypes().UUIDV4;
    if (fn === 'UUIDV1') return realDataTypes().UUIDV1;
  }
  return v;
}

/** One sequelize attribute as a FieldState (only the keys that matter to the database, in a stable order). */
export function fieldFromAttribute(attr: any): FieldState {
  const f: FieldState = { type: typeToString(attr.type), allowNull: attr.allowNull !== false && !attr.primaryKey };
  if (attr.primaryKey) f.primaryKey = true;
  if (attr.autoIncrement) f.autoIncrement = true;
  if (attr.unique === true || (attr.unique && typeof attr.unique === 'object' && !attr.unique.name)) f.unique = true;
  const def = defaultToState(attr.defaultValue);
  if (def !== undefined) f.defaultValue = def;
  if (attr.references) {
    const ref = attr.references.model;
    const table = typeof ref === 'string' ? ref : typeof ref?.getTableName === 'function' ? String(ref.getTableName()) : ref?.tableName;
    f.references = { table, key: attr.references.key ?? 'id' };
    if (attr.onDelete) f.onDelete = String(attr.onDelete).toUpperCase();
    if (attr.onUpdate) f.onUpdate = String(attr.onUpdate).toUpperCase();
  }
  return f;
}

/** A sequelize model as a ModelState (VIRTUAL attributes skipped; composite uniques become unique indexes). */
export function modelToState(app: string, m: ModelStatic<Model>): ModelState {
  const table = String(m.getTableName());
  const fields: Record<string, FieldState> = {};
  const attrs = m.getAttributes() as Record<string, any>;
  const composite = new Map<string, string[]>();
  const columnOf = (attrName: string) => attrs[attrName]?.field ?? attrName;
  for (const [name, attr] of Object.entries(attrs)) {
    if (typeKeyOf(attr.type) === 'VIRTUAL') continue;
    const column = attr.field ?? name;
    fields[column] = fieldFromAttribute(attr);
    const u = attr.unique;
    const uname = typeof u === 'string' ? u : u && typeof u === 'object' && u.name ? u.name : undefined;
    if (uname) composite.set(uname, [...(composite.get(uname) ?? []), column]);
  }
  const indexes: IndexState[] = [];
  for (const [name, cols] of composite) {
    if (cols.length === 1) fields[cols[0]].unique = true;
    else indexes.push({ name, fields: cols, unique: true });
  }
  for (const idx of ((m as any)._indexes ?? m.options.indexes ?? []) as any[]) {
    const cols = (idx.fields as any[]).map((f) => (typeof f === 'string' ? columnOf(f) : columnOf(f.attribute ?? f.name)));
    const index: IndexState = { name: idx.name ?? `${table}_${cols.join('_')}`, fields: cols };
    if (idx.unique) index.unique = true;
    indexes.push(index);
  }
  return { app, name: m.name, table, fields, indexes };
}

function typeKeyOf(type: any): string {
  return String(type?.key ?? type?.prototype?.key ?? '');
}

/** JSON with object keys sorted: hand-written migrations list a field's keys in any order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => [k, v[k]]))
    : v));
}

/** True when two field (or index) descriptions say the same thing, whatever their key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
