// The change list's search and lookups: `^field`, `=field`, contains, across relations (`author__username`), case-insensitive everywhere.
import { Op } from '../core/db/op';
import { BadRequest } from '../core/conf/errors';
import { modelMeta, pkName } from './introspect';

type AnyModel = any;

/** More words than this in one search is a 400: each word is a condition on every search field. */
export const MAX_SEARCH_TERMS = 50;

/**
 * Splits a search on spaces, keeping "quoted phrases" together (Django's smart_split).
 * @example splitTerms('django "single file"') // ['django', 'single file']
 */
export function splitTerms(q: string): string[] {
  const out: string[] = [];
  for (const m of q.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const t = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (t) out.push(t);
  }
  return out;
}

/**
 * `author__username` on Post → the association path `['author']` and the attribute `username` of User.
 * @example resolveLookup(Post, 'author__username') // { path: ['author'], model: User, attribute: 'username', toMany: false }
 */
export function resolveLookup(model: AnyModel, lookup: string): { path: string[]; model: AnyModel; attribute: string; toMany: boolean } {
  const parts = lookup.split('__');
  let current = model;
  let toMany = false;
  const path: string[] = [];
  while (parts.length > 1) {
    const assoc = (current.associations ?? {})[parts[0]];
    if (!assoc) break;
    if (assoc.associationType === 'HasMany' || assoc.associationType === 'BelongsToMany') toMany = true;
    path.push(parts.shift()!);
    current = assoc.target;
  }
  const attribute = parts.join('__');
  if (!(attribute in current.getAttributes())) {
    throw new TypeError(`The lookup '${lookup}' does not name a field of ${modelMeta(current).name} (searchFields/adminOrderField).`);
  }
  return { path, model: current, attribute, toMany };
}

/** The SQL column reference of an attribute reached through includes (`author.username`, `author->profile.city`). */
function columnRef(root: AnyModel, path: string[], target: AnyModel, attribute: string): any {
  const column = target.getAttributes()[attribute]?.field ?? attribute;
  return root.sequelize.col(`${path.length ? path.join('->') : root.name}.${column}`);
}

/** One search condition, case-insensitive on every database; `%`, `_` in the term are literal. */
function searchCondition(root: AnyModel, path: string[], target: AnyModel, attribute: string, mode: 'contains' | 'startswith' | 'exact', term: string): any {
  const seq = root.sequelize;
  const escaped = term.replace(/[!%_]/g, '!$&');
  const pattern = mode === 'contains' ? `%${escaped}%` : mode === 'startswith' ? `${escaped}%` : escaped;
  const ref = columnRef(root, path, target, attribute);
  if (seq.getDialect() === 'postgres') {
    return seq.where(seq.cast(ref, 'TEXT'), Op.iLike, seq.literal(`${seq.escape(pattern)} ESCAPE '!'`));
  }
  // SQLite's LIKE already ignores ASCII case (and its LOWER() folds nothing more), so a per-row LOWER() would only cost.
  if (seq.getDialect() === 'sqlite') return seq.where(ref, Op.like, seq.literal(`${seq.escape(pattern)} ESCAPE '!'`));
  // MySQL/MariaDB: LOWER() on both sides, so a binary collation doesn't make the search case-sensitive.
  return seq.where(seq.fn('LOWER', ref), Op.like, seq.literal(`${seq.escape(pattern.toLowerCase())} ESCAPE '!'`));
}

/** Include tree node: which associations a query must join, and whether their columns are selected. */
export interface IncludeNode { select: boolean; attributes?: string[]; children: Map<string, IncludeNode> }

/**
 * Adds the joins of an association path to a tree, once each; `select` fetches the last one's columns (`attributes`,
 * or all) for display, otherwise it is joined for a where or an order only.
 * @example addInclude(tree, ['author'], true, ['id', 'username'])
 */
export function addInclude(tree: Map<string, IncludeNode>, path: string[], select: boolean, attributes?: string[]): void {
  let level = tree;
  for (const [i, as] of path.entries()) {
    let node = level.get(as);
    if (!node) { node = { select: false, children: new Map() }; level.set(as, node); }
    if (select && i === path.length - 1) { node.select = true; node.attributes = attributes; }
    level = node.children;
  }
}

