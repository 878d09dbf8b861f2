// Fixtures as Django-style JSON (dumpdata / loaddata) and flush: every table emptied, migrations kept.
import fs from 'node:fs';
import { QueryTypes, type Model, type ModelStatic, type Transaction } from 'sequelize';
import { ManoucheError } from '../conf/errors';
import { getDb } from './connection';
import { allModels, getModelMeta } from './models';
import { state } from '../conf/state';
import { orderByReferences } from './migrations/autodetector';
import { loadGraph, stateAt } from './migrations/loader';
import { RECORDER_TABLE } from './migrations/recorder';
import { modelToState } from './migrations/state';
import { fieldTargets, naturalKeyFields, naturalKeyOf, pkByNaturalKey, snakeCase } from './fixture-fields';

/** One object of a fixture: `{ "model": "blog.post", "pk": 1, "fields": { … } }`; many-to-many fields hold pk lists. */
export interface FixtureObject {
  model: string;
  pk: unknown;
  fields: Record<string, unknown>;
}

/**
 * A join table of a belongsToMany, holding nothing but the two keys (and an id): its rows are dumped as pk lists on
 * the model that declares the relation, as Django does, never as objects of their own (whose pks would clash).
 * A join model with fields of its own is a model like any other (Django's `through=` models).
 */
function isThrough(m: ModelStatic<Model>, all: ModelStatic<Model>[]): boolean {
  if ((m.options as unknown as Record<string, unknown>).through !== undefined) return true;
  for (const o of all) {
    for (const a of Object.values(o.associations) as any[]) {
      if (a.associationType !== 'BelongsToMany' || a.through.model !== m) continue;
      const keys = new Set([a.foreignKey, a.otherKey, 'id', 'createdAt', 'updatedAt']);
      return Object.keys(m.getAttributes()).every((k) => keys.has(k));
    }
  }
  return false;
}

/** Models in an order that loads without breaking foreign keys (referenced tables first), join tables left out. */
function orderedModels(): ModelStatic<Model>[] {
  const all = allModels();
  const models = all.filter((m) => !isThrough(m, all));
  const byTable = new Map(models.map((m) => [String(m.getTableName()), m]));
  return orderByReferences(models.map((m) => modelToState(getModelMeta(m).appLabel, m))).map((s) => byTable.get(s.table)!);
}

/**
 * The many-to-many associations whose links are dumped on this model. Both sides of a relation declare it in
 * sequelize; Django writes it once, on the model that holds the field: here the side whose key comes first in the
 * join table (user → groups, post → tags).
 */
function m2mOf(m: ModelStatic<Model>, all: ModelStatic<Model>[]): any[] {
  return (Object.values(m.associations) as any[]).filter((a) => {
    if (a.associationType !== 'BelongsToMany' || !isThrough(a.through.model, all)) return false;
    const columns = Object.keys(a.through.model.getAttributes());
    return columns.indexOf(a.foreignKey) < columns.indexOf(a.otherKey);
  });
}

const label = (m: ModelStatic<Model>) => `${getModelMeta(m).appLabel}.${getModelMeta(m).modelName}`;

/** Options of dumpData(): `django` writes the shape Django's loaddata reads (snake_case, foreign keys by relation). */
export interface DumpOptions {
  django?: boolean;
}

/** Models with no Django counterpart to load into: Django makes its permissions itself (they hang on content types). */
const NOT_FOR_DJANGO = new Set(['auth.permission', 'auth.loginattempt']);

/**
 * Dumps objects as fixture JSON. Labels: 'blog' (an app) or 'blog.Post' (one model); none = everything.
 * Decimals are written as strings (exact, as Django writes them). With `{ django: true }` the names are Django's
 * (`last_login`, a foreign key under its relation's name, `author`) and permissions are linked by natural key.
 * @example await dumpData(['blog.Post']) // [{ model: 'blog.post', pk: 1, fields: { title: 'Hi', tags: [1, 2] } }]
 */
export async function dumpData(labels: string[] = [], options: DumpOptions = {}): Promise<FixtureObject[]> {
  const everything = orderedModels();
  const all = options.django ? everything.filter((m) => !NOT_FOR_DJANGO.has(label(m))) : everything;
  const wanted = labels.map((l) => l.toLowerCase());
  for (const l of wanted) {
    if (!all.some((m) => getModelMeta(m).appLabel === l || label(m) === l)) throw new ManoucheError('E_FIXTURE', { detail: `Unknown app or model label '${l}' (expected e.g. 'blog' or 'blog.Post').` });
  }
  const out: FixtureObject[] = [];
  for (const m of all) {
    if (wanted.length && !wanted.includes(getModelMeta(m).appLabel) && !wanted.includes(label(m))) continue;
    const pk = m.primaryKeyAttribute;
    const rows = await m.findAll({ order: [[pk, 'ASC']] });
    const m2m = m2mOf(m, allModels());
    const links = new Map<string, Map<unknown, unknown[]>>();
    for (const a of m2m) {
      const through = await a.through.model.findAll({ raw: true, attributes: [a.foreignKey, a.otherKey], order: [[a.foreignKey, 'ASC'], [a.otherKey, 'ASC']] });
      // Django's loaddata finds a permission by natural key: its pks differ between the two databases.
      const natural = options.django && naturalKeyFields(a.target)?.length === 3;
      const keyOf = natural ? new Map((await a.target.findAll({ raw: true })).map((r: any) => [r[a.target.primaryKeyAttribute], naturalKeyOf(a.target, r)])) : undefined;
      const map = new Map<unknown, unknown[]>();
      for (const r of through) map.set(r[a.foreignKey], [...(map.get(r[a.foreignKey]) ?? []), keyOf ? keyOf.get(r[a.otherKey]) : r[a.otherKey]]);
      links.set(a.as, map);
    }
    for (const row of rows) {
      const values = row.get({ plain: true }) as Record<string, unknown>;
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) {
        if (k === pk || !(k in m.getAttributes())) continue;
        fields[options.django ? djangoName(m, k) : k] = exactDecimal(m, k, v);
      }
      for (const a of m2m) fields[options.django ? snakeCase(a.as) : a.as] = links.get(a.as)!.get(values[pk]) ?? [];
      out.push({ model: label(m), pk: values[pk], fields });
    }
  }
  return out;
}

