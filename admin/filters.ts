// The change list's sidebar filters (boolean, choices, dates, foreign keys, custom classes) and the lookups they whitelist.
import { Op } from '../core/db/op';
import { BadRequest } from '../core/conf/errors';
import { cleanPk, defaultOrder, displayOf, fieldInfo, modelMeta, type FieldInfo } from './introspect';
import { resolveLookup } from './changelist-search';
import { localDay, localMidnight } from './formats';
import { t } from './i18n';

type AnyModel = any;
type Where = Record<string | symbol, unknown>;

/** One link in a filter's list: "Yes", "Past 7 days", an author … */
export interface FilterChoice { selected: boolean; queryString: string; display: string }

/** Builds `?…` for the change list with some params set and others removed (ChangeList.getQueryString). */
export type QueryStringFn = (set: Record<string, string | number | null>, remove?: string[]) => string;

/**
 * A sidebar filter. The change list asks each one which query parameters it owns (anything else in the
 * query string is refused with a 400), for its `where` and for the links to show.
 */
export abstract class ListFilter {
  title = '';
  /** The query parameters this filter reads; the change list whitelists exactly these. */
  abstract expectedParameters(): string[];
  /** A sequelize where to AND with the others, or undefined; throws BadRequest for a value it can't use. */
  abstract where(req: unknown): Where | undefined | Promise<Where | undefined>;
  abstract choices(qs: QueryStringFn): FilterChoice[];
  /** Loads what the links need (related objects, lookups()); called once before choices(). */
  async prepare(_req: unknown): Promise<void> {}
  hasOutput(): boolean { return true; }
  /** The parameters of this filter that are set in the current request. */
  constructor(public params: Record<string, string>) {}
  protected used(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.expectedParameters()) if (p in this.params) out[p] = this.params[p];
    return out;
  }
}

/**
 * A filter written in the app file, like Django's SimpleListFilter.
 * @example
 * class DecadeFilter extends SimpleListFilter {
 *   title = 'decade published'; parameterName = 'decade';
 *   lookups() { return [['80s', 'in the eighties'], ['90s', 'in the nineties']]; }
 *   queryset(req) { if (this.value() === '80s') return { year: { [Op.between]: [1980, 1989] } }; }
 * }
 * admin.register(Book, { listFilter: [DecadeFilter] });
 */
export class SimpleListFilter extends ListFilter {
  parameterName = '';
  private lookupChoices: Array<[string, string]> = [];
  constructor(params: Record<string, string>, public model?: AnyModel, public modelAdmin?: unknown) { super(params); }
  /** The options shown: `[[value, label], …]`. */
  lookups(_req: unknown, _modelAdmin: unknown): Array<[unknown, string]> | Promise<Array<[unknown, string]>> { return []; }
  /** A where for the selected value (`this.value()`), or undefined to leave the list as it is. */
  queryset(_req: unknown, _query?: unknown): Where | undefined | void | Promise<Where | undefined | void> { return undefined; }
  /** The selected value, or undefined for "All". */
  value(): string | undefined { return this.params[this.parameterName]; }
  expectedParameters(): string[] { return [this.parameterName]; }
  override async prepare(req: unknown): Promise<void> {
    this.lookupChoices = ((await this.lookups(req, this.modelAdmin)) ?? []).map(([v, l]) => [String(v), String(l)]);
  }
  override hasOutput(): boolean { return this.lookupChoices.length > 0; }
  async where(req: unknown): Promise<Where | undefined> {
    return (await this.queryset(req)) || undefined;
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const current = this.value();
    return [
      { selected: current === undefined, queryString: qs({}, [this.parameterName]), display: t('All') },
      ...this.lookupChoices.map(([v, label]) => ({ selected: current === v, queryString: qs({ [this.parameterName]: v }), display: label })),
    ];
  }
}

