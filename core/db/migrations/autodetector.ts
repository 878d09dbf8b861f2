// The autodetector: compares the replayed migration state with the models and lists the operations between them.
import { CommandError } from '../../conf/errors';
import { applyToState, type Operation } from './operations';
import { sameJson, type FieldState, type ModelState, type ProjectState } from './state';

/** How the autodetector asks the questions it cannot answer alone (renames, one-off defaults). */
export interface Questioner {
  /** True when a person can answer (a TTY and not --check). */
  interactive: boolean;
  askRename(model: string, from: string, to: string, type: string): Promise<boolean>;
  /** "Was the model blog.Post renamed to Article? [y/N]" */
  askRenameModel(app: string, from: string, to: string): Promise<boolean>;
  /** Returns the one-off value for existing rows (already parsed). */
  askDefault(model: string, field: string): Promise<unknown>;
  /** A field becomes NOT NULL without a default: a value for the rows holding NULL, or undefined to leave them. */
  askNullDefault(model: string, field: string): Promise<unknown>;
  /** Tells the user something (e.g. that a rename was assumed to be remove+add). */
  note(message: string): void;
}

/** A question-free questioner (no TTY): renames are remove+add, NOT NULL without default refuses. */
export const nonInteractive = (note: (m: string) => void = () => undefined, refuse = true): Questioner => ({
  interactive: false,
  askRename: async () => false,
  askRenameModel: async () => false,
  askDefault: async (model, field) => {
    if (!refuse) return null;
    throw new CommandError(
      `It is impossible to add the non-nullable field '${field}' to ${model} without a default: the existing rows need a value.\n`
      + `Either give the field a defaultValue (or allowNull: true) in the model, or run makemigrations in a terminal to provide a one-off default.`,
    );
  },
  askNullDefault: async (model, field) => {
    note(`${model}.${field} becomes NOT NULL without a default: migrate fails if a row holds NULL (answer the question in a terminal to fill them).`);
    return undefined;
  },
  note,
});

const same = sameJson;

/** A default the database itself can fill existing rows with ({ fn: 'NOW' } is filled by sequelize, not the database). */
function hasDbDefault(f: FieldState): boolean {
  return f.defaultValue !== undefined && (f.defaultValue === null || typeof f.defaultValue !== 'object' || Array.isArray(f.defaultValue) || !('fn' in (f.defaultValue as object)));
}

/** Tables first, then the tables that reference them (cycles keep definition order). */
export function orderByReferences(models: ModelState[]): ModelState[] {
  const byTable = new Map(models.map((m) => [m.table, m]));
  const out: ModelState[] = [];
  const seen = new Set<string>();
  const visit = (m: ModelState, stack: Set<string>) => {
    if (seen.has(m.table) || stack.has(m.table)) return;
    stack.add(m.table);
    for (const f of Object.values(m.fields)) {
      const target = f.references && byTable.get(f.references.table);
      if (target && target !== m) visit(target, stack);
    }
    stack.delete(m.table);
    seen.add(m.table);
    out.push(m);
  };
  for (const m of models) visit(m, new Set());
  return out;
}

/**
 * The operations that take `from` (the migrations' state of `app`) to `to` (the models' state), in an order the
 * database accepts: new tables (referenced ones first), renames, removals, additions, alterations, indexes, drops.
 */