/** Django's field name for an attribute: a foreign key under its relation's name (`authorId` → `author`), snake_case. */
function djangoName(m: ModelStatic<Model>, attr: string): string {
  const fk = (Object.values(m.associations) as any[]).find((a) => a.associationType === 'BelongsTo' && a.foreignKey === attr);
  return snakeCase(fk ? fk.as : attr);
}

/** A DECIMAL as Django writes it: a string with the column's scale ('12.50'), never a float. */
function exactDecimal(m: ModelStatic<Model>, attr: string, v: unknown): unknown {
  const type = (m.getAttributes()[attr] as { type?: { key?: string; options?: { scale?: number } } }).type;
  if (type?.key !== 'DECIMAL' || v === null || v === undefined) return v;
  const scale = type.options?.scale;
  return typeof v === 'number' && scale !== undefined ? v.toFixed(scale) : String(v);
}

/**
 * Loads a fixture file atomically: every object or none. Existing rows with the same pk are updated.
 * Throws E_FIXTURE naming the file and the object that failed. Returns the number of objects installed.
 * @example await loadData('initial.json') // 12
 */
export async function loadData(file: string): Promise<number> {
  let objects: FixtureObject[];
  try {
    objects = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ManoucheError('E_FIXTURE', { detail: `Problem installing fixture '${file}': ${(err as Error).message}` });
  }
  if (!Array.isArray(objects)) throw new ManoucheError('E_FIXTURE', { detail: `Problem installing fixture '${file}': expected a JSON list of objects.` });
  const sequelize = getDb();
  const all = allModels();
  const byLabel = new Map(all.map((m) => [label(m), m]));
  const dialect = sequelize.getDialect();
  await sequelize.transaction(async (transaction) => {
    if (dialect === 'sqlite') await sequelize.query('PRAGMA defer_foreign_keys = ON', { transaction });
    if (dialect === 'mysql') await sequelize.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
    const touched = new Set<ModelStatic<Model>>();
    const links: Array<[string, () => Promise<void>]> = [];
    const where = (i: number, obj: FixtureObject) => `Problem installing fixture '${file}': object #${i + 1} (${obj?.model ?? '?'}, pk=${JSON.stringify(obj?.pk)})`;
    for (const [i, obj] of objects.entries()) {
      try {
        const m = byLabel.get(String(obj?.model).toLowerCase());
        if (!m) throw new Error(`unknown model '${obj?.model}'`);
        links.push([where(i, obj), await saveObject(m, obj, transaction)]);
        touched.add(m);
      } catch (err) {
        throw new ManoucheError('E_FIXTURE', { detail: `${where(i, obj)}: ${explain(err)}` });
      }
    }
    for (const [at, writeLinks] of links) {
      try { await writeLinks(); } catch (err) { throw new ManoucheError('E_FIXTURE', { detail: `${at}: ${explain(err)}` }); }
    }
    if (dialect === 'mysql') await sequelize.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
    if (dialect === 'postgres') for (const m of touched) await resetSequence(m, transaction);
  });
  return objects.length;
}

/**
 * Saves one object; returns the step that writes its many-to-many links (run once every object exists). Field names
 * may be ours or Django's; a foreign key or a link may be a pk or a natural key; an object without a pk is found by
 * its natural key (Django's --natural-primary) or created.
 */
