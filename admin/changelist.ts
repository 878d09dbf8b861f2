// The change list (Django's views/main.py ChangeList): owns q, o, p, all and the filter params; builds one SQL page and a count.
import { Op } from '../core/db/op';
import { BadRequest } from '../core/conf/errors';
import { buildFilters, filterIncludePath, type FilterChoice, type ListFilter } from './filters';
import { DateHierarchy, type DateLink } from './date-hierarchy';
import { defaultOrder, fieldInfo, modelMeta, pkName } from './introspect';
import { addInclude, includesOf, resolveLookup, searchWhere, selectRelatedPaths, type IncludeNode } from './changelist-search';
import { canListPlainRows, listPlainRows } from './changelist-rows';
import { countRows, pageKeysWhere } from '../core/db/rows';
import { adminOption, buildColumns, cellOf, displayAttributes, type Cell, type ChangeListAdmin, type Column } from './changelist-columns';

export { ACTION_CHECKBOX, adminOption, type Cell, type ChangeListAdmin, type Column } from './changelist-columns';

export { splitTerms, resolveLookup, searchWhere, includesOf, selectRelatedPaths, type IncludeNode } from './changelist-search';

type AnyModel = any;
type Where = Record<string | symbol, unknown>;

export const SEARCH_VAR = 'q';
export const ORDER_VAR = 'o';
export const PAGE_VAR = 'p';
export const ALL_VAR = 'all';
export const PRESERVED_FILTERS_VAR = '_changelist_filters';
/** Params the change list reads itself; everything else must belong to a filter or the date hierarchy. */
const OWN_PARAMS = new Set([SEARCH_VAR, ORDER_VAR, ALL_VAR, '_popup', '_to_field']);



/** How one page is read: forwards, or from the end in the reverse order (`empty`: the page holds no row at all). */
interface PagePlan { order: any[]; limits: { limit?: number; offset?: number }; fromEnd: boolean; empty: boolean }

function samePlan(a: PagePlan, b: PagePlan): boolean {
  return a.fromEnd === b.fromEnd && a.limits.limit === b.limits.limit && a.limits.offset === b.limits.offset;
}

/**
 * The last exact count of each list (per model, keyed by its filters and search): the guess a page is read with while
 * the count runs. Never shown; rows read with a guess that the exact count contradicts are read again.
 */
const countHints = new WeakMap<object, Map<string, number>>();
const MAX_COUNT_HINTS = 200;
/** At most this many matches are sorted whole to pick a page's keys (a few milliseconds). */
const FEW_MATCHES = 5000;

/** A header cell with Django's three sort links (make primary, toggle, remove). */
export interface Header {
  text: string; name: string; sortable: boolean; sorted: boolean; ascending: boolean; sortPriority: number;
  urlPrimary: string; urlToggle: string; urlRemove: string; isCheckbox: boolean;
}

/**
 * The page numbers to show, with '…' gaps (Django's get_elided_page_range, 3 on each side, 2 at the ends).
 * @example pageRange(10, 20) // [1, 2, '…', 7, 8, 9, 10, 11, 12, 13, '…', 19, 20]
 */
export function pageRange(page: number, numPages: number): Array<number | '…'> {
  if (numPages <= 10) return Array.from({ length: numPages }, (_, i) => i + 1);
  const out: Array<number | '…'> = [];
  const push = (from: number, to: number): void => { for (let i = from; i <= to; i++) out.push(i); };
  if (page > 6) { push(1, 2); out.push('…'); push(page - 3, page); } else push(1, page);
  if (page < numPages - 5) { push(page + 1, page + 3); out.push('…'); push(numPages - 1, numPages); } else push(page + 1, numPages);
  return out;
}



/**
 * The list page of one model. `ChangeList.build(req, modelAdmin)` reads the query string, refuses lookups no
 * filter declared (BadRequest → 400), and runs a COUNT and one page with LIMIT/OFFSET, read as plain typed rows
 * with one query per foreign key column of listDisplay (or, when a column needs instances, one findAll with the
 * foreign keys joined into it): never a query per row.
 * @example const cl = await ChangeList.build(req, postAdmin); cl.resultCount; cl.results; cl.getQueryString({ p: 2 })
 */
