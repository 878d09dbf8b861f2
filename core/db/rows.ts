// Plain typed rows (Django's .values()): one SELECT, no model instances, each column turned into its JS type by a reader compiled once.
import type { FindOptions, Includeable, Model, ModelStatic, Order, QueryTypes, WhereOptions } from 'sequelize';
// (QueryTypes.SELECT is the string 'SELECT': naming it does not load sequelize before the app defines a model.)
import { unwrap } from '../conf/state';
import { orderingFor } from './models';
import { snapshotCountOptions } from './snapshot-count';

/** What `rows()` accepts: the parts of findAll that make sense for plain rows (no includes, no instances). */
export interface RowsOptions {
  /** The attributes to read, in order (default: every attribute of the model). */
  attributes?: readonly string[];
  where?: WhereOptions;
  /** Default: the model's `ordering` option, as findAll. */
  order?: Order;
  limit?: number;
  offset?: number;
  /**
   * Joins a `where` or `order` needs (`$author.username$`); their columns are not read. A to-one association
   * (belongsTo, hasOne) included with a list of `attributes` is read too, into a nested plain object typed as its model's
   * rows (null when the join found no row): `{ association: 'author', attributes: ['id', 'username'] }`.
   */
  include?: Includeable[];
  /**
   * For a deep page (an `offset`): select the page's keys first, reading only the key over the where and the order,
   * then the page's rows and includes for those keys, so that the skipped rows are walked on the narrowest index and
   * never joined or read (a "deferred join"). The where and the order must not need the includes; ignored on the
   * first page, for an order that is not plain `[attribute, direction]` pairs, a paranoid model or a default scope.
   */
  keysFirst?: boolean;
  /**
   * With `keysFirst`: the where matches few rows (the caller knows it, from a count). On PostgreSQL the page's keys are
   * then picked among all the matches, found by the where alone (a subquery fenced with `OFFSET 0`), even on the first
   * page: else, for `ORDER BY … LIMIT`, the planner may walk the order's index hoping to meet the matches early, and
   * walk most of the table when they all lie at its far end. Ignored on other databases and without a where.
   */
  fewMatches?: boolean;
}

/** A function that turns one raw database row into a plain object with proper JS types. */
export type RowReader = (raw: Record<string, unknown>) => Record<string, unknown>;

type Convert = (v: unknown) => unknown;

/** SQLite hands back booleans as 0/1, MariaDB as 0/1 or '1': everything else is a real boolean already. */
const toBoolean: Convert = (v) => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't' || v === 'true');

