// Admin system checks (`node app.js check`): options that name fields the model doesn't have, with Django's codes.
import type { CheckMessage } from '../core/conf/state';
import { dbVendor } from '../core/db/connection';
import { fieldInfo, hasField } from './introspect';
import { selectRelatedPaths } from './changelist-search';
import { ModelAdmin, TabularInline } from './model-admin';

type Site = { registry: Map<any, ModelAdmin>; getModelAdmin(model: any): ModelAdmin | undefined };

/** A name a list option may use: a field, an association, a ModelAdmin method or a model method/getter. */
function isDisplayable(ma: ModelAdmin, name: string): boolean {
  if (name === '__str__' || hasField(ma.model, name)) return true;
  if (typeof (ma as any)[name] === 'function') return true;
  const proto = ma.model.prototype;
  return name in proto;
}

/** The field part of a lookup: `author__username` → `author`, `^title` → `title`, `-createdAt` → `createdAt`. */
function head(name: string): string {
  return name.replace(/^[\^=@-]/, '').split('__')[0];
}

/** True when the column behind `name` leads an index: the primary key, a unique column, or an index's first column. */
function isIndexed(model: any, name: string): boolean {
  const assoc = model.associations?.[name];
  const attrName = assoc?.associationType === 'BelongsTo' ? assoc.foreignKey : name;
  const attr = model.getAttributes()[attrName];
  if (!attr) return true; // not a column of this model (a lookup through a relation, a method): nothing to say
  if (attr.primaryKey || attr.unique) return true;
  const column = attr.field ?? attrName;
  return ((model._indexes ?? []) as any[]).some((idx) => {
    const f = idx.fields?.[0];
    const first = typeof f === 'string' ? f : f?.name ?? f?.attribute;
    return first === column || first === attrName;
  });
}

/**
 * `check --deploy`: each field the change list sorts or filters by (W401, W402), and on MariaDB/MySQL each '^'/'=' search
 * field (W403), that no index leads; W401–W403 read the model's declared indexes (`dbIndex: true`, `indexes`).
 * The admin's searches are case-insensitive, which a plain index answers only on MariaDB/MySQL (case-insensitive
 * collations). On PostgreSQL and SQLite the index a search needs is made by a `runSql` migration, so those are read from
 * the database itself: on PostgreSQL each search field that no trigram index covers (W404), on SQLite each '^'/'='
 * search field that no `COLLATE NOCASE` index leads (W405); each hint is the migration's operations, ready to paste.
 * At 100,000 rows such a page scans the table; `dbIndex: true` on the field gives a migration that adds the index.
 * A table the database does not have yet (migrations not applied) or a query that fails gives no W404/W405: the
 * migrations check names unapplied migrations.
 * @example await indexChecks(site)({ deploy: true }) // [{ id: 'admin.W401', msg: "ordering refers to 'createdAt' of Post, which has no index: …" }]
 */
export function indexChecks(site: Site) {
  return async ({ deploy }: { deploy: boolean }): Promise<CheckMessage[]> => {
    if (!deploy) return [];
    const out: CheckMessage[] = [];
    for (const ma of site.registry.values()) {
      const obj = `${ma.opts.appLabel}.${ma.opts.name}`;
      const warn = (id: string, option: string, names: unknown, hint: string) => {
        if (!Array.isArray(names)) return;
        for (const raw of names) {
          if (typeof raw !== 'string' || raw === '?' || raw.includes('__')) continue;
          const name = head(raw);
          if (!hasField(ma.model, name) || isIndexed(ma.model, name)) continue;
          out.push({ level: 'warning', id, obj, msg: `${option} refers to '${name}' of ${ma.opts.name}, which has no index: on a large table every change list page scans it.`, hint });
        }
      };
      const index = `Add dbIndex: true to the field, then run makemigrations and migrate.`;
      warn('admin.W401', 'ordering', ma.ordering ?? ma.opts.ordering, index);
      warn('admin.W402', 'listFilter', (ma.listFilter ?? []).filter((f) => typeof f === 'string'), index);
      const vendor = dbVendor();
      if (vendor === 'mysql' || vendor === 'mariadb') {
        warn('admin.W403', 'searchFields', (ma.searchFields ?? []).filter((f) => /^[\^=]/.test(f)), index);
      } else if (vendor === 'postgres' || vendor === 'sqlite') {
        out.push(...await searchIndexWarnings(ma, obj, vendor));
      }
    }
    return out;
  };
}