export class ChangeList {
  readonly model: AnyModel;
  /** Every query parameter but `p`, in order (the links keep them). */
  readonly params: Record<string, string> = {};
  query = '';
  page = 1;
  showAll = false;
  columns: Column[] = [];
  filters: ListFilter[] = [];
  dateHierarchy?: DateHierarchy;
  /** Column index → 'asc'/'desc', in sort priority order (drives the header arrows). */
  orderingColumns = new Map<number, 'asc' | 'desc'>();
  order: any[] = [];
  listPerPage = 100;
  listMaxShowAll = 200;
  resultCount = 0;
  fullResultCount = 0;
  results: any[] = [];
  hasFilters = false;
  emptyValue = '-';
  where: Where = {};
  /** The joins the where needs (search across relations), without selecting their columns. */
  countInclude: any[] = [];
  /** True when `results` are read-only plain rows (admin/changelist-rows.ts), false when they are model instances. */
  plainRows = false;
  private pageInclude: any[] = [];
  private counting?: Promise<void>;
  /** What decides this list's count (everything but the sort and the page): the key of its count hint. */
  private hintKey = '';

  protected constructor(public req: any, public modelAdmin: ChangeListAdmin, public hasActions: boolean) {
    this.model = modelAdmin.model;
  }

  /** Reads the request and runs the queries. */
  static async build(req: any, modelAdmin: ChangeListAdmin, opts: { actions?: boolean; deferCount?: boolean } = {}): Promise<ChangeList> {
    const cl = new ChangeList(req, modelAdmin, Boolean(opts.actions));
    await cl.prepare(Boolean(opts.deferCount));
    return cl;
  }

  /**
   * Resolves once the counts are known (at once, unless built with `deferCount`); rejects with the BadRequest of a page
   * past the end. With `deferCount: true`, `build` may return with the page's rows read and the count still running:
   * read `resultCount`, `numPages`, `showAll` and the rest only after `await cl.ready()`.
   * @example const cl = await ChangeList.build(req, ma, { deferCount: true }); const cells = …cl.results…; await cl.ready();
   */
  ready(): Promise<void> { return this.counting ?? Promise.resolve(); }

  get meta() { return modelMeta(this.model); }
  get numPages(): number { return Math.max(1, Math.ceil(this.resultCount / this.listPerPage)); }
  get multiPage(): boolean { return this.resultCount > this.listPerPage; }
  get canShowAll(): boolean { return this.resultCount <= this.listMaxShowAll; }
  get isFiltered(): boolean { return this.hasFilters || Boolean(this.query); }
  get showFullResultCount(): boolean { return this.modelAdmin.showFullResultCount !== false; }
  get searchFields(): string[] { return adminOption(this.modelAdmin, 'searchFields', this.req, [] as string[]); }