async function saveObject(m: ModelStatic<Model>, obj: FixtureObject, transaction: Transaction): Promise<() => Promise<void>> {
  const pk = m.primaryKeyAttribute;
  const targets = fieldTargets(m);
  const plain: Record<string, unknown> = {};
  const links: Array<[any, unknown[], string]> = [];
  if (obj.fields === null || typeof obj.fields !== 'object' || Array.isArray(obj.fields)) throw new Error('"fields" must be an object');
  for (const [k, v] of Object.entries(obj.fields)) {
    const t = targets.get(k);
    if (!t) throw new Error(`${m.name} has no field '${k}'`);
    if (t.kind === 'm2m') {
      if (!Array.isArray(v)) throw new Error(`the many-to-many field '${k}' must be a list of primary keys or natural keys`);
      links.push([t.assoc, v, k]);
    } else if (t.kind === 'fk' && Array.isArray(v)) {
      plain[t.attr] = await pkByNaturalKey(t.target, v, transaction).catch((err) => { throw new Error(`field '${k}': ${err.message}`); });
    } else {
      plain[t.attr] = v;
    }
  }
  const hasPk = obj.pk !== undefined && obj.pk !== null;
  const natural = naturalKeyFields(m);
  let existing = hasPk ? await m.findByPk(obj.pk as never, { transaction }) : null;
  if (!hasPk && natural && natural.every((f) => plain[f] !== undefined)) {
    existing = await m.findOne({ where: Object.fromEntries(natural.map((f) => [f, plain[f]])) as never, transaction });
  }
  let id: unknown;
  if (existing) {
    await existing.update(plain, { transaction, silent: true, validate: false, hooks: false });
    id = existing.get(pk);
  } else {
    // silent keeps a given updatedAt; without one, sequelize must set it (the column is NOT NULL).
    const updatedAt = (m as unknown as { _timestampAttributes: { updatedAt?: string } })._timestampAttributes.updatedAt;
    const silent = Boolean(updatedAt && plain[updatedAt] !== undefined);
    const created = await m.create({ ...plain, ...(hasPk ? { [pk]: obj.pk } : {}) }, { transaction, silent, validate: false, hooks: false });
    id = created.get(pk);
  }
  return async () => {
    for (const [a, keys, name] of links) {
      const ids: unknown[] = [];
      for (const key of keys) {
        ids.push(Array.isArray(key) ? await pkByNaturalKey(a.target, key, transaction).catch((err) => { throw new Error(`field '${name}': ${err.message}`); }) : key);
      }
      await a.through.model.destroy({ where: { [a.foreignKey]: id }, transaction });
      await a.through.model.bulkCreate(ids.map((other) => ({ [a.foreignKey]: id, [a.otherKey]: other })), { transaction });
    }
  };
}

/** A database error's useful part: sequelize's "Validation error" alone says nothing. */
function explain(err: unknown): string {
  const e = err as Error & { errors?: Array<{ message: string }>; parent?: Error };
  const detail = e.errors?.map((x) => x.message).join('; ') || e.parent?.message;
  return detail && !e.message.includes(detail) ? `${e.message} (${detail})` : e.message;
}

/** After rows were inserted with explicit ids, PostgreSQL's sequence must move past them. */
async function resetSequence(m: ModelStatic<Model>, transaction: Transaction): Promise<void> {
  const pk = m.getAttributes()[m.primaryKeyAttribute] as { autoIncrement?: boolean; field?: string };
  if (!pk?.autoIncrement) return;
  const table = String(m.getTableName());
  const col = pk.field ?? m.primaryKeyAttribute;
  await getDb().query(
    `SELECT setval(pg_get_serial_sequence('"${table}"', '${col}'), COALESCE(MAX("${col}"), 1), MAX("${col}") IS NOT NULL) FROM "${table}"`,
    { transaction, type: QueryTypes.SELECT },
  );
}

let graphTables: string[] | undefined;

/** Every table the migrations and the models know, except the record of applied migrations. */
async function knownTables(): Promise<string[]> {
  graphTables ??= [...stateAt(loadGraph()).models.values()].map((m) => m.table);
  const tables = new Set([...graphTables, ...allModels().map((m) => String(m.getTableName()))]);
  const existing = new Set(((await getDb().getQueryInterface().showAllTables()) as unknown[]).map((t: any) => String(t.tableName ?? t)));
  return [...tables].filter((t) => t !== RECORDER_TABLE && existing.has(t));
}

/**
 * Empties every table (ids restart), keeps the migration record, then runs the post-migrate hooks so that data
 * they create (permissions) is there again, as Django's flush does.
 * @example await flushDatabase()
 */
export async function flushDatabase(): Promise<void> {
  const sequelize = getDb();
  const tables = await knownTables();
  const qg = (sequelize.getQueryInterface() as any).queryGenerator;
  const q = (t: string) => qg.quoteTable(t);
  const dialect = sequelize.getDialect();
  if (tables.length) {
    if (dialect === 'postgres') {
      await sequelize.query(`TRUNCATE ${tables.map(q).join(', ')} RESTART IDENTITY CASCADE`);
    } else if (dialect === 'mysql') {
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
        for (const t of tables) await sequelize.query(`TRUNCATE ${q(t)}`, { transaction });
        await sequelize.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
      });
    } else {
      await sequelize.query('PRAGMA foreign_keys = OFF');
      try {
        for (const t of tables) await sequelize.query(`DELETE FROM ${q(t)}`);
        await sequelize.query(`DELETE FROM sqlite_sequence WHERE name IN (${tables.map((t) => qg.escape(t)).join(', ')})`).catch(() => undefined);
      } finally {
        await sequelize.query('PRAGMA foreign_keys = ON');
      }
    }
  }
  for (const hook of state.postMigrate) await hook({ quiet: true });
}
