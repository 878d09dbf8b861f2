// Migration operations: what each one does to the model state, to the database forwards and backwards, and its one-line description.
/*
 * THE MIGRATION FILE FORMAT (for apps and for the framework's own auth/sessions/admin migrations)
 *
 * `<dir>/NNNN_name.js` (NNNN = 0001, 0002 …) is a CommonJS module:
 *
 *   module.exports = {
 *     dependencies: [['auth', '0001_initial']],          // [app label, migration name] that must run first
 *     operations: [
 *       { type: 'createModel', name: 'Post', table: 'blog_post', fields: {
 *           id: { type: 'INTEGER', primaryKey: true, autoIncrement: true, allowNull: false },
 *           title: { type: 'STRING(255)', allowNull: false, unique: true },
 *           authorId: { type: 'INTEGER', allowNull: true, references: { table: 'auth_user', key: 'id' }, onDelete: 'CASCADE' },
 *           createdAt: { type: 'DATE', allowNull: false, defaultValue: { fn: 'NOW' } } },
 *         indexes: [{ name: 'blog_post_title_created', fields: ['title', 'createdAt'], unique: false }] },
 *       { type: 'deleteModel', name: 'Post' },
 *       { type: 'renameModel', oldName: 'Post', newName: 'Article', table: 'blog_article' },
 *       { type: 'addField', model: 'Post', name: 'slug', field: { type: 'STRING(50)', allowNull: false }, oneOffDefault: '' },
 *       { type: 'removeField', model: 'Post', name: 'slug' },
 *       { type: 'alterField', model: 'Post', name: 'title', field: { type: 'TEXT', allowNull: false }, oneOffDefault: '' },  // fills NULLs
 *       { type: 'renameField', model: 'Post', oldName: 'title', newName: 'headline' },
 *       { type: 'addIndex', model: 'Post', index: { name: 'blog_post_slug', fields: ['slug'], unique: true } },
 *       { type: 'removeIndex', model: 'Post', name: 'blog_post_slug' },
 *       { type: 'addConstraint', model: 'Post', constraint: { type: 'unique', name: 'blog_post_a_b_uniq', fields: ['a', 'b'] } },
 *       { type: 'removeConstraint', model: 'Post', name: 'blog_post_a_b_uniq' },
 *       { type: 'runSql', sql: "UPDATE blog_post SET slug = id", reverseSql: '' },      // '' = nothing to undo
 *       { type: 'runJs', code: async ({ sequelize, queryInterface, transaction }) => { … }, reverse: async (ctx) => { … } },
 *     ],
 *   };
 *
 * Fields are keyed by column name. Types are strings naming sequelize DataTypes: 'STRING(255)', 'CHAR(2)', 'TEXT',
 * 'INTEGER', 'BIGINT', 'BOOLEAN', 'DATE', 'DATEONLY', 'TIME', 'FLOAT', 'DOUBLE', 'DECIMAL(10,2)', 'JSON', 'UUID',
 * "ENUM('a','b')". Defaults are literals, or { fn: 'NOW' } / { fn: 'UUIDV4' }. `model` names a model of the same app.
 * A runSql/runJs without a reverse makes the migration irreversible. Pass `transaction` to queries in runJs: on
 * PostgreSQL the migration runs in it, and a query outside it would wait for the migration's own locks; on SQLite
 * every query joins the migration's transaction anyway (do not open another one). MariaDB/MySQL commit each schema
 * change at once, so there a failing migration stays partly applied (migrate says so).
 *
 * Each migration runs in one transaction (SQLite, PostgreSQL) and is recorded in the `manouche_migrations` table
 * (app, name, applied). The model state is rebuilt by replaying these operations, never by reading the database.
 */
import type { Sequelize, Transaction } from 'sequelize';
import { MigrationError } from './errors';
import type { SchemaEditor } from './schema';
import { parseType, type FieldState, type IndexState, type ModelState, type ProjectState } from './state';

export type Operation = { type: string; [key: string]: any };

/** What runJs code receives. */
export interface RunJsContext {
  sequelize: Sequelize;
  queryInterface: ReturnType<Sequelize['getQueryInterface']>;
  transaction?: Transaction;
  app: string;
}