  private async prepare(deferCount: boolean): Promise<void> {
    const url = new URL(this.req.originalUrl ?? this.req.url ?? '/', 'http://x');
    for (const [k, v] of url.searchParams) {
      if (k.includes('\0') || v.includes('\0')) throw new BadRequest('Null characters are not allowed in the query string.');
      if (k !== PAGE_VAR && k !== 'e') this.params[k] = v;
    }
    const rawPage = url.searchParams.get(PAGE_VAR);
    if (rawPage !== null) {
      if (!/^\d{1,9}$/.test(rawPage) || Number(rawPage) < 1) throw new BadRequest(`Invalid page "${rawPage}": ${PAGE_VAR} must be a page number.`);
      this.page = Number(rawPage);
    }
    this.query = (this.params[SEARCH_VAR] ?? '').trim();
    const ma = this.modelAdmin;
    this.listPerPage = Number(ma.listPerPage ?? 100) || 100;
    this.listMaxShowAll = Number(ma.listMaxShowAll ?? 200);
    this.emptyValue = ma.emptyValueDisplay ?? '-';
    this.columns = buildColumns(this.req, ma, this.hasActions);

    const listFilter = adminOption(ma, 'listFilter', this.req, [] as unknown[]);
    this.filters = buildFilters(this.model, listFilter, this.params, ma);
    const dh = adminOption<string | null | undefined>(ma, 'dateHierarchy', this.req, undefined);
    if (dh) {
      const field = fieldInfo(this.model, dh);
      if (!field) throw new TypeError(`dateHierarchy refers to '${dh}', which is not a field of ${this.meta.name}.`);
      this.dateHierarchy = new DateHierarchy(this.model, field, this.params);
    }
    this.refuseUnknownLookups();

    const base = ((await ma.getQueryset?.(this.req)) ?? {}) as { where?: Where; include?: any[]; order?: any[] };
    const includeTree = new Map<string, IncludeNode>();
    for (const f of this.filters) if (filterIncludePath(f).length) addInclude(includeTree, filterIncludePath(f), false);
    const parts: unknown[] = [];
    if (base.where) parts.push(base.where);
    for (const f of this.filters) {
      await f.prepare(this.req);
      const w = await f.where(this.req);
      if (w) { parts.push(w); this.hasFilters = true; }
    }
    const dhWhere = this.dateHierarchy?.where();
    if (dhWhere) { parts.push(dhWhere); this.hasFilters = true; }
    const search = await this.searchWhere(includeTree);
    if (search) parts.push(search);
    this.where = parts.length ? { [Op.and]: parts } : {};

    const baseInclude = base.include ?? [];
    this.countInclude = [...baseInclude, ...includesOf(includeTree, false)];
    this.order = this.buildOrder(base.order, includeTree);
    for (const c of this.columns) if (c.kind === 'relation' && c.field?.alias) addInclude(includeTree, [c.field.alias], true, displayAttributes(c.field.related, c.field.relatedKey));
    // listSelectRelated: whole related rows in the same query, for listDisplay callables that read `row.author.email`.
    const selectRelated = selectRelatedPaths(this.model, adminOption(ma, 'listSelectRelated', this.req, false as boolean | string[]));
    for (const path of selectRelated) addInclude(includeTree, path, true);
    this.pageInclude = [...baseInclude, ...includesOf(includeTree)];

    // The change list's own joins are to-one (to-many searches match keys first), so only the base query's may repeat
    // rows and need a DISTINCT count; without joins the count is a COUNT(*), which SQLite answers from an index.
    const count = (where: unknown, include: any[]): Promise<number> => countRows(this.model, { where: where as never, include, distinct: baseInclude.length > 0 });
    const counted = Promise.all([
      count(this.where, this.countInclude),
      // "12 results (40 total)" costs a second COUNT: Django's show_full_result_count turns it off.
      parts.length > (base.where ? 1 : 0) && ma.showFullResultCount !== false ? count(base.where ?? {}, baseInclude) : null,
    ]);
    // A list that only shows values reads plain typed rows (no model instance per row); callables, listEditable and
    // models with getters get instances, as in Django.
    this.plainRows = selectRelated.length === 0 && canListPlainRows(this.model, this.columns, ma, baseInclude);
    // The page is read while the count runs (on another connection: a server database takes milliseconds to count
    // 100,000 rows). Which rows a page holds does not depend on the count when it is read forwards, as page 1 always is;
    // a page read from the end needs the count, so it is read with the count of the same list last time, and read again
    // if the exact count turns out different. `?all` waits for the count (it may be refused).
    const offset = (this.page - 1) * this.listPerPage;
    this.hintKey = JSON.stringify(Object.entries(this.params).filter(([k]) => k !== ORDER_VAR));
    const hint = offset > 0 ? this.countHint() : undefined;
    const guessed = ALL_VAR in this.params ? undefined : offset === 0 ? this.pagePlan(0) : hint !== undefined ? this.pagePlan(hint) : undefined;
    const early = guessed && !guessed.empty ? this.readPage(guessed) : undefined;
    const settle = ([matched, full]: [number, number | null]): void => {
      this.resultCount = matched;
      this.fullResultCount = full ?? matched;
      this.rememberCount(matched);
      this.showAll = ALL_VAR in this.params && this.canShowAll;
      if (!this.showAll && this.page > this.numPages) throw new BadRequest(`Invalid page (${this.page}): that page contains no results.`);
    };
    if (deferCount && early && !guessed!.fromEnd) {
      // The caller awaits ready() before it reads the count; until then the count runs beside its work on the rows.
      this.counting = counted.then(settle);
      this.counting.catch(() => {});
      this.results = await early;
      return;
    }
    // A page read early for an invalid page number is still awaited, so that no query is left running unobserved.
    const [counts, earlyRows] = await Promise.all([counted, early]);
    settle(counts);
    if (this.showAll) { this.results = await this.readPage({ order: this.order, limits: {}, fromEnd: false, empty: false }); return; }
    const exact = this.pagePlan(this.resultCount);
    const used = earlyRows && guessed && (!guessed.fromEnd || samePlan(guessed, exact)) ? guessed : exact;
    const rows = used === guessed ? earlyRows! : await this.readPage(exact);
    this.results = used.fromEnd ? rows.reverse() : rows;
  }

