// How a fixture's field names and values map onto a model, so that Django's dumpdata loads and ours reads in Django.
import type { Model, ModelStatic, Transaction } from 'sequelize';
import { getModelMeta } from './models';

/** What a fixture field name stands for on a model: a column, a foreign key (by its relation's name), or a many-to-many. */
export type FieldTarget =
  | { kind: 'attr'; attr: string; decimal: boolean }
  | { kind: 'fk'; attr: string; target: ModelStatic<Model> }
  | { kind: 'm2m'; assoc: any };

/** Django's name for one of ours: `lastLogin` → `last_login`, `userPermissions` → `user_permissions`. */
export const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

const cache = new WeakMap<ModelStatic<Model>, Map<string, FieldTarget>>();

/**
 * Every name a fixture may use for a model's fields: ours (`authorId`, `lastLogin`, `tags`) and Django's (`author`,
 * `author_id`, `last_login`). A foreign key named by its relation takes the related row's pk or natural key.
 */
export function fieldTargets(m: ModelStatic<Model>): Map<string, FieldTarget> {
  let map = cache.get(m);
  if (map) return map;
  map = new Map();
  const attrs = m.getAttributes() as Record<string, { type?: { key?: string } }>;
  const belongsTo = new Map<string, any>();
  for (const a of Object.values(m.associations) as any[]) if (a.associationType === 'BelongsTo') belongsTo.set(a.foreignKey, a);
  const add = (name: string, t: FieldTarget) => { if (!map!.has(name)) map!.set(name, t); };
  for (const [attr, def] of Object.entries(attrs)) {
    const fk = belongsTo.get(attr);
    const t: FieldTarget = fk ? { kind: 'fk', attr, target: fk.target } : { kind: 'attr', attr, decimal: def.type?.key === 'DECIMAL' };
    add(attr, t);
    add(snakeCase(attr), t);
  }
  for (const [attr, a] of belongsTo) {
    add(a.as, { kind: 'fk', attr, target: a.target });
    add(snakeCase(a.as), { kind: 'fk', attr, target: a.target });
  }
  for (const a of Object.values(m.associations) as any[]) {
    if (a.associationType !== 'BelongsToMany') continue;
    add(a.as, { kind: 'm2m', assoc: a });
    add(snakeCase(a.as), { kind: 'm2m', assoc: a });
  }
  cache.set(m, map);
  return map;
}

/**
 * The natural key of the models Django gives one (dumpdata --natural-foreign/--natural-primary): a user by username,
 * a group by name, a permission by [codename, app_label, model].
 */
export function naturalKeyFields(m: ModelStatic<Model>): string[] | undefined {
  const meta = getModelMeta(m);
  if (meta.appLabel !== 'auth') return undefined;
  return ({ user: ['username'], group: ['name'], permission: ['codename', 'appLabel', 'model'] } as Record<string, string[]>)[meta.modelName];
}

/** The pk of the row a natural key names; throws naming the key when there is none. */
export async function pkByNaturalKey(m: ModelStatic<Model>, key: unknown[], transaction: Transaction): Promise<unknown> {
  const fields = naturalKeyFields(m);
  if (!fields || key.length !== fields.length) {
    throw new Error(`${JSON.stringify(key)} is not a natural key of ${m.name}${fields ? ` (expected [${fields.join(', ')}])` : ' (it has none: give the pk)'}`);
  }
  const row = await m.findOne({ where: Object.fromEntries(fields.map((f, i) => [f, key[i]])) as never, transaction });
  if (!row) throw new Error(`no ${m.name} with the natural key ${JSON.stringify(key)}`);
  return row.get(m.primaryKeyAttribute);
}

/** A row's natural key, for the models that have one, else its pk. */
export function naturalKeyOf(m: ModelStatic<Model>, row: Record<string, unknown>): unknown {
  const fields = naturalKeyFields(m);
  return fields ? fields.map((f) => row[f]) : row[m.primaryKeyAttribute];
}
