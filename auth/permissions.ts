// After migrate: the add/change/delete/view permissions of every model, created once (Django's create_permissions).
import type { Model, ModelStatic } from 'sequelize';
import { allModels, getModelMeta } from '../core/db/models';
import { unwrap } from '../core/conf/state';
import { authModels } from './models';

export const DEFAULT_ACTIONS = ['add', 'change', 'delete', 'view'] as const;

/** Many-to-many link tables and the throttling counters are plumbing, not things a user gets permissions on. */
function isPlumbing(m: ModelStatic<Model>, all: ModelStatic<Model>[]): boolean {
  const am = authModels();
  if (am && [am.UserGroups, am.UserPermissions, am.GroupPermissions, am.LoginAttempt].includes(m)) return true;
  return all.some((other) => Object.values(other.associations ?? {}).some((a: any) => unwrap(a.through?.model) === m));
}

/**
 * Creates the missing `add_/change_/delete_/view_<model>` permissions of every model; running it twice
 * creates nothing the second time. Returns how many were created.
 * @example await createPermissions() // after migrate
 */
export async function createPermissions(): Promise<number> {
  const am = authModels();
  if (!am) return 0;
  // After `migrate auth zero` the table is gone: there is nothing to create permissions in, and that is not an error.
  if (!(await am.Permission.sequelize!.getQueryInterface().tableExists(am.Permission.getTableName() as string))) return 0;
  const all = allModels().map((m) => unwrap(m));
  const wanted: Array<{ appLabel: string; codename: string; name: string; model: string }> = [];
  for (const m of all) {
    if (isPlumbing(m, all)) continue;
    const meta = getModelMeta(m);
    for (const action of DEFAULT_ACTIONS) {
      wanted.push({ appLabel: meta.appLabel, model: meta.modelName, codename: `${action}_${meta.modelName}`, name: `Can ${action} ${meta.verboseName}` });
    }
  }
  const existing = new Set(((await am.Permission.findAll({ attributes: ['appLabel', 'codename'] })) as any[]).map((p) => `${p.appLabel}.${p.codename}`));
  const missing = wanted.filter((p) => !existing.has(`${p.appLabel}.${p.codename}`));
  if (missing.length) await am.Permission.bulkCreate(missing, { ignoreDuplicates: true });
  return missing.length;
}