  /**
   * How to read this page of a list of `count` rows. A page nearer the end than the start is read from the end, in the
   * reverse order (exact: the order always ends with the primary key), so OFFSET never walks more than half of the rows,
   * and the last page is as cheap as the first. A forward read does not depend on the count.
   */
  private pagePlan(count: number): PagePlan {
    const offset = (this.page - 1) * this.listPerPage;
    const after = count - offset - this.listPerPage;
    const fromEnd = offset > 0 && after < offset;
    if (!fromEnd) return { order: this.order, limits: { limit: this.listPerPage, offset }, fromEnd, empty: false };
    const order = this.order.map((o: any[]) => [...o.slice(0, -1), String(o[o.length - 1]).toUpperCase() === 'DESC' ? 'ASC' : 'DESC']);
    return { order, limits: { limit: Math.min(this.listPerPage, count - offset), offset: Math.max(0, after) }, fromEnd, empty: count - offset <= 0 };
  }

  /**
   * One page of results in the given order and limits. Past page 1, when the where needs no join, the page's keys come
   * first: OFFSET then walks the skipped rows on the narrowest index, without their columns or the page's joins
   * (core/db/rows.ts pageKeysWhere).
   */
  private async readPage({ order, limits }: PagePlan): Promise<any[]> {
    const keysFirst = this.countInclude.length === 0;
    const hint = this.countHint();
    // A search or filter that matched few rows last time: on PostgreSQL the page's keys are picked among its matches
    // (core/db/rows.ts fewMatches), so that a search whose matches lie at the far end of the order does not walk the table.
    const fewMatches = keysFirst && hint !== undefined && hint <= FEW_MATCHES;
    if (this.plainRows) return listPlainRows(this.model, this.columns, { where: this.where, include: this.pageInclude, order, ...limits, keysFirst, fewMatches });
    const keys = keysFirst && (limits.offset || fewMatches) ? pageKeysWhere(this.model, { where: this.where, include: this.pageInclude, order, ...limits, fewMatches }) : undefined;
    return this.model.findAll({ include: this.pageInclude, order, subQuery: false, ...(keys ? { where: keys } : { where: this.where, ...limits }) });
  }

  /** The last exact count of this list (the same filters and search, any sort and page), if there is one. */
  private countHint(): number | undefined {
    return countHints.get(this.model)?.get(this.hintKey);
  }

  private rememberCount(n: number): void {
    let perModel = countHints.get(this.model);
    if (!perModel) { perModel = new Map(); countHints.set(this.model, perModel); }
    if (perModel.size >= MAX_COUNT_HINTS && !perModel.has(this.hintKey)) perModel.clear();
    perModel.set(this.hintKey, n);
  }

  /** Django refuses lookups it did not whitelist; so do we, with a 400 that names the parameter. */
  private refuseUnknownLookups(): void {
    const allowed = new Set([...OWN_PARAMS, PRESERVED_FILTERS_VAR, ...this.filters.flatMap((f) => f.expectedParameters()), ...(this.dateHierarchy?.expectedParameters() ?? [])]);
    for (const key of Object.keys(this.params)) {
      if (!allowed.has(key)) throw new BadRequest(`Filtering by "${key}" is not allowed: it is not a lookup of ${this.meta.name}'s listFilter, search or date hierarchy.`);
    }
  }