/** The model's own columns behind its search fields, once each (a lookup through a relation, `a__b`, is skipped). */
function searchColumns(ma: ModelAdmin, modes: RegExp): Array<{ name: string; column: string }> {
  const attrs = ma.model.getAttributes();
  const seen = new Map<string, { name: string; column: string }>();
  for (const raw of ma.searchFields ?? []) {
    if (typeof raw !== 'string' || raw.includes('__') || !modes.test(raw)) continue;
    const name = head(raw);
    const attr = attrs[name];
    if (!attr) continue;
    const column: string = attr.field ?? name;
    if (!seen.has(column)) seen.set(column, { name, column });
  }
  return [...seen.values()];
}

/** The model's table as the database names it: `{ schema, table }` (schema only when the model has one). */
function tableOf(model: any): { schema?: string; table: string } {
  const t = model.getTableName();
  return typeof t === 'string' ? { table: t } : { schema: t.schema || undefined, table: t.tableName };
}

// Words that a column or table may be named but SQL reserves: quoted in a hint, like names that are not lower case.
const RESERVED = new Set(['all', 'and', 'as', 'asc', 'between', 'by', 'case', 'check', 'column', 'constraint', 'create', 'default',
  'desc', 'distinct', 'end', 'from', 'group', 'having', 'in', 'index', 'is', 'key', 'limit', 'not', 'null', 'offset', 'on', 'or',
  'order', 'primary', 'references', 'select', 'table', 'to', 'union', 'unique', 'user', 'where', 'with']);

/** An identifier as the hint's SQL writes it: bare when it is a plain lower-case name, double-quoted otherwise. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A runSql operation as a migration file writes it (single-quoted JS strings). */
function runSqlOp(sql: string, reverseSql: string): string {
  const js = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `{ type: 'runSql', sql: ${js(sql)}, reverseSql: ${js(reverseSql)} }`;
}

/**
 * W404 (PostgreSQL) and W405 (SQLite) for one ModelAdmin, from the indexes the database has; nothing when its table
 * is missing or the database cannot be read.
 */
async function searchIndexWarnings(ma: ModelAdmin, obj: string, vendor: 'postgres' | 'sqlite'): Promise<CheckMessage[]> {
  try {
    return vendor === 'postgres' ? await trigramWarnings(ma, obj) : await nocaseWarnings(ma, obj);
  } catch {
    return [];
  }
}

/**
 * PostgreSQL: every search mode (`ILIKE '%x%'`, `'x%'`, `'x'` on `CAST(column AS TEXT)`) is answered by a trigram
 * index (pg_trgm's `gin_trgm_ops`/`gist_trgm_ops`) on the column or on `column::text`, in any key position (GIN and
 * GiST do not need the column first). A partial index is not counted: the admin's search does not imply its predicate.
 */