interface OperationKind {
  /** Checks the operation's shape; throws a message naming the missing key. */
  check(op: Operation): void;
  state(s: ProjectState, app: string, op: Operation): void;
  /** `from` is the state before the operation, `to` after it. */
  forwards(e: SchemaEditor, app: string, op: Operation, from: ProjectState, to: ProjectState, run: RunJsContext): Promise<void>;
  backwards(e: SchemaEditor, app: string, op: Operation, from: ProjectState, to: ProjectState, run: RunJsContext): Promise<void>;
  describe(op: Operation): string;
  /** A sentence when the operation loses data (dropping a table or column, narrowing a type). */
  loss?(op: Operation, from: ProjectState, app: string): string | undefined;
}

function need(op: Operation, ...keys: string[]): void {
  for (const k of keys) if (op[k] === undefined || op[k] === null) throw new MigrationError(`operation ${op.type} needs "${k}"`);
}

function checkField(where: string, f: FieldState): void {
  if (!f || typeof f !== 'object') throw new MigrationError(`${where}: a field must be an object like { type: 'STRING(255)', allowNull: false }`);
  parseType(f.type);
}

function replaceModel(s: ProjectState, app: string, name: string, change: (m: ModelState) => void): void {
  const m = structuredClone(s.require(app, name));
  change(m);
  s.set(m);
}

const irreversible = (what: string) => async () => { throw new MigrationError(`${what} is not reversible`); };

const createModel: OperationKind = {
  check(op) { need(op, 'name', 'table', 'fields'); for (const [k, f] of Object.entries(op.fields)) checkField(`field ${k}`, f as FieldState); },
  state(s, app, op) {
    if (s.get(app, op.name)) throw new MigrationError(`the model ${app}.${op.name} already exists`);
    s.set({ app, name: op.name, table: op.table, fields: structuredClone(op.fields), indexes: structuredClone(op.indexes ?? []) });
  },
  forwards: (e, app, op, _from, to) => e.createTable(to.require(app, op.name)),
  backwards: (e, app, op, _from, to) => e.dropTable(to.require(app, op.name)),
  describe: (op) => `Create model ${op.name}`,
};

const deleteModel: OperationKind = {
  check(op) { need(op, 'name'); },
  state(s, app, op) { s.require(app, op.name); s.delete(app, op.name); },
  forwards: (e, app, op, from) => e.dropTable(from.require(app, op.name)),
  backwards: (e, app, op, from) => e.createTable(from.require(app, op.name)),
  describe: (op) => `Delete model ${op.name}`,
  loss: (op, from, app) => `deletes the table ${from.get(app, op.name)?.table ?? op.name} and every row in it`,
};

const renameModel: OperationKind = {
  check(op) { need(op, 'oldName', 'newName'); },
  state(s, app, op) {
    const m = structuredClone(s.require(app, op.oldName));
    if (s.get(app, op.newName)) throw new MigrationError(`the model ${app}.${op.newName} already exists`);
    s.delete(app, op.oldName);
    const oldTable = m.table;
    m.name = op.newName;
    if (op.table) m.table = op.table;
    s.set(m);
    // Keys pointing at the old table now point at the new one (the databases follow renames the same way).
    for (const other of s.models.values()) {
      for (const f of Object.values(other.fields)) if (f.references?.table === oldTable) f.references.table = m.table;
    }
  },
  forwards: (e, app, op, from, to) => e.renameTable(from.require(app, op.oldName), to.require(app, op.newName)),
  backwards: (e, app, op, from, to) => e.renameTable(to.require(app, op.newName), from.require(app, op.oldName)),
  describe: (op) => `Rename model ${op.oldName} to ${op.newName}`,
};

const addField: OperationKind = {
  check(op) { need(op, 'model', 'name', 'field'); checkField(`field ${op.name}`, op.field); },
  state(s, app, op) {
    replaceModel(s, app, op.model, (m) => {
      if (op.name in m.fields) throw new MigrationError(`${app}.${op.model} already has a field ${op.name}`);
      m.fields[op.name] = structuredClone(op.field);
    });
  },
  forwards: (e, app, op, from, to) => e.addColumn(from.require(app, op.model), to.require(app, op.model), op.name, op.oneOffDefault),
  backwards: (e, app, op, from, to) => e.removeColumn(to.require(app, op.model), from.require(app, op.model), op.name),
  describe: (op) => `Add field ${op.name} to ${op.model}`,
};