  private searchWhere(includeTree: Map<string, IncludeNode>): Promise<unknown> {
    return searchWhere(this.model, this.searchFields, this.query, includeTree);
  }


  /** Sort: the `o` columns, then the admin's/model's ordering, then the primary key so pages never overlap. */
  private buildOrder(baseOrder: any[] | undefined, includeTree: Map<string, IncludeNode>): any[] {
    const out: any[] = [];
    const seen = new Set<string>();
    const push = (field: string, dir: 'ASC' | 'DESC'): void => {
      if (seen.has(field)) return;
      seen.add(field);
      if (field.includes('__')) {
        const l = resolveLookup(this.model, field);
        if (l.toMany) return;
        addInclude(includeTree, l.path, false);
        out.push([...l.path, l.attribute, dir]);
      } else if (field in this.model.getAttributes()) out.push([field, dir]);
    };
    const raw = this.params[ORDER_VAR];
    if (raw) {
      for (const part of raw.split('.')) {
        const m = /^(-?)(\d+)$/.exec(part);
        const col = m ? this.columns[Number(m[2])] : undefined;
        if (!col?.orderField || this.orderingColumns.has(Number(m![2]))) continue;
        this.orderingColumns.set(Number(m![2]), m![1] ? 'desc' : 'asc');
        if (col.orderBy) for (const o of col.orderBy) push(o.field, (o.desc !== Boolean(m![1])) ? 'DESC' : 'ASC');
        else push(col.orderField, m![1] ? 'DESC' : 'ASC');
      }
    }
    const ordering = (this.modelAdmin as any).getOrdering?.(this.req) ?? this.modelAdmin.ordering ?? this.meta.ordering ?? [];
    const defaults: Array<[string, 'ASC' | 'DESC']> = ordering.length
      ? ordering.map((f: string) => (f.startsWith('-') ? [f.slice(1), 'DESC'] : [f.replace(/^\+/, ''), 'ASC']))
      : (baseOrder ?? defaultOrder(this.model) ?? []).filter((o: any) => Array.isArray(o) && typeof o[0] === 'string').map((o: any) => [o[0], String(o[1] ?? 'ASC').toUpperCase()]);
    for (const [field, dir] of defaults) {
      if (!raw) {
        const idx = this.columns.findIndex((c) => c.orderField === field);
        if (idx >= 0 && !this.orderingColumns.has(idx)) this.orderingColumns.set(idx, dir === 'DESC' ? 'desc' : 'asc');
      }
      push(field, dir);
    }
    const pk = pkName(this.model);
    if (!seen.has(pk)) out.push([pk, 'DESC']);
    return out;
  }