async function trigramWarnings(ma: ModelAdmin, obj: string): Promise<CheckMessage[]> {
  const columns = searchColumns(ma, /^/);
  if (!columns.length) return [];
  const seq = ma.model.sequelize;
  const { schema, table } = tableOf(ma.model);
  const regclass = [schema, table].filter(Boolean).map((n) => `"${n!.replace(/"/g, '""')}"`).join('.');
  const present = await seq.query('SELECT to_regclass(:regclass) IS NOT NULL AS present', { type: 'SELECT' as never, plain: true, replacements: { regclass } }) as { present: boolean } | null;
  if (!present?.present) return [];
  const rows = await seq.query(`SELECT pg_get_indexdef(i.indexrelid, k + 1, false) AS expr
    FROM pg_index i CROSS JOIN LATERAL generate_series(0, i.indnkeyatts - 1) AS k JOIN pg_opclass oc ON oc.oid = i.indclass[k]
    WHERE i.indrelid = to_regclass(:regclass) AND i.indisvalid AND i.indpred IS NULL AND oc.opcname IN ('gin_trgm_ops', 'gist_trgm_ops')`,
  { type: 'SELECT' as never, replacements: { regclass } }) as Array<{ expr: string }>;
  // `title`, `"pubDate"`, `((title)::text)` → `title`, `pubDate`, `title::text`.
  const covered = new Set(rows.map((r) => r.expr.replace(/[()\s"]/g, '')));
  const qualified = [schema, table].filter(Boolean).map((n) => ident(n!)).join('.');
  const out: CheckMessage[] = [];
  for (const { name, column } of columns) {
    if (covered.has(column) || covered.has(`${column}::text`)) continue;
    const indexName = `${table}_${column}_trgm`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
    const sql = `CREATE INDEX ${indexName} ON ${qualified} USING gin ((${ident(column)}::text) gin_trgm_ops)`;
    const drop = `DROP INDEX ${schema ? `${ident(schema)}.` : ''}${indexName}`;
    out.push({
      level: 'warning', id: 'admin.W404', obj,
      msg: `searchFields refers to '${name}' of ${ma.opts.name}, which no trigram index covers: on a large table every search scans it.`,
      hint: `Add a migration (makemigrations --empty) with these operations:\n\t  ${runSqlOp('CREATE EXTENSION IF NOT EXISTS pg_trgm', '')},\n\t  ${runSqlOp(sql, drop)}`,
    });
  }
  return out;
}

/**
 * SQLite: the admin searches with LIKE, which ignores ASCII case; an index answers `LIKE 'x%'` ('^field') and
 * `LIKE 'x'` ('=field') only when its first key column is the searched column with the NOCASE collation and the column
 * has TEXT affinity. A plain contains search (`LIKE '%x%'`) scans whatever the indexes, so it gets no warning here, and
 * neither does a column without TEXT affinity (a number), which no index answers a LIKE on.
 */
async function nocaseWarnings(ma: ModelAdmin, obj: string): Promise<CheckMessage[]> {
  const columns = searchColumns(ma, /^[\^=]/);
  if (!columns.length) return [];
  const seq = ma.model.sequelize;
  const { schema, table } = tableOf(ma.model);
  const name = schema ? `${schema}.${table}` : table;
  const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
  const select = async <T>(sql: string) => await seq.query(sql, { type: 'SELECT' as never }) as T[];
  const info = await select<{ name: string; type: string }>(`PRAGMA table_info(${q(name)})`);
  if (!info.length) return []; // no such table yet
  const led = new Set<string>();
  for (const idx of await select<{ name: string; partial: number }>(`PRAGMA index_list(${q(name)})`)) {
    if (idx.partial) continue;
    const keys = (await select<{ seqno: number; name: string | null; coll: string; key: number }>(`PRAGMA index_xinfo(${q(idx.name)})`))
      .filter((c) => c.key).sort((a, b) => a.seqno - b.seqno);
    if (keys[0]?.name && keys[0].coll?.toUpperCase() === 'NOCASE') led.add(keys[0].name);
  }
  const out: CheckMessage[] = [];
  for (const { name: field, column } of columns) {
    const declared = info.find((c) => c.name === column)?.type ?? '';
    if (!textAffinity(declared) || led.has(column)) continue;
    const indexName = `${table}_${column}_nocase`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const sql = `CREATE INDEX ${indexName} ON ${ident(table)} (${ident(column)} COLLATE NOCASE)`;
    out.push({
      level: 'warning', id: 'admin.W405', obj,
      msg: `searchFields refers to '${field}' of ${ma.opts.name}, which no COLLATE NOCASE index leads: on a large table every '^' or '=' search scans it.`,
      hint: `Add a migration (makemigrations --empty) with this operation:\n\t  ${runSqlOp(sql, `DROP INDEX ${indexName}`)}`,
    });
  }
  return out;
}

/** SQLite's rule for a declared column type: TEXT affinity when it names CHAR, CLOB or TEXT and not INT. */
function textAffinity(declared: string): boolean {
  const t = declared.toUpperCase();
  return !t.includes('INT') && /CHAR|CLOB|TEXT/.test(t);
}

/** `list_display` → `listDisplay`: what a Django user pastes. */
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** The known option nearest to `name` (camelCased, case-insensitive), or undefined when none is close. */
export function closestOption(name: string, known: Iterable<string>, within?: number): string | undefined {
  const want = camel(name).toLowerCase();
  let best: string | undefined; let bestD = Infinity;
  for (const k of known) {
    const d = distance(want, k.toLowerCase());
    if (d < bestD) { best = k; bestD = d; }
  }
  return best !== undefined && bestD <= (within ?? Math.max(2, Math.floor(want.length / 3))) ? best : undefined;
}

const KNOWN_INLINE = ['model', 'style', 'fkName', 'fields', 'readonlyFields', 'exclude', 'extra', 'minNum', 'maxNum', 'canDelete', 'verboseName',
  'verboseNamePlural', 'rawIdFields', 'autocompleteFields', 'filterHorizontal', 'filterVertical', 'showChangeLink', 'classes'];

/** Options of a ModelAdmin (or inline) that the admin does not know: plain objects are checked key by key; a subclass's
 * own properties only when they look like a misspelt option (`listDisplays`), since subclasses may keep their own data. */
function unknownOptions(target: object, declared: string[] | undefined, known: Set<string>): Array<{ name: string; hint?: string }> {
  const out: Array<{ name: string; hint?: string }> = [];
  const names = declared ?? Object.keys(target);
  for (const name of names) {
    const value = (target as Record<string, unknown>)[name];
    if (known.has(name) || typeof value === 'function' || name === 'model' || name === 'site') continue;
    const hint = closestOption(name, known, declared ? undefined : 2);
    if (declared || hint) out.push({ name, hint });
  }
  return out;
}

/**
 * Checks every registered ModelAdmin; each problem is an `admin.E…` error naming the option, its index and the model.
 * @example adminChecks(site)({ deploy: false }) // [{ id: 'admin.E108', msg: "listDisplay[1] refers to 'titel', which is not a field of Post." }]
 */
export function adminChecks(site: Site) {
  return (): CheckMessage[] => {
    const out: CheckMessage[] = [];
    const known = new Set(Object.keys(new ModelAdmin(null, null)));
    const knownInline = new Set([...KNOWN_INLINE, ...Object.keys(new TabularInline())]);
    for (const ma of site.registry.values()) {
      const model = ma.opts.name;
      const obj = `${ma.opts.appLabel}.${model}`;
      const err = (id: string, msg: string, hint?: string) => out.push({ level: 'error', id, msg, hint, obj });
      const list = (option: string, value: unknown, id: string, ok: (name: string) => boolean) => {
        if (value === undefined || value === null) return;
        if (!Array.isArray(value)) { err(id, `The value of '${option}' must be a list.`); return; }
        value.forEach((item, i) => {
          if (typeof item !== 'string') return;
          if (!ok(item)) err(id, `${option}[${i}] refers to '${item}', which is not a field of ${model}.`);
        });
      };
      for (const { name, hint } of unknownOptions(ma, (ma as any).declaredOptions, known)) {
        err('admin.E900', `'${name}' is not an option of ${ma}.`, hint ? `Did you mean '${hint}'?` : 'See the ModelAdmin options in the admin docs.');
      }
      ma.inlines.forEach((inline, i) => {
        const opts = typeof inline === 'function' ? new (inline as any)() : inline;
        for (const { name, hint } of unknownOptions(opts ?? {}, typeof inline === 'function' ? undefined : Object.keys(inline ?? {}), knownInline)) {
          err('admin.E900', `inlines[${i}]: '${name}' is not an inline option.`, hint ? `Did you mean '${hint}'?` : undefined);
        }
      });
      for (const [target, sources] of Object.entries(ma.prepopulatedFields ?? {})) {
        if (!hasField(ma.model, target)) err('admin.E027', `prepopulatedFields refers to '${target}', which is not a field of ${model}.`);
        for (const src of Array.isArray(sources) ? sources : [sources]) {
          if (!hasField(ma.model, String(src))) err('admin.E030', `prepopulatedFields['${target}'] refers to '${src}', which is not a field of ${model}.`);
        }
      }
      list('filterHorizontal', ma.filterHorizontal, 'admin.E020', (n) => fieldInfo(ma.model, n)?.kind === 'm2m');
      list('filterVertical', ma.filterVertical, 'admin.E020', (n) => fieldInfo(ma.model, n)?.kind === 'm2m');
      list('listDisplay', ma.listDisplay, 'admin.E108', (n) => isDisplayable(ma, n));
      list('listDisplayLinks', ma.listDisplayLinks, 'admin.E111', (n) => ma.listDisplay.includes(n));
      list('listEditable', ma.listEditable, 'admin.E121', (n) => hasField(ma.model, n));
      list('searchFields', ma.searchFields, 'admin.E126', (n) => hasField(ma.model, head(n)));
      list('listFilter', ma.listFilter, 'admin.E116', (n) => hasField(ma.model, head(n)));
      list('ordering', ma.ordering, 'admin.E033', (n) => n === '?' || hasField(ma.model, head(n)));
      list('readonlyFields', ma.readonlyFields, 'admin.E035', (n) => isDisplayable(ma, n));
      list('exclude', ma.exclude, 'admin.E014', (n) => hasField(ma.model, n));
      const formFields = ma.fieldsets ? ma.fieldsets.flatMap(([, o]) => (o?.fields ?? []).flat()) : ma.fields?.flat();
      list(ma.fieldsets ? 'fieldsets' : 'fields', formFields, 'admin.E006', (n) => isDisplayable(ma, n) || ma.readonlyFields.includes(n));
      list('rawIdFields', ma.rawIdFields, 'admin.E002', (n) => fieldInfo(ma.model, n)?.kind === 'fk' || fieldInfo(ma.model, n)?.kind === 'm2m');
      list('autocompleteFields', ma.autocompleteFields, 'admin.E037', (n) => ['fk', 'm2m'].includes(fieldInfo(ma.model, n)?.kind ?? ''));
      for (const [i, name] of (ma.autocompleteFields ?? []).entries()) {
        const related = fieldInfo(ma.model, name)?.related;
        if (!related) continue;
        const target = site.getModelAdmin(related);
        if (!target) err('admin.E039', `An admin for model "${related.name}" has to be registered to be referenced by ${ma}.autocompleteFields[${i}].`);
        else if (!target.searchFields?.length) err('admin.E040', `${target} must define "searchFields", because it's referenced by ${ma}.autocompleteFields.`);
      }
      const lsr = ma.listSelectRelated as unknown;
      if (typeof lsr !== 'boolean' && !Array.isArray(lsr)) err('admin.E117', `The value of 'listSelectRelated' must be true, false or a list of relations.`);
      else {
        try { selectRelatedPaths(ma.model, lsr); } catch (e) { err('admin.E117', (e as Error).message, 'Name belongs-to relations by their alias (`as`), `__` between steps.'); }
      }
      if (ma.dateHierarchy !== undefined) {
        const kind = fieldInfo(ma.model, ma.dateHierarchy)?.kind;
        if (kind !== 'date' && kind !== 'datetime') err('admin.E128', `dateHierarchy refers to '${ma.dateHierarchy}', which is not a date or datetime field of ${model}.`);
      }
      ma.inlines.forEach((inline, i) => {
        const opts = typeof inline === 'function' ? new (inline as any)() : inline;
        if (!opts?.model || typeof opts.model.findAll !== 'function') { err('admin.E105', `inlines[${i}] must have a 'model' made with model().`); return; }
        const fks = Object.values(opts.model.associations ?? {}).filter((a: any) => a.associationType === 'BelongsTo' && a.target === ma.model);
        if (!fks.length) err('admin.E202', `inlines[${i}]: '${opts.model.name}' has no foreign key to '${model}'.`, `Define ${opts.model.name}.belongsTo(${model}).`);
      });
      if (!Number.isInteger(ma.listPerPage) || ma.listPerPage < 1) err('admin.E118', `The value of 'listPerPage' must be a positive integer.`);
    }
    return out;
  };
}