const removeField: OperationKind = {
  check(op) { need(op, 'model', 'name'); },
  state(s, app, op) {
    replaceModel(s, app, op.model, (m) => {
      if (!(op.name in m.fields)) throw new MigrationError(`${app}.${op.model} has no field ${op.name}`);
      delete m.fields[op.name];
      m.indexes = m.indexes.filter((i) => !i.fields.includes(op.name));
    });
  },
  forwards: (e, app, op, from, to) => e.removeColumn(from.require(app, op.model), to.require(app, op.model), op.name),
  backwards: (e, app, op, from, to) => e.addColumn(to.require(app, op.model), from.require(app, op.model), op.name),
  describe: (op) => `Remove field ${op.name} from ${op.model}`,
  loss: (op) => `drops the column ${op.model}.${op.name} and its data`,
};

const alterField: OperationKind = {
  check(op) { need(op, 'model', 'name', 'field'); checkField(`field ${op.name}`, op.field); },
  state(s, app, op) {
    replaceModel(s, app, op.model, (m) => {
      if (!(op.name in m.fields)) throw new MigrationError(`${app}.${op.model} has no field ${op.name}`);
      m.fields[op.name] = structuredClone(op.field);
    });
  },
  forwards: (e, app, op, from, to) => e.alterColumn(from.require(app, op.model), to.require(app, op.model), op.name, op.oneOffDefault),
  backwards: (e, app, op, from, to) => e.alterColumn(to.require(app, op.model), from.require(app, op.model), op.name),
  describe: (op) => `Alter field ${op.name} on ${op.model}`,
  loss(op, from, app) {
    const before = from.get(app, op.model)?.fields[op.name];
    if (before && isNarrowing(before.type, op.field.type)) return `narrows ${op.model}.${op.name} from ${before.type} to ${op.field.type}: longer values may be cut or refused`;
    return undefined;
  },
};

const renameField: OperationKind = {
  check(op) { need(op, 'model', 'oldName', 'newName'); },
  state(s, app, op) {
    replaceModel(s, app, op.model, (m) => {
      if (!(op.oldName in m.fields)) throw new MigrationError(`${app}.${op.model} has no field ${op.oldName}`);
      m.fields = Object.fromEntries(Object.entries(m.fields).map(([k, f]) => [k === op.oldName ? op.newName : k, f]));
      for (const i of m.indexes) i.fields = i.fields.map((f) => (f === op.oldName ? op.newName : f));
    });
  },
  forwards: (e, app, op, from, to) => e.renameColumn(from.require(app, op.model), to.require(app, op.model), op.oldName, op.newName),
  backwards: (e, app, op, from, to) => e.renameColumn(to.require(app, op.model), from.require(app, op.model), op.newName, op.oldName),
  describe: (op) => `Rename field ${op.oldName} on ${op.model} to ${op.newName}`,
};

function indexOp(key: 'index' | 'constraint'): OperationKind {
  const toIndex = (op: Operation): IndexState => ({ name: op[key].name, fields: op[key].fields, ...(op[key].unique || key === 'constraint' ? { unique: true } : {}) });
  return {
    check(op) {
      need(op, 'model', key);
      if (!op[key].name || !Array.isArray(op[key].fields)) throw new MigrationError(`operation ${op.type} needs ${key}.name and ${key}.fields`);
      if (key === 'constraint' && op.constraint.type !== 'unique') throw new MigrationError('addConstraint supports { type: \'unique\' } constraints');
    },
    state(s, app, op) { replaceModel(s, app, op.model, (m) => { m.indexes.push(toIndex(op)); }); },
    forwards: (e, app, op, _from, to) => e.addIndex(to.require(app, op.model), toIndex(op)),
    backwards: (e, app, op, _from, to) => e.removeIndex(to.require(app, op.model), toIndex(op)),
    describe: (op) => `Create ${key === 'constraint' ? 'unique constraint' : 'index'} ${op[key].name} on ${op[key].fields.join(', ')} of ${op.model}`,
  };
}