export async function detectChanges(app: string, fromState: ProjectState, to: ModelState[], q: Questioner): Promise<Operation[]> {
  const after = new Map(to.map((m) => [m.name.toLowerCase(), m]));
  // A model that disappeared while one with the same fields appeared may have been renamed: ask, and replay the
  // rename on a copy of the state so that the rest of the comparison sees the model under its new name.
  const from = fromState.clone();
  const renames: Operation[] = [];
  for (const old of from.ofApp(app).filter((m) => !after.has(m.name.toLowerCase()))) {
    const candidate = to.find((m) => !from.get(app, m.name) && same(Object.keys(m.fields).sort(), Object.keys(old.fields).sort())
      && Object.entries(m.fields).every(([k, f]) => same({ ...f, references: undefined }, { ...old.fields[k], references: undefined })));
    if (!candidate) continue;
    if (await q.askRenameModel(app, old.name, candidate.name)) {
      const op: Operation = { type: 'renameModel', oldName: old.name, newName: candidate.name, ...(candidate.table !== old.table ? { table: candidate.table } : {}) };
      applyToState(from, app, op);
      renames.push(op);
    } else if (!q.interactive) {
      q.note(`${app}.${old.name} was deleted and ${app}.${candidate.name} created (a rename can only be confirmed in a terminal; its rows would be lost).`);
    }
  }
  const before = new Map(from.ofApp(app).map((m) => [m.name.toLowerCase(), m]));
  const created = [...after.values()].filter((m) => !before.has(m.name.toLowerCase()));
  const deleted = [...before.values()].filter((m) => !after.has(m.name.toLowerCase()));
  // Tables that reference each other (a cycle) cannot all be created with their keys: a key to a table created
  // later is added by an addField once both exist, as Django does.
  const createOrder = orderByReferences(created);
  const deferred: Operation[] = [];
  const createOps = createOrder.map((m, i): Operation => {
    const later = new Set(createOrder.slice(i).filter((o) => o !== m).map((o) => o.table));
    const fields = { ...m.fields };
    for (const [col, f] of Object.entries(m.fields)) {
      if (f.references && later.has(f.references.table)) {
        delete fields[col];
        deferred.push({ type: 'addField', model: m.name, name: col, field: f });
      }
    }
    const indexes = m.indexes.filter((idx) => idx.fields.every((c) => c in fields));
    for (const idx of m.indexes) if (!indexes.includes(idx)) deferred.push({ type: 'addIndex', model: m.name, index: idx });
    return { type: 'createModel', name: m.name, table: m.table, fields, ...(indexes.length ? { indexes } : {}) };
  });
  const ops = {
    create: [...createOps, ...deferred],
    removeIndex: [] as Operation[], rename: [] as Operation[], remove: [] as Operation[], add: [] as Operation[],
    alter: [] as Operation[], addIndex: [] as Operation[],
    delete: orderByReferences(deleted).reverse().map((m): Operation => ({ type: 'deleteModel', name: m.name })),
  };
  for (const [k, a] of before) {
    const b = after.get(k);
    if (!b) continue;
    const removed = Object.keys(a.fields).filter((f) => !(f in b.fields));
    const added = Object.keys(b.fields).filter((f) => !(f in a.fields));
    const renamed = new Map<string, string>();
    for (const to of [...added]) {
      const candidate = removed.find((r) => !renamed.has(r) && same(a.fields[r], b.fields[to]));
      if (!candidate) continue;
      if (await q.askRename(b.name, candidate, to, b.fields[to].type)) {
        renamed.set(candidate, to);
        ops.rename.push({ type: 'renameField', model: b.name, oldName: candidate, newName: to });
      } else if (!q.interactive) {
        q.note(`${b.name}.${candidate} was removed and ${b.name}.${to} added (a rename can only be confirmed in a terminal; its data would be lost).`);
      }
    }
    const renamedIndexFields = (fields: string[]) => fields.map((f) => renamed.get(f) ?? f);
    const aIndexes = new Map(a.indexes.map((i) => [i.name, { ...i, fields: renamedIndexFields(i.fields) }]));
    const bIndexes = new Map(b.indexes.map((i) => [i.name, i]));
    for (const [name, idx] of aIndexes) if (!bIndexes.has(name) || !same(idx, bIndexes.get(name))) ops.removeIndex.push({ type: 'removeIndex', model: b.name, name });
    for (const [name, idx] of bIndexes) if (!aIndexes.has(name) || !same(aIndexes.get(name), idx)) ops.addIndex.push({ type: 'addIndex', model: b.name, index: idx });
    for (const r of removed) if (!renamed.has(r)) ops.remove.push({ type: 'removeField', model: b.name, name: r });
    for (const f of added) {
      if ([...renamed.values()].includes(f)) continue;
      const field = b.fields[f];
      const op: Operation = { type: 'addField', model: b.name, name: f, field };
      if (!field.allowNull && !field.autoIncrement && !hasDbDefault(field) && !(field.defaultValue && typeof field.defaultValue === 'object')) {
        op.oneOffDefault = await q.askDefault(b.name, f);
      }
      ops.add.push(op);
    }
    for (const f of Object.keys(b.fields)) {
      if (!(f in a.fields) || same(a.fields[f], b.fields[f])) continue;
      const op: Operation = { type: 'alterField', model: b.name, name: f, field: b.fields[f] };
      if (a.fields[f].allowNull && !b.fields[f].allowNull && !b.fields[f].primaryKey && !hasDbDefault(b.fields[f])) {
        const value = await q.askNullDefault(b.name, f);
        if (value !== undefined) op.oneOffDefault = value;
      }
      ops.alter.push(op);
    }
  }
  return [...renames, ...ops.create, ...ops.removeIndex, ...ops.rename, ...ops.remove, ...ops.add, ...ops.alter, ...ops.addIndex, ...ops.delete];
}

/** The tables these operations reference (foreign keys), so that the migration can depend on their apps. */
export function referencedTables(ops: Operation[]): string[] {
  const out = new Set<string>();
  const add = (f: FieldState) => f?.references && out.add(f.references.table);
  for (const op of ops) {
    if (op.type === 'createModel') Object.values(op.fields as Record<string, FieldState>).forEach(add);
    if (op.type === 'addField' || op.type === 'alterField') add(op.field);
  }
  return [...out];
}

/** A short name for a migration from its operations, as Django does ('post_slug', 'remove_post_title'), else auto_<date>. */
export function suggestName(ops: Operation[], initial: boolean): string {
  if (initial) return 'initial';
  const frag = (o: Operation): string => {
    switch (o.type) {
      case 'createModel': return o.name;
      case 'deleteModel': return `delete_${o.name}`;
      case 'renameModel': return `rename_${o.oldName}_${o.newName}`;
      case 'addField': return `${o.model}_${o.name}`;
      case 'removeField': return `remove_${o.model}_${o.name}`;
      case 'alterField': return `alter_${o.model}_${o.name}`;
      case 'renameField': return `rename_${o.oldName}_${o.model}_${o.newName}`;
      case 'addIndex': return `${o.model}_${o.index.name}`;
      case 'removeIndex': return `remove_${o.model}_${o.name}`;
      default: return '';
    }
  };
  const name = ops.map(frag).filter(Boolean).join('_').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (name && name.length <= 52) return name;
  const d = new Date().toISOString();
  return `auto_${d.slice(0, 10).replace(/-/g, '')}_${d.slice(11, 16).replace(':', '')}`;
}