/** Base of the filters built from a model field named in listFilter. */
abstract class FieldListFilter extends ListFilter {
  /** The lookup the parameters are named after (`published`, or `author__isStaff` across a relation). */
  param: string;
  /** The where key: the attribute, or `$author.isStaff$` through a join. */
  key: string;
  /** The associations to join for a lookup across relations (`['author']`). */
  includePath: string[] = [];
  /** The model that holds the field (the related one for `author__isStaff`). */
  fieldModel: AnyModel;
  constructor(params: Record<string, string>, public field: FieldInfo, public model: AnyModel, path: string[] = [], fieldModel?: AnyModel) {
    super(params);
    this.title = field.verboseName;
    this.fieldModel = fieldModel ?? model;
    this.includePath = path;
    this.param = path.length ? `${path.join('__')}__${field.name}` : field.name;
    const column = this.fieldModel.getAttributes()[field.name]?.field ?? field.name;
    this.key = path.length ? `$${path.join('.')}.${column}$` : field.name;
  }
  protected get isnullParam(): string { return `${this.includePath.length ? this.param : (this.field.alias ?? this.field.name)}__isnull`; }
  /** `__isnull=True/False`, Django's spelling; anything else is refused. */
  protected isnullWhere(): Where | undefined {
    const v = this.params[this.isnullParam];
    if (v === undefined) return undefined;
    if (v !== 'True' && v !== 'False') throw new BadRequest(`Invalid value "${v}" for ${this.isnullParam}: use True or False.`);
    return { [this.key]: v === 'True' ? { [Op.is]: null } : { [Op.not]: null } };
  }
}

class BooleanFieldListFilter extends FieldListFilter {
  private get exact(): string { return `${this.param}__exact`; }
  expectedParameters(): string[] { return this.field.allowNull ? [this.exact, this.isnullParam] : [this.exact]; }
  where(): Where | undefined {
    const v = this.params[this.exact];
    if (v !== undefined && v !== '1' && v !== '0') throw new BadRequest(`Invalid value "${v}" for ${this.exact}: use 1 or 0.`);
    return v !== undefined ? { [this.key]: v === '1' } : this.isnullWhere();
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const v = this.params[this.exact];
    const n = this.params[this.isnullParam];
    const out: FilterChoice[] = [
      { selected: v === undefined && n === undefined, queryString: qs({}, [this.exact, this.isnullParam]), display: t('All') },
      { selected: v === '1', queryString: qs({ [this.exact]: '1' }, [this.isnullParam]), display: t('Yes') },
      { selected: v === '0', queryString: qs({ [this.exact]: '0' }, [this.isnullParam]), display: t('No') },
    ];
    if (this.field.allowNull) out.push({ selected: n === 'True', queryString: qs({ [this.isnullParam]: 'True' }, [this.exact]), display: t('Unknown') });
    return out;
  }
}