/**
 * The to-one association paths `listSelectRelated` joins, Django's select_related: `true` is every NOT NULL
 * belongs-to relation (as `select_related()` with no names), a list names relations, `__` going further
 * (`'product__category'`); each step of a path is selected, so `row.product.category` is there without a query.
 * @example selectRelatedPaths(OrderLine, ['product__category']) // [['product'], ['product', 'category']]
 */
export function selectRelatedPaths(model: AnyModel, option: unknown): string[][] {
  if (option === true) {
    return Object.values(model.associations ?? {})
      .filter((a: any) => a.associationType === 'BelongsTo' && model.getAttributes()[a.foreignKey]?.allowNull === false)
      .map((a: any) => [a.as]);
  }
  if (!Array.isArray(option)) return [];
  const out: string[][] = [];
  for (const name of option) {
    let current = model;
    const path: string[] = [];
    for (const step of String(name).split('__')) {
      const assoc = (current.associations ?? {})[step];
      if (!assoc || (assoc.associationType !== 'BelongsTo' && assoc.associationType !== 'HasOne')) {
        throw new TypeError(`listSelectRelated names '${name}': '${step}' is not a to-one relation of ${modelMeta(current).name}.`);
      }
      path.push(step);
      out.push([...path]);
      current = assoc.target;
    }
  }
  return out;
}

/**
 * The sequelize `include` list for an include tree (joins only, or with the related columns selected).
 * @example Post.findAll({ include: includesOf(tree), subQuery: false })
 */
export function includesOf(tree: Map<string, IncludeNode>, selectAll = true): any[] {
  return [...tree].map(([as, node]) => ({
    association: as, required: false, attributes: node.select && selectAll ? node.attributes : [], include: includesOf(node.children, selectAll),
  }));
}

/**
 * The where of a search: every term must match at least one search field (AND of ORs), as Django's
 * get_search_results. To-one lookups join (added to `includeTree`); to-many lookups match keys first, so rows never repeat.
 * @example const tree = new Map(); const where = await searchWhere(Post, ['^title', 'author__username'], 'ann hello', tree)
 */
export async function searchWhere(model: AnyModel, fields: string[], query: string, includeTree: Map<string, IncludeNode>): Promise<unknown> {
  if (!query.trim() || fields.length === 0) return undefined;
  // Databases refuse NUL in text and choke on thousands of OR-ed LIKEs: both are a 400, not a 500.
  if (query.includes('\0')) throw new BadRequest('Null characters are not allowed in a search.');
  const terms = splitTerms(query);
  if (terms.length > MAX_SEARCH_TERMS) throw new BadRequest(`A search may have at most ${MAX_SEARCH_TERMS} words; this one has ${terms.length}.`);
  const lookups = fields.map((spec) => {
    const mode: 'contains' | 'startswith' | 'exact' = spec.startsWith('^') ? 'startswith' : spec.startsWith('=') ? 'exact' : 'contains';
    return { mode, ...resolveLookup(model, spec.replace(/^[\^=@]/, '')) };
  });
  const pk = pkName(model);
  const andParts: unknown[] = [];
  for (const term of terms) {
    const orParts: unknown[] = [];
    for (const l of lookups) {
      if (!l.toMany) {
        addInclude(includeTree, l.path, false);
        orParts.push(searchCondition(model, l.path, l.model, l.attribute, l.mode, term));
        continue;
      }
      const inner = new Map<string, IncludeNode>();
      addInclude(inner, l.path, false);
      const rows = await model.findAll({ attributes: [pk], where: searchCondition(model, l.path, l.model, l.attribute, l.mode, term), include: includesOf(inner, false), raw: true, subQuery: false });
      orParts.push({ [pk]: { [Op.in]: [...new Set(rows.map((r: any) => r[pk]))] } });
    }
    andParts.push({ [Op.or]: orParts });
  }
  return { [Op.and]: andParts };
}