/** SQLite returns `2024-05-01 10:00:00.000 +00:00` strings; PostgreSQL/MariaDB return Dates. */
const toDate: Convert = (v) => {
  if (v === null || v === undefined || v instanceof Date) return v ?? null;
  const s = String(v);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s*(Z|[+-]\d{2}:?\d{2}))?$/.exec(s);
  return m ? new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`) : new Date(s);
};

/** SQLite and MariaDB may return JSON columns as text. */
const toJson: Convert = (v) => (typeof v === 'string' ? safeJson(v) : v ?? null);

function safeJson(s: string): unknown {
  try { return JSON.parse(s); } catch { return s; }
}

/** Decimals stay exact strings, as Django REST Framework serialises them ('12.50'), whatever the driver returned. */
function toDecimal(scale: number | undefined): Convert {
  return (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return scale !== undefined ? v.toFixed(scale) : String(v);
    return String(v);
  };
}

/** Integers a driver returned as strings (COUNT, MariaDB's BIGINT) become numbers when they fit. */
const toInteger: Convert = (v) => {
  if (typeof v !== 'string') return v ?? null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
};

/** The converter of one attribute's type, or undefined when the driver's value is already right. */
function converterFor(attr: { type?: unknown }): Convert | undefined {
  const type = attr.type as { key?: string; constructor?: { key?: string }; options?: { scale?: number }; _scale?: number } | undefined;
  const key = String(type?.key ?? type?.constructor?.key ?? '');
  switch (key) {
    case 'BOOLEAN': return toBoolean;
    case 'DATE': return toDate;
    case 'JSON': case 'JSONB': return toJson;
    case 'DECIMAL': return toDecimal(type?.options?.scale ?? type?._scale);
    case 'INTEGER': case 'BIGINT': case 'SMALLINT': case 'TINYINT': case 'MEDIUMINT': return toInteger;
    default: return undefined;
  }
}

const readers = new WeakMap<object, Map<string, RowReader>>();

/**
 * The reader for these attributes of a model: a function compiled once (and cached) that copies each column
 * into a fresh object of a fixed shape, converting booleans, dates, decimals and JSON on the way.
 * @example const read = rowReader(Post, ['id', 'published']); read({ id: 1, published: 0 }) // { id: 1, published: false }
 */
export function rowReader(model: ModelStatic<Model>, attributes?: readonly string[]): RowReader {
  const m = unwrap(model);
  const attrs = m.getAttributes() as Record<string, { type?: unknown }>;
  const names = attributes ?? Object.keys(attrs);
  const cacheKey = names.join('\0');
  let perModel = readers.get(m);
  if (!perModel) { perModel = new Map(); readers.set(m, perModel); }
  const cached = perModel.get(cacheKey);
  if (cached) return cached;
  const converters: Convert[] = [];
  const props = names.map((name) => {
    if (!(name in attrs)) throw new TypeError(`rows(): ${m.name} has no attribute "${name}".`);
    const convert = converterFor(attrs[name]);
    const key = JSON.stringify(name);
    if (!convert) return `${key}: r[${key}]`;
    converters.push(convert);
    return `${key}: c[${converters.length - 1}](r[${key}])`;
  });
  // A literal object of a fixed shape: V8 gives every row the same hidden class, and JSON.stringify stays fast.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const reader = new Function('c', `return function readRow(r) { return { ${props.join(', ')} }; };`)(converters) as RowReader;
  perModel.set(cacheKey, reader);
  return reader;
}

/** Every attribute that has a column (VIRTUAL ones are computed by instances, which rows() does not build). */
function stored(m: ModelStatic<Model>): string[] {
  const attrs = m.getAttributes() as Record<string, { type?: { key?: string } }>;
  return Object.keys(attrs).filter((k) => attrs[k].type?.key !== 'VIRTUAL');
}

/**
 * Reads rows as plain objects with proper JS types — booleans as booleans, dates as Dates, decimals as exact
 * strings, JSON parsed — on every database, without building a model instance per row (Django's `.values()`).
 * Use it where rows are only read and serialised: JSON lists, exports, change lists. Hooks other than
 * `beforeFind` (the model's default ordering) and getters/virtual attributes are not applied.
 * @example
 * const posts = await rows(Post, { attributes: ['id', 'title', 'published', 'createdAt'], where: { published: true }, limit: 20 });
 * // [{ id: 1, title: 'Hello', published: true, createdAt: 2024-05-01T10:00:00.000Z }, …]
 */
export async function rows<T extends Record<string, unknown> = Record<string, unknown>>(
  model: ModelStatic<Model>, options: RowsOptions = {},
): Promise<T[]> {
  const m = unwrap(model);
  if (options.keysFirst) {
    const keys = options.offset || fencedKeys(m, options) ? pageKeysWhere(m, options) : undefined;
    const { keysFirst: _, fewMatches: __, ...rest } = options;
    if (keys) return rows<T>(m, { ...rest, where: keys, limit: undefined, offset: undefined });
    return rows<T>(m, rest);
  }
  const attributes = options.attributes ?? stored(m);
  const read = rowReader(m, attributes);
  const sql = cachedSql(m, attributes, options);
  const nested = nestedReaders(m, options.include);
  let found: Record<string, unknown>[];
  if (sql) {
    found = await m.sequelize!.query(sql, { type: 'SELECT' as QueryTypes.SELECT, raw: true }) as Record<string, unknown>[];
  } else {
    const joined = options.include?.length ? { subQuery: false } : {};
    // A nested object needs its key, to tell "no related row" from a row of nulls.
    const include = nested.length ? options.include!.map((inc) => {
      const n = nested.find((x) => x.include === inc);
      return n ? { ...(inc as object), attributes: n.keys.map(([name]) => name) } : inc;
    }) : options.include;
    found = await m.findAll({ ...options, ...joined, include, attributes: [...attributes], raw: true } as FindOptions) as unknown as Record<string, unknown>[];
  }
  const out = new Array<T>(found.length);
  for (let i = 0; i < found.length; i++) out[i] = read(found[i]) as T;
  for (const { alias, read: readRelated, keys, pk } of nested) {
    // A raw joined row names the related columns `author.username`: each becomes `username` of the nested object.
    for (let i = 0; i < found.length; i++) {
      const raw = found[i];
      const values: Record<string, unknown> = {};
      for (const [name, key] of keys) values[name] = raw[key];
      (out[i] as Record<string, unknown>)[alias] = values[pk] === null || values[pk] === undefined ? null : readRelated(values);
    }
  }
  return out;
}

interface NestedReader { include: Includeable; alias: string; read: RowReader; keys: Array<[string, string]>; pk: string }

/** The included to-one associations whose `attributes` rows() reads: their alias, reader and raw column names. */
function nestedReaders(m: ModelStatic<Model>, include: Includeable[] | undefined): NestedReader[] {
  const out: NestedReader[] = [];
  for (const inc of include ?? []) {
    const spec = inc as { association?: unknown; as?: string; attributes?: unknown };
    if (!Array.isArray(spec.attributes) || spec.attributes.length === 0) continue;
    const alias = typeof spec.association === 'string' ? spec.association : spec.as ?? (spec.association as { as?: string } | undefined)?.as;
    const assoc = alias ? (m.associations as Record<string, { associationType: string; target: ModelStatic<Model> }>)[alias] : undefined;
    if (!alias || !assoc) throw new TypeError(`rows(): an include that reads attributes must name an association of ${m.name}.`);
    if (assoc.associationType !== 'BelongsTo' && assoc.associationType !== 'HasOne') {
      throw new TypeError(`rows(): "${alias}" is a to-many association of ${m.name}: its rows cannot be read as one nested object.`);
    }
    const names = spec.attributes as string[];
    const pk = assoc.target.primaryKeyAttribute;
    const read = rowReader(assoc.target, names.includes(pk) ? names : [...names, pk]);
    const keys = (names.includes(pk) ? names : [...names, pk]).map((n): [string, string] => [n, `${alias}.${n}`]);
    out.push({ include: inc, alias, read, keys, pk });
  }
  return out;
}

/**
 * The where that selects one page by its keys, `pk IN (SELECT pk FROM (SELECT pk … WHERE … ORDER BY … LIMIT … OFFSET …)
 * AS page_keys)` (the derived table because MariaDB/MySQL refuse a LIMIT inside IN), to use instead of the where, limit
 * and offset of a page (rows() `keysFirst`, or findAll). Undefined when the page cannot be read that way: includes
 * other than to-one reads, an order that is not plain `[attribute, direction]` pairs, a default scope or a paranoid model.
 * @example Post.findAll({ where: pageKeysWhere(Post, { where, order, limit: 100, offset: 5000 }), order })
 */
export function pageKeysWhere(model: ModelStatic<Model>, options: RowsOptions): WhereOptions | undefined {
  const m = unwrap(model);
  const internals = m as unknown as { _scope?: object; options: { paranoid?: boolean } };
  if (!isEmpty(internals._scope) || internals.options.paranoid) return undefined;
  // Includes that only add read columns (to-one, with attributes) do not change which rows a page holds.
  if ((options.include ?? []).some((inc) => {
    const spec = inc as { attributes?: unknown; required?: boolean; where?: unknown; include?: unknown[] };
    return !Array.isArray(spec.attributes) || spec.attributes.length === 0 || spec.required || spec.where || spec.include?.length;
  })) return undefined;
  const attrs = m.getAttributes() as Record<string, { field?: string }>;
  const order = (options.order ?? orderingFor(m)) as unknown;
  if (!Array.isArray(order) || !order.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && p[0] in attrs && /^(ASC|DESC)$/i.test(String(p[1])))) return undefined;
  const Seq = m.sequelize!.constructor as unknown as {
    Op: { in: symbol }; literal(sql: string): unknown; Utils: { mapOptionFieldNames(o: object, m: unknown): { where?: unknown } };
  };
  const pk = m.primaryKeyAttribute;
  const pkField = attrs[pk]?.field ?? pk;
  const qi = m.sequelize!.getQueryInterface() as unknown as { queryGenerator: { selectQuery(t: unknown, o: unknown, m: unknown): string; quoteIdentifier(s: string): string } };
  const qg = qi.queryGenerator;
  const mapped = Seq.Utils.mapOptionFieldNames({ where: options.where ?? {} }, m);
  const columns = (order as [string, string][]).map(([a, dir]) => [attrs[a]?.field ?? a, dir] as [string, string]);
  const k = qg.quoteIdentifier(pkField);
  let inner: string;
  if (fencedKeys(m, options)) {
    const matched = qg.selectQuery(m.getTableName(), {
      attributes: [...new Set([pkField, ...columns.map(([c]) => c)])], where: mapped.where,
    }, m).replace(/;\s*$/, '');
    const q = qg.quoteIdentifier('matched');
    inner = `SELECT ${q}.${k} FROM (${matched} OFFSET 0) AS ${q} ORDER BY ${columns.map(([c, dir]) => `${q}.${qg.quoteIdentifier(c)} ${dir.toUpperCase()}`).join(', ')}`
      + `${options.limit !== undefined ? ` LIMIT ${Number(options.limit)}` : ''}${options.offset ? ` OFFSET ${Number(options.offset)}` : ''}`;
  } else {
    inner = qg.selectQuery(m.getTableName(), {
      attributes: [pkField], where: isEmpty(mapped.where) ? undefined : mapped.where,
      order: columns, limit: options.limit, offset: options.offset,
    }, m).replace(/;\s*$/, '');
  }
  return { [pk]: { [Seq.Op.in]: Seq.literal(`(SELECT ${k} FROM (${inner}) AS ${qg.quoteIdentifier('page_keys')})`) } } as WhereOptions;
}

/** True when the page's keys are picked among all the matches first (`fewMatches`, PostgreSQL, a where). */
function fencedKeys(m: ModelStatic<Model>, options: RowsOptions): boolean {
  return Boolean(options.fewMatches) && !isEmpty(options.where) && m.sequelize!.getDialect() === 'postgres';
}

const sqlCache = new WeakMap<object, Map<string, string>>();
const MAX_CACHED_SHAPES = 256;

/** True when an option is absent or an empty object (no condition at all). */
function isEmpty(v: unknown): boolean {
  return v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 && Object.getOwnPropertySymbols(v).length === 0);
}

/**
 * The SQL of a query whose text depends only on its shape (no where, no joins, an order of plain attribute/direction
 * pairs, a model without default scope or soft deletion), generated once: building it is most of findAll's cost
 * on a short list. Any other query returns undefined and goes through findAll.
 */
function cachedSql(m: ModelStatic<Model>, attributes: readonly string[], options: RowsOptions): string | undefined {
  if (!isEmpty(options.where) || options.include?.length) return undefined;
  const internals = m as unknown as { _scope?: object; options: { paranoid?: boolean } };
  if (!isEmpty(internals._scope) || internals.options.paranoid) return undefined;
  const order = (options.order ?? orderingFor(m)) as unknown;
  if (!Array.isArray(order) || !order.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && /^(ASC|DESC)$/i.test(String(p[1])))) return undefined;
  const key = JSON.stringify([attributes, order, options.limit ?? null, options.offset ?? null]);
  let perModel = sqlCache.get(m);
  if (!perModel) { perModel = new Map(); sqlCache.set(m, perModel); }
  let sql = perModel.get(key);
  if (sql === undefined) {
    const attrs = m.getAttributes() as Record<string, { field?: string }>;
    const column = (a: string) => attrs[a]?.field ?? a;
    if (!(order as [string, string][]).every(([a]) => a in attrs)) return undefined;
    const qg = (m.sequelize!.getQueryInterface() as unknown as { queryGenerator: { selectQuery(t: unknown, o: unknown, m: unknown): string } }).queryGenerator;
    sql = qg.selectQuery(m.getTableName(), {
      attributes: attributes.map((a) => (column(a) === a ? a : [column(a), a])),
      order: (order as [string, string][]).map(([a, dir]) => [column(a), dir]),
      limit: options.limit, offset: options.offset,
    }, m);
    if (perModel.size >= MAX_CACHED_SHAPES) perModel.clear();
    perModel.set(key, sql);
  }
  return sql;
}

const countSql = new WeakMap<object, string>();

/**
 * Counts the rows `rows()` would read without limit and offset (the total of a paginated list); a count with no
 * condition runs a statement generated once per model. With joins, rows are counted once each (`distinct`) unless
 * `distinct: false` says the joins are to-one and cannot repeat a row (a cheaper COUNT). On PostgreSQL, outside a
 * transaction, the count is run again only when the server's MVCC snapshot changed since the same count last ran: else
 * no row can have changed, and the last result is the exact answer (core/db/snapshot-count.ts).
 * @example const total = await countRows(Post, { where: { published: true } });
 */
export async function countRows(model: ModelStatic<Model>, options: Pick<RowsOptions, 'where' | 'include'> & { distinct?: boolean } = {}): Promise<number> {
  const m = unwrap(model);
  const internals = m as unknown as { _scope?: object; options: { paranoid?: boolean } };
  const joined = Boolean(options.include?.length);
  if (isEmpty(options.where) && !joined && isEmpty(internals._scope) && !internals.options.paranoid) {
    let sql = countSql.get(m);
    if (!sql) {
      const qg = (m.sequelize!.getQueryInterface() as unknown as { queryGenerator: { quoteTable(t: unknown): string; quoteIdentifier(s: string): string } }).queryGenerator;
      sql = `SELECT count(*) AS ${qg.quoteIdentifier('n')} FROM ${qg.quoteTable(m.getTableName())}`;
      countSql.set(m, sql);
    }
    const [row] = await m.sequelize!.query(sql, snapshotCountOptions(m.sequelize!, { type: 'SELECT' as QueryTypes.SELECT, raw: true })) as Array<{ n: unknown }>;
    return Number(row.n);
  }
  // COUNT(*) without joins: SQLite answers it from the smallest index, where COUNT(id) reads the table's rows.
  if (!joined) return m.count(snapshotCountOptions(m.sequelize!, { where: options.where }) as never) as unknown as Promise<number>;
  return m.count(snapshotCountOptions(m.sequelize!, { where: options.where, include: options.include, distinct: options.distinct ?? true, col: m.primaryKeyAttribute }) as never) as unknown as Promise<number>;
}
