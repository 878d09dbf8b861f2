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

/** One object of a fixture: `{ "model": "blog.post", "pk": 1, "fields": { … } }`; many-to-many fields hold pk lists. */
export interface FixtureObject {
  model: string;
  pk: unknown;
  fields: Record<string, unknown>;
}

/** A through table sequelize made for a belongsToMany: its rows are dumped as pk lists on the model that declares it. */
function isAutoThrough(m: ModelStatic<Model>): boolean {
  return (m.options as unknown as Record<string, unknown>).through !== undefined;
}

/** Models in an order that loads without breaking foreign keys (referenced tables first), through tables left out. */
function orderedModels(): ModelStatic<Model>[] {
  const models = allModels().filter((m) => !isAutoThrough(m));
  const byTable = new Map(models.map((m) => [String(m.getTableName()), m]));
  return orderByReferences(models.map((m) => modelToState(getModelMeta(m).appLabel, m))).map((s) => byTable.get(s.table)!);
}

/** The many-to-many associations each through table is dumped under (the first model declaring it). */
function m2mOf(m: ModelStatic<Model>, all: ModelStatic<Model>[]): any[] {
  return (Object.values(m.associations) as any[]).filter((a) => {
    if (a.associationType !== 'BelongsToMany') return false;
    const first = all.find((o) => (Object.values(o.associations) as any[]).some((x) => x.associationType === 'BelongsToMany' && x.through.model === a.through.model));
    return first === m;
  });
}

const label = (m: ModelStatic<Model>) => `${getModelMeta(m).appLabel}.${getModelMeta(m).modelName}`;

/**
 * Dumps objects as fixture JSON. Labels: 'blog' (an app) or 'blog.Post' (one model); none = everything.
 * @example await dumpData(['blog.Post']) // [{ model: 'blog.post', pk: 1, fields: { title: 'Hi', tags: [1, 2] } }]
 */
export async function dumpData(labels: string[] = []): Promise<FixtureObject[]> {
  const all = orderedModels();
  const wanted = labels.map((l) => l.toLowerCase());
  for (const l of wanted) {
    if (!all.some((m) => getModelMeta(m).appLabel === l || label(m) === l)) throw new ManoucheError('E_FIXTURE', { detail: `Unknown app or model label '${l}' (expected e.g. 'blog' or 'blog.Post').` });
  }
  const out: FixtureObject[] = [];
  for (const m of all) {
    if (wanted.length && !wanted.includes(getModelMeta(m).appLabel) && !wanted.includes(label(m))) continue;
    const pk = m.primaryKeyAttribute;
    const rows = await m.findAll({ order: [[pk, 'ASC']] });
    const m2m = m2mOf(m, all);
    const links = new Map<string, Map<unknown, unknown[]>>();
    for (const a of m2m) {
      const through = await a.through.model.findAll({ raw: true, attributes: [a.foreignKey, a.otherKey], order: [[a.foreignKey, 'ASC'], [a.otherKey, 'ASC']] });
      const map = new Map<unknown, unknown[]>();
      for (const r of through) map.set(r[a.foreignKey], [...(map.get(r[a.foreignKey]) ?? []), r[a.otherKey]]);
      links.set(a.as, map);
    }
    for (const row of rows) {
      const values = row.get({ plain: true }) as Record<string, unknown>;
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) if (k !== pk && k in m.getAttributes()) fields[k] = v;
      for (const a of m2m) fields[a.as] = links.get(a.as)!.get(values[pk]) ?? [];
      out.push({ model: label(m), pk: values[pk], fields });
    }
  }
  return out;
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
  const byLabel = new Map(all.filter((m) => !isAutoThrough(m)).map((m) => [label(m), m]));
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

/** Saves one object; returns the step that writes its many-to-many links (run once every object exists). */
async function saveObject(m: ModelStatic<Model>, obj: FixtureObject, transaction: Transaction): Promise<() => Promise<void>> {
  const pk = m.primaryKeyAttribute;
  const m2m = new Map((Object.values(m.associations) as any[]).filter((a) => a.associationType === 'BelongsToMany').map((a) => [a.as, a]));
  const plain: Record<string, unknown> = {};
  const links: Array<[any, unknown[]]> = [];
  for (const [k, v] of Object.entries(obj.fields ?? {})) {
    if (m2m.has(k)) links.push([m2m.get(k), v as unknown[]]);
    else if (k in m.getAttributes()) plain[k] = v;
    else throw new Error(`${m.name} has no field '${k}'`);
  }
  const existing = obj.pk === undefined || obj.pk === null ? null : await m.findByPk(obj.pk as never, { transaction });
  if (existing) await existing.update(plain, { transaction, silent: true, validate: false, hooks: false });
  else {
    // silent keeps a given updatedAt; without one, sequelize must set it (the column is NOT NULL).
    const updatedAt = (m as unknown as { _timestampAttributes: { updatedAt?: string } })._timestampAttributes.updatedAt;
    const silent = Boolean(updatedAt && plain[updatedAt] !== undefined);
    await m.create({ ...plain, ...(obj.pk === undefined || obj.pk === null ? {} : { [pk]: obj.pk }) }, { transaction, silent, validate: false, hooks: false });
  }
  for (const [a, ids] of links) {
    if (!Array.isArray(ids)) throw new Error(`the many-to-many field '${a.as}' must be a list of primary keys`);
  }
  return async () => {
    for (const [a, ids] of links) {
      await a.through.model.destroy({ where: { [a.foreignKey]: obj.pk }, transaction });
      await a.through.model.bulkCreate(ids.map((id) => ({ [a.foreignKey]: obj.pk, [a.otherKey]: id })), { transaction });
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