function removeIndexOp(label: string): OperationKind {
  const find = (m: ModelState, op: Operation) => {
    const idx = m.indexes.find((i) => i.name === op.name);
    if (!idx) throw new MigrationError(`${m.app}.${m.name} has no ${label} ${op.name}`);
    return idx;
  };
  return {
    check(op) { need(op, 'model', 'name'); },
    state(s, app, op) { replaceModel(s, app, op.model, (m) => { find(m, op); m.indexes = m.indexes.filter((i) => i.name !== op.name); }); },
    forwards: (e, app, op, from) => e.removeIndex(from.require(app, op.model), find(from.require(app, op.model), op)),
    backwards: (e, app, op, from) => e.addIndex(from.require(app, op.model), find(from.require(app, op.model), op)),
    describe: (op) => `Remove ${label} ${op.name} from ${op.model}`,
  };
}

const runSql: OperationKind = {
  check(op) { need(op, 'sql'); },
  state() {},
  async forwards(e, _app, op) { for (const sql of [op.sql].flat()) await e.execute(sql); },
  async backwards(e, app, op, ...rest) {
    if (op.reverseSql === undefined || op.reverseSql === null) return irreversible('runSql without reverseSql')();
    for (const sql of [op.reverseSql].flat().filter(Boolean)) await e.execute(sql);
    void app; void rest;
  },
  describe: (op) => `Raw SQL operation: ${String([op.sql].flat()[0]).slice(0, 60)}`,
};

const runJs: OperationKind = {
  check(op) { if (typeof op.code !== 'function') throw new MigrationError('operation runJs needs "code", an async function ({ sequelize, queryInterface, transaction }) => …'); },
  state() {},
  async forwards(e, _app, op, _from, _to, ctx) {
    if (e.collected) { e.collected.push('-- runJs: JavaScript code, no SQL to show'); return; }
    await op.code(ctx);
  },
  async backwards(e, _app, op, _from, _to, ctx) {
    if (op.reverse === undefined || op.reverse === null) return irreversible('runJs without reverse')();
    if (e.collected) { e.collected.push('-- runJs reverse: JavaScript code, no SQL to show'); return; }
    if (typeof op.reverse === 'function') await op.reverse(ctx);
  },
  describe: () => 'Raw JavaScript operation',
};

/** Every operation type a migration file may use. */
export const OPERATIONS: Record<string, OperationKind> = {
  createModel, deleteModel, renameModel, addField, removeField, alterField, renameField,
  addIndex: indexOp('index'), removeIndex: removeIndexOp('index'),
  addConstraint: indexOp('constraint'), removeConstraint: removeIndexOp('constraint'),
  runSql, runJs,
};

/** The kind behind an operation; an unknown type names the known ones. */
export function operationKind(op: Operation): OperationKind {
  const kind = op && typeof op === 'object' ? OPERATIONS[op.type] : undefined;
  if (!kind) throw new MigrationError(`unknown operation type ${JSON.stringify(op?.type)}; known types: ${Object.keys(OPERATIONS).join(', ')}`);
  return kind;
}

/** Applies an operation to a state (in place), after checking its shape. */
export function applyToState(s: ProjectState, app: string, op: Operation): void {
  const kind = operationKind(op);
  kind.check(op);
  kind.state(s, app, op);
}

const WIDER: Record<string, string[]> = {
  SMALLINT: ['INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL'],
  INTEGER: ['BIGINT', 'DOUBLE', 'DECIMAL'],
  FLOAT: ['DOUBLE'],
  STRING: ['TEXT'],
  CHAR: ['STRING', 'TEXT'],
  DATEONLY: ['DATE'],
};

/** True when a type change may lose data: a shorter STRING, TEXT → STRING, BIGINT → INTEGER, anything → BOOLEAN … */
export function isNarrowing(from: string, to: string): boolean {
  if (from === to) return false;
  const base = (t: string) => t.replace(/\(.*$/s, '').replace(/\..*$/, '');
  const len = (t: string) => Number(t.match(/^\w+\((\d+)/)?.[1] ?? 255);
  const [a, b] = [base(from), base(to)];
  if (a === b) {
    if (a === 'STRING' || a === 'CHAR') return len(to) < len(from);
    if (a === 'ENUM') return !parseType(from).values.every((v: string) => parseType(to).values.includes(v));
    if (a === 'DECIMAL') return to < from;
    return false;
  }
  return !(WIDER[a] ?? []).includes(b);
}