  /**
   * `?…` for this list with some params changed (null removes one) and others removed; the page number
   * is dropped unless set, so a new filter starts on page 1.
   * @example cl.getQueryString({ o: '2.-1' }) // '?q=hello&o=2.-1'
   */
  getQueryString(set: Record<string, string | number | null> = {}, remove: string[] = []): string {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(this.params)) if (!remove.includes(k) && !(k in set)) p.append(k, v);
    for (const [k, v] of Object.entries(set)) if (v !== null && v !== undefined) p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '?';
  }

  /** The column headers with Django's sort links: make this the primary sort, toggle it, remove it. */
  headers(): Header[] {
    const entries = [...this.orderingColumns];
    return this.columns.map((col, i) => {
      const h: Header = { text: col.label, name: col.name, sortable: Boolean(col.orderField), sorted: false, ascending: true, sortPriority: 0, urlPrimary: '', urlToggle: '', urlRemove: '', isCheckbox: col.kind === 'checkbox' };
      if (!h.sortable) return h;
      const current = this.orderingColumns.get(i);
      h.sorted = current !== undefined;
      h.ascending = current !== 'desc';
      h.sortPriority = h.sorted ? entries.findIndex(([j]) => j === i) + 1 : 0;
      const next = h.sorted ? (current === 'asc' ? 'desc' : 'asc') : 'asc';
      const param = (t: string, n: number): string => `${t === 'desc' ? '-' : ''}${n}`;
      const primary: string[] = [];
      const toggle: string[] = [];
      const removeList: string[] = [];
      for (const [j, t] of entries) {
        if (j === i) { primary.unshift(param(next, j)); toggle.push(param(next, j)); } else {
          primary.push(param(t, j)); toggle.push(param(t, j)); removeList.push(param(t, j));
        }
      }
      if (!h.sorted) primary.unshift(param(next, i));
      h.urlPrimary = this.getQueryString({ [ORDER_VAR]: primary.join('.') });
      h.urlToggle = this.getQueryString({ [ORDER_VAR]: toggle.join('.') });
      h.urlRemove = this.getQueryString({ [ORDER_VAR]: removeList.join('.') });
      return h;
    });
  }

  /** The columns that link to the change page: listDisplayLinks, else the first column; none when null. */
  linkColumns(): Set<string> {
    const ma = this.modelAdmin;
    const display = this.columns.filter((c) => c.kind !== 'checkbox');
    let links: string[] | null | undefined = ma.listDisplayLinks;
    if (links === undefined || (Array.isArray(links) && links.length === 0)) links = display.slice(0, 1).map((c) => c.name);
    const editable = new Set(ma.listEditable ?? []);
    return new Set((links ?? []).filter((n) => !editable.has(n)));
  }


  /** The value of one column for one object, formatted for display (a callable may be async). */
  cell(obj: any, col: Column, changeUrl?: string): Promise<Cell> { return cellOf(obj, col, this.emptyValue, changeUrl); }

  /** The sidebar's filters with their links, those with something to show. */
  filterSpecs(): Array<{ title: string; choices: FilterChoice[] }> {
    const qs = this.getQueryString.bind(this);
    return this.filters.filter((f) => f.hasOutput()).map((f) => ({ title: f.title, choices: f.choices(qs) }));
  }

  /** The date drill-down links, or undefined when there is no dateHierarchy. */
  async dateLinks(): Promise<{ back?: DateLink; choices: DateLink[] } | undefined> {
    return this.dateHierarchy?.links(this.getQueryString.bind(this), { where: this.where, include: this.countInclude });
  }

  /** The params of the filters and the date hierarchy ("Clear all filters" removes these, keeps q and o). */
  filterParamNames(): string[] {
    return [...this.filters.flatMap((f) => f.expectedParameters()), ...(this.dateHierarchy?.expectedParameters() ?? [])];
  }

  /** Page numbers with gaps, for the paginator. */
  pageRange(): Array<number | '…'> { return pageRange(this.page, this.numPages); }

  /** The query string to carry to the change form and back (`_changelist_filters`), like Django's preserved filters. */
  preservedFilters(): string {
    const p = new URLSearchParams(this.params);
    if (this.page > 1) p.set(PAGE_VAR, String(this.page));
    p.delete(PRESERVED_FILTERS_VAR);
    const s = p.toString();
    return s ? new URLSearchParams({ [PRESERVED_FILTERS_VAR]: s }).toString() : '';
  }
}

/**
 * Adds the change list's filters carried by a request (`?_changelist_filters=…`) to a URL, so that "Save" returns
 * to the filtered, searched, sorted page the user came from.
 * @example addPreservedFilters('/admin/blog/post/', req) // '/admin/blog/post/?q=hello&published__exact=1'
 */
export function addPreservedFilters(url: string, req: any, { toChangelist = true } = {}): string {
  const raw = new URL(req.originalUrl ?? req.url ?? '/', 'http://x').searchParams.get(PRESERVED_FILTERS_VAR)
    ?? (typeof req.body?.[PRESERVED_FILTERS_VAR] === 'string' ? req.body[PRESERVED_FILTERS_VAR] : null);
  if (!raw) return url;
  const extra = toChangelist ? raw : new URLSearchParams({ [PRESERVED_FILTERS_VAR]: raw }).toString();
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`;
}