class ChoicesFieldListFilter extends FieldListFilter {
  private get exact(): string { return `${this.param}__exact`; }
  expectedParameters(): string[] { return this.field.allowNull ? [this.exact, this.isnullParam] : [this.exact]; }
  where(): Where | undefined {
    const v = this.params[this.exact];
    if (v === undefined) return this.isnullWhere();
    const choice = (this.field.choices ?? []).find(([value]) => String(value) === v);
    if (!choice) throw new BadRequest(`Invalid value "${v}" for ${this.exact}: not one of the choices.`);
    return { [this.key]: choice[0] };
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const v = this.params[this.exact];
    const n = this.params[this.isnullParam];
    const out: FilterChoice[] = [{ selected: v === undefined && n === undefined, queryString: qs({}, [this.exact, this.isnullParam]), display: t('All') }];
    for (const [value, label] of this.field.choices ?? []) {
      out.push({ selected: v === String(value), queryString: qs({ [this.exact]: String(value) }, [this.isnullParam]), display: label });
    }
    if (this.field.allowNull) out.push({ selected: n === 'True', queryString: qs({ [this.isnullParam]: 'True' }, [this.exact]), display: t('Empty') });
    return out;
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A UTC day as `YYYY-MM-DD`.
 * @example isoDay(new Date('2026-11-21T06:00:00Z')) // '2026-11-21'
 */
export function isoDay(d: Date): string { return d.toISOString().slice(0, 10); }

/**
 * Turns a `YYYY-MM-DD` bound into what the column compares with: for datetimes the instant that day starts in
 * TIME_ZONE (Django's USE_TZ filters work in the current time zone), the string for DATEONLY.
 * @example dateBound(fieldInfo(Post, 'createdAt'), '2026-11-21', 'createdAt__gte') // Date 2026-11-20T15:00:00Z in Tokyo
 */
export function dateBound(field: FieldInfo, day: string, param: string): unknown {
  const d = new Date(`${day}T00:00:00Z`);
  if (!ISO_DAY.test(day) || Number.isNaN(d.getTime()) || isoDay(d) !== day) throw new BadRequest(`Invalid date "${day}" for ${param}: use YYYY-MM-DD.`);
  return field.kind === 'date' ? day : localMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

class DateFieldListFilter extends FieldListFilter {
  private get gte(): string { return `${this.param}__gte`; }
  private get lt(): string { return `${this.param}__lt`; }
  expectedParameters(): string[] { return this.field.allowNull ? [this.gte, this.lt, this.isnullParam] : [this.gte, this.lt]; }
  where(): Where | undefined {
    const range: Where = {};
    if (this.params[this.gte] !== undefined) range[Op.gte] = dateBound(this.field, this.params[this.gte], this.gte);
    if (this.params[this.lt] !== undefined) range[Op.lt] = dateBound(this.field, this.params[this.lt], this.lt);
    if (Object.getOwnPropertySymbols(range).length) return { [this.key]: range };
    return this.isnullWhere();
  }
  /** Today, past 7 days, this month, this year: days of TIME_ZONE (UTC without USE_TZ), as Django's. */
  private ranges(now = new Date()): Array<[string, string, string]> {
    const local = localDay(now);
    const today = new Date(Date.UTC(local.y, local.mo - 1, local.d));
    const tomorrow = new Date(today.getTime() + 86400000);
    const weekAgo = new Date(today.getTime() - 7 * 86400000);
    const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
    const year = new Date(Date.UTC(today.getUTCFullYear(), 0, 1));
    const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, 0, 1));
    return [
      [t('Today'), isoDay(today), isoDay(tomorrow)],
      [t('Past 7 days'), isoDay(weekAgo), isoDay(tomorrow)],
      [t('This month'), isoDay(month), isoDay(nextMonth)],
      [t('This year'), isoDay(year), isoDay(nextYear)],
    ];
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const all = this.expectedParameters();
    const used = this.used();
    const out: FilterChoice[] = [{ selected: Object.keys(used).length === 0, queryString: qs({}, all), display: t('Any date') }];
    for (const [label, from, to] of this.ranges()) {
      out.push({ selected: used[this.gte] === from && used[this.lt] === to && !(this.isnullParam in used), queryString: qs({ [this.gte]: from, [this.lt]: to }, [this.isnullParam]), display: label });
    }
    if (this.field.allowNull) {
      out.push({ selected: used[this.isnullParam] === 'True', queryString: qs({ [this.isnullParam]: 'True' }, [this.gte, this.lt]), display: t('No date') });
      out.push({ selected: used[this.isnullParam] === 'False', queryString: qs({ [this.isnullParam]: 'False' }, [this.gte, this.lt]), display: t('Has date') });
    }
    return out;
  }
}

/** How many related objects the foreign-key filter lists before it stops (a filter is no place for 100,000 links). */
export const RELATED_FILTER_LIMIT = 200;

class RelatedFieldListFilter extends FieldListFilter {
  private related: Array<[string, string]> = [];
  private get exact(): string { return `${this.field.alias}__${this.field.relatedKey}__exact`; }
  expectedParameters(): string[] { return this.field.allowNull ? [this.exact, this.isnullParam] : [this.exact]; }
  override async prepare(): Promise<void> {
    const rows = await this.field.related.findAll({ order: defaultOrder(this.field.related), limit: RELATED_FILTER_LIMIT });
    this.related = rows.map((r: any) => [String(r.get(this.field.relatedKey!)), displayOf(r)]);
  }
  override hasOutput(): boolean { return this.related.length > 0 || this.field.allowNull; }
  where(): Where | undefined {
    const v = this.params[this.exact];
    if (v === undefined) return this.isnullWhere();
    const pk = cleanPk(this.field.related, v);
    if (pk === undefined) throw new BadRequest(`Invalid value "${v}" for ${this.exact}.`);
    return { [this.field.name]: pk };
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const v = this.params[this.exact];
    const n = this.params[this.isnullParam];
    const out: FilterChoice[] = [{ selected: v === undefined && n === undefined, queryString: qs({}, [this.exact, this.isnullParam]), display: t('All') }];
    for (const [pk, label] of this.related) out.push({ selected: v === pk, queryString: qs({ [this.exact]: pk }, [this.isnullParam]), display: label });
    if (this.field.allowNull) out.push({ selected: n === 'True', queryString: qs({ [this.isnullParam]: 'True' }, [this.exact]), display: t('Empty') });
    return out;
  }
}

/**
 * A many-to-many relation (`tags`): `tags__id__exact=3` keeps rows linked to tag 3, `tags__isnull=True` rows with no
 * tag; the join table is queried for the keys first, so rows never repeat.
 */
class ManyToManyFieldListFilter extends FieldListFilter {
  private related: Array<[string, string]> = [];
  private get exact(): string { return `${this.field.alias}__${this.field.relatedKey}__exact`; }
  expectedParameters(): string[] { return [this.exact, this.isnullParam]; }
  override async prepare(): Promise<void> {
    const rows = await this.field.related.findAll({ order: defaultOrder(this.field.related), limit: RELATED_FILTER_LIMIT });
    this.related = rows.map((r: any) => [String(r.get(this.field.relatedKey!)), displayOf(r)]);
  }
  async where(): Promise<Where | undefined> {
    const v = this.params[this.exact];
    const n = this.params[this.isnullParam];
    if (v === undefined && n === undefined) return undefined;
    const assoc = this.model.associations[this.field.alias!];
    const through = assoc.through.model;
    const pk = this.model.primaryKeyAttribute;
    if (v !== undefined) {
      const key = cleanPk(this.field.related, v);
      if (key === undefined) throw new BadRequest(`Invalid value "${v}" for ${this.exact}.`);
      const links = await through.findAll({ attributes: [assoc.foreignKey], where: { [assoc.otherKey]: key }, raw: true });
      return { [pk]: { [Op.in]: links.map((l: any) => l[assoc.foreignKey]) } };
    }
    if (n !== 'True' && n !== 'False') throw new BadRequest(`Invalid value "${n}" for ${this.isnullParam}: use True or False.`);
    const linked = await through.findAll({ attributes: [assoc.foreignKey], group: [assoc.foreignKey], raw: true });
    const ids = linked.map((l: any) => l[assoc.foreignKey]);
    return { [pk]: n === 'True' ? { [Op.notIn]: ids } : { [Op.in]: ids } };
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const v = this.params[this.exact];
    const n = this.params[this.isnullParam];
    const out: FilterChoice[] = [{ selected: v === undefined && n === undefined, queryString: qs({}, [this.exact, this.isnullParam]), display: t('All') }];
    for (const [pk, label] of this.related) out.push({ selected: v === pk, queryString: qs({ [this.exact]: pk }, [this.isnullParam]), display: label });
    out.push({ selected: n === 'True', queryString: qs({ [this.isnullParam]: 'True' }, [this.exact]), display: t('Empty') });
    return out;
  }
}

/** Any other field: its distinct values (up to RELATED_FILTER_LIMIT), like Django's AllValuesFieldListFilter. */
class AllValuesFieldListFilter extends FieldListFilter {
  private values: string[] = [];
  private get exact(): string { return `${this.param}__exact`; }
  expectedParameters(): string[] { return this.field.allowNull ? [this.exact, this.isnullParam] : [this.exact]; }
  override async prepare(): Promise<void> {
    const rows = await this.fieldModel.findAll({ attributes: [this.field.name], group: [this.field.name], order: [[this.field.name, 'ASC']], limit: RELATED_FILTER_LIMIT, raw: true });
    this.values = rows.map((r: any) => r[this.field.name]).filter((v: unknown) => v !== null).map(String);
  }
  where(): Where | undefined {
    const v = this.params[this.exact];
    if (v === undefined) return this.isnullWhere();
    if (['integer', 'float', 'decimal'].includes(this.field.kind) && !/^-?\d+(\.\d+)?$/.test(v)) throw new BadRequest(`Invalid value "${v}" for ${this.exact}: not a number.`);
    return { [this.key]: v };
  }
  choices(qs: QueryStringFn): FilterChoice[] {
    const v = this.params[this.exact];
    const out: FilterChoice[] = [{ selected: v === undefined && this.params[this.isnullParam] === undefined, queryString: qs({}, [this.exact, this.isnullParam]), display: t('All') }];
    for (const value of this.values) out.push({ selected: v === value, queryString: qs({ [this.exact]: value }, [this.isnullParam]), display: value });
    if (this.field.allowNull) out.push({ selected: this.params[this.isnullParam] === 'True', queryString: qs({ [this.isnullParam]: 'True' }, [this.exact]), display: t('Empty') });
    return out;
  }
}

/** `author__isStaff`: a filter on a field of a to-one related model, joined into the list's query. */
function acrossRelation(model: AnyModel, entry: string, params: Record<string, string>): ListFilter {
  const l = resolveLookup(model, entry);
  const field = fieldInfo(l.model, l.attribute);
  if (!field || l.toMany || field.kind === 'fk' || field.kind === 'm2m') {
    throw new TypeError(`listFilter refers to '${entry}', which is not a field reached through to-one relations of ${modelMeta(model).name}.`);
  }
  const make = { boolean: BooleanFieldListFilter, choice: ChoicesFieldListFilter, date: DateFieldListFilter, datetime: DateFieldListFilter } as Record<string, any>;
  const Filter = make[field.kind] ?? AllValuesFieldListFilter;
  const f = new Filter(params, field, model, l.path, l.model) as FieldListFilter;
  f.title = `${l.path.join(' ')} ${field.verboseName}`;
  return f;
}

/**
 * The joins a filter needs (lookups across relations), for the change list's include tree.
 * @example filterIncludePath(buildFilters(Post, ['author__isStaff'], {})[0]) // ['author']
 */
export function filterIncludePath(f: ListFilter): string[] {
  return f instanceof FieldListFilter ? f.includePath : [];
}

/** True for a class that extends SimpleListFilter (what a listFilter entry may be besides a field name). */
function isFilterClass(x: unknown): x is new (...a: any[]) => ListFilter {
  return typeof x === 'function' && x.prototype instanceof ListFilter;
}

/**
 * Builds the filters of a listFilter option. A field name picks the filter by the field's kind; a class is
 * instantiated with the current params. An unknown field is a configuration error (the admin checks report it too).
 * @example buildFilters(Post, ['published', 'createdAt', 'author', DecadeFilter], params, modelAdmin)
 */
export function buildFilters(model: AnyModel, listFilter: unknown[], params: Record<string, string>, modelAdmin?: unknown): ListFilter[] {
  return listFilter.map((entry) => {
    if (isFilterClass(entry)) return new (entry as any)(params, model, modelAdmin) as ListFilter;
    if (typeof entry !== 'string') throw new TypeError(`listFilter entries must be field names or SimpleListFilter classes, got ${String(entry)}`);
    if (entry.includes('__')) return acrossRelation(model, entry, params);
    const field = fieldInfo(model, entry);
    if (!field) throw new TypeError(`listFilter refers to '${entry}', which is not a field of ${modelMeta(model).name}.`);
    switch (field.kind) {
      case 'boolean': return new BooleanFieldListFilter(params, field, model);
      case 'choice': return new ChoicesFieldListFilter(params, field, model);
      case 'date': case 'datetime': return new DateFieldListFilter(params, field, model);
      case 'fk': return new RelatedFieldListFilter(params, field, model);
      case 'm2m': return new ManyToManyFieldListFilter(params, field, model);
      default: return new AllValuesFieldListFilter(params, field, model);
    }
  });
}
