// api.resource(Model, options): list, retrieve, create, replace, update and delete of one model, as SPEC §10's table.
import type { Request } from 'express';
import type { HttpRequest } from '../core/http/types';
import type { Model, ModelStatic, WhereOptions } from 'sequelize';
import { Op } from '../core/db/op';
import { getModelMeta } from '../core/db/models';
import type { AttributeNames, InstanceOf } from '../core/db/typed';
import type { SearchField } from '../admin/typed-options';
import { rows, rowReader, countRows } from '../core/db/rows';
import { unwrap } from '../core/conf/state';
import { json, Response } from '../core/http/responses';
import { cleanPk, pkName } from '../admin/introspect';
import { ModelForm } from '../admin/forms';
import { searchWhere, includesOf, resolveLookup, type IncludeNode } from '../admin/changelist-search';
import { ApiError, invalid, type FieldErrors } from './errors';
import { cleanJson, fieldInfo, REQUIRED, type FieldInfo } from './fields';
import { parseListQuery, type QuerySpec } from './query';
import { denied, hasModelPermission, Throttle, type Action, type ReadAccess, type ThrottleRate } from './access';

type Data = Record<string, unknown>;
type Awaitable<T> = T | Promise<T>;
/** The attributes of a model's rows (any for a model sequelize does not type). */
type AttributesOf<M> = InstanceOf<M> extends Model<infer A, any> ? A : any;

/** `S` where it cannot be inferred from (TypeScript 5.4's NoInfer, written so that older 5.x compilers read it too). */
type NoInfer_<S> = [S][S extends unknown ? 0 : never];
type FieldsOf<S extends string> = Array<NoInfer_<S>>;

/**
 * What `api.resource(Model, options)` accepts. Every name is checked against the model when it is declared, and, for
 * a model made with model(), by the compiler: `M` is the model's class, `S` the names in `fields` (which readOnlyFields,
 * filterFields and orderingFields must come from, as at run time).
 * @example const options: ResourceOptions<typeof Post> = { fields: ['id', 'title'], filterFields: ['title'] };
 */
export interface ResourceOptions<M = ModelStatic<Model>, S extends string = AttributeNames<M>> {
  /** URL segment under API_URL: 'posts' → /api/posts/ and /api/posts/<pk>/ (default: the model's plural, lowercased). */
  path?: string;
  /** Fields read and written (default: every attribute but passwords). */
  fields?: S[];
  readOnlyFields?: FieldsOf<S>;
  /** Filterable fields: `?published=true`, `?authorId__in=1,2`, `?createdAt__gte=2024-01-01`. */
  filterFields?: FieldsOf<S>;
  /** `?search=word`, with the admin's lookups: `^title` starts with, `=title` exact, else contains; `author__username` across a relation. */
  searchFields?: Array<SearchField<AttributeNames<M>>>;
  /** `?ordering=-createdAt,title` may use these. */
  orderingFields?: FieldsOf<S>;
  /** Default order (else the model's `ordering`, else the primary key). */
  ordering?: Array<AttributeNames<M> | `-${AttributeNames<M>}`>;
  /** Belongs-to relations a client may nest with `?expand=author`: their resource's fields, or the fields given here. */
  expand?: string[] | Record<string, string[]>;
  /** Who may read (default: users with the model's view permission). */
  read?: ReadAccess;
  /** Replaces the default permission rule; `obj` is given for actions on one object. */
  permission?: (req: HttpRequest, action: Action, obj?: InstanceOf<M>) => Awaitable<boolean>;
  /** Hooks per action: return the data to save (create/update); `destroy` runs before the row is deleted. */
  perform?: {
    create?: (req: HttpRequest, data: Data) => Awaitable<Data>;
    update?: (req: HttpRequest, data: Data, obj: InstanceOf<M>) => Awaitable<Data>;
    destroy?: (req: HttpRequest, obj: InstanceOf<M>) => Awaitable<void>;
  };
  /** Restricts what this request may see at all (`(req) => ({ authorId: req.user.id })`): other rows are 404. */
  scope?: (req: HttpRequest) => WhereOptions<AttributesOf<M>> | undefined;
  /** The actions offered (default: all). */
  actions?: Action[];
  pageSize?: number;
  /** Requests per user (or address, when anonymous) per period: '100/minute'. Over it: 429 with Retry-After. */
  throttle?: ThrottleRate;
  /** Words for the OpenAPI document. */
  description?: string;
}

const ALL_ACTIONS: Action[] = ['list', 'retrieve', 'create', 'update', 'partialUpdate', 'destroy'];
const STORED_KIND_EXCLUDED = new Set(['m2m', 'password', 'file', 'image']);

/** A model served as a REST resource; made by `api.resource()`, read by the router and the OpenAPI generator. */
export class Resource {
  readonly model: ModelStatic<Model>;
  readonly path: string;
  readonly fields: string[];
  readonly infos = new Map<string, FieldInfo>();
  readonly readOnly: Set<string>;
  readonly writable: string[];
  readonly actions: Set<Action>;
  readonly spec: QuerySpec;
  readonly pk: string;
  readonly throttle?: Throttle;
  private expandFields?: Map<string, { fk: string; target: ModelStatic<Model>; fields: string[] }>;

  constructor(model: ModelStatic<Model>, readonly opts: ResourceOptions, pageSizes: { pageSize: number; maxPageSize: number },
    private readonly lookup: (m: ModelStatic<Model>) => Resource | undefined) {
    this.model = unwrap(model);
    const meta = getModelMeta(this.model);
    const where = `api.resource(${meta.name})`;
    const fail = (detail: string): never => { throw new ApiError('E_API_CONFIG', { detail: `${where}: ${detail}` }); };
    this.path = (opts.path ?? meta.verboseNamePlural.replace(/\s+/g, '-')).replace(/^\/+|\/+$/g, '');
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(this.path)) fail(`path must be URL segments like 'posts', got ${JSON.stringify(opts.path)}.`);
    this.pk = pkName(this.model);
    const attrs = this.model.getAttributes() as Record<string, { type?: { key?: string } }>;
    const stored = Object.keys(attrs).filter((a) => attrs[a].type?.key !== 'VIRTUAL');
    const known = (name: string, option: string): FieldInfo => {
      if (!stored.includes(name)) fail(`${option} names "${name}", which is not a stored attribute of ${meta.name}. Attributes: ${stored.join(', ')}.`);
      const info = fieldInfo(this.model, name)!;
      // A form starts a NOT NULL field with its default and requires it back (Django's blank=False); an API body may
      // leave it out and get the default, as Django REST framework's ModelSerializer does.
      return info.required && info.defaultValue !== undefined ? { ...info, required: false } : info;
    };
    this.fields = opts.fields ?? stored.filter((a) => a !== 'password' && !STORED_KIND_EXCLUDED.has(fieldInfo(this.model, a)!.kind));
    for (const f of this.fields) this.infos.set(f, known(f, 'fields'));
    if (!this.fields.includes(this.pk)) fail(`fields must include the primary key "${this.pk}".`);
    for (const f of opts.readOnlyFields ?? []) if (!this.fields.includes(f)) fail(`readOnlyFields names "${f}", which is not in fields.`);
    this.readOnly = new Set([...(opts.readOnlyFields ?? []), ...this.fields.filter((f) => !this.infos.get(f)!.editable || this.infos.get(f)!.primaryKey)]);
    this.writable = this.fields.filter((f) => !this.readOnly.has(f));
    const filters = new Map<string, FieldInfo>();
    for (const f of opts.filterFields ?? []) {
      if (!this.fields.includes(f)) fail(`filterFields names "${f}", which is not in fields (only fields the resource shows can be filtered on).`);
      filters.set(f, this.infos.get(f)!);
    }
    for (const f of opts.orderingFields ?? []) if (!this.fields.includes(f)) fail(`orderingFields names "${f}", which is not in fields.`);
    for (const f of opts.ordering ?? []) if (!stored.includes(f.replace(/^-/, ''))) fail(`ordering names "${f}", which is not an attribute.`);
    this.actions = new Set(opts.actions ?? ALL_ACTIONS);
    for (const a of this.actions) if (!ALL_ACTIONS.includes(a)) fail(`actions may hold ${ALL_ACTIONS.join(', ')}; got "${a}".`);
    const expand = Array.isArray(opts.expand) ? opts.expand : Object.keys(opts.expand ?? {});
    for (const alias of expand) {
      const assoc = (this.model.associations as Record<string, any>)[alias];
      if (assoc?.associationType !== 'BelongsTo') fail(`expand names "${alias}", which is not a belongs-to association of ${meta.name}.`);
      if (!this.fields.includes(assoc.foreignKey)) fail(`expand "${alias}" needs its foreign key "${assoc.foreignKey}" in fields.`);
    }
    const pageSize = opts.pageSize ?? pageSizes.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > pageSizes.maxPageSize) fail(`pageSize must be a whole number from 1 to API_MAX_PAGE_SIZE (${pageSizes.maxPageSize}).`);
    this.spec = {
      filters, search: Boolean(opts.searchFields?.length), ordering: new Set(opts.orderingFields ?? []),
      fields: new Set(this.fields), expand: new Set(expand), pageSize, maxPageSize: pageSizes.maxPageSize,
    };
    if (opts.throttle !== undefined) this.throttle = new Throttle(opts.throttle, where);
    // Checked now, so that a mistake fails at startup; the list's reader is compiled once, here.
    for (const spec of opts.searchFields ?? []) {
      try { resolveLookup(this.model, spec.replace(/^[\^=@]/, '')); } catch (err) { fail(`searchFields: ${(err as Error).message}`); }
    }
    rowReader(this.model, this.fields);
  }

  get name(): string { return getModelMeta(this.model).name; }

  /** The nested objects `?expand=` may ask for, resolved once every resource is declared. */
  expansions(): Map<string, { fk: string; target: ModelStatic<Model>; fields: string[] }> {
    if (this.expandFields) return this.expandFields;
    const out = new Map<string, { fk: string; target: ModelStatic<Model>; fields: string[] }>();
    for (const alias of this.spec.expand) {
      const assoc = (this.model.associations as Record<string, any>)[alias];
      const given = Array.isArray(this.opts.expand) ? undefined : this.opts.expand?.[alias];
      const fields = given ?? this.lookup(assoc.target)?.fields;
      if (!fields) {
        throw new ApiError('E_API_CONFIG', { detail: `api.resource(${this.name}): expand "${alias}" needs ${assoc.target.name}'s fields: declare a resource for ${assoc.target.name}, or write expand: { ${alias}: ['id', …] }.` });
      }
      out.set(alias, { fk: assoc.foreignKey, target: assoc.target, fields });
    }
    this.expandFields = out;
    return out;
  }

  /** Checks expand declarations (called when the API is mounted, so a mistake fails at startup). */
  checkExpansions(): void { this.expansions(); }

  private async allow(req: Request, action: Action, obj?: Model): Promise<void> {
    const ok = this.opts.permission
      ? await this.opts.permission(req as HttpRequest, action, obj)
      : await hasModelPermission(req, this.model, action, this.opts.read ?? 'permission');
    if (!ok) throw denied(req);
  }

  private scoped(req: Request, where: Record<string | symbol, unknown>[]): WhereOptions {
    const extra = this.opts.scope?.(req as HttpRequest);
    const all = extra ? [...where, extra as Record<string, unknown>] : where;
    return (all.length === 0 ? {} : all.length === 1 ? all[0] : { [Op.and]: all }) as WhereOptions;
  }

  /** Turns a pk from the URL into the key's type; one that cannot be a key is a 404 that says why. */
  private parsePk(raw: string): unknown {
    const pk = cleanPk(this.model, raw);
    if (pk === undefined) throw new ApiError('E_API_NOT_FOUND', { detail: `"${raw}" is not a valid ${getModelMeta(this.model).verboseName} id.` });
    return pk;
  }

  private notFound(pk: unknown): ApiError {
    return new ApiError('E_API_NOT_FOUND', { detail: `No ${getModelMeta(this.model).verboseName} with id ${JSON.stringify(pk)}.` });
  }

  /** Reads plain rows of the selected fields, then nests each expanded relation with one query per relation. */
  private async read(fields: string[], expand: string[], options: Parameters<typeof rows>[1]): Promise<Data[]> {
    const exp = this.expansions();
    const fks = expand.map((a) => exp.get(a)!.fk).filter((fk) => !fields.includes(fk));
    const found = await rows(this.model, { ...options, attributes: fks.length ? [...fields, ...fks] : fields });
    for (const alias of expand) {
      const { fk, target, fields: tf } = exp.get(alias)!;
      const key = pkName(target);
      const ids = [...new Set(found.map((r) => r[fk]).filter((v) => v !== null && v !== undefined))];
      const related = ids.length ? await rows(target, { attributes: tf.includes(key) ? tf : [...tf, key], where: { [key]: ids }, order: [] }) : [];
      const byId = new Map(related.map((r) => [r[key], r]));
      for (const r of found) r[alias] = byId.get(r[fk]) ?? null;
    }
    if (fks.length) for (const r of found) for (const fk of fks) delete r[fk];
    return found;
  }

  async list(req: Request): Promise<Response> {
    await this.allow(req, 'list');
    const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    const q = parseListQuery(params, this.spec);
    const tree = new Map<string, IncludeNode>();
    if (q.search) {
      const s = await searchWhere(this.model, this.opts.searchFields!, q.search, tree);
      if (s) q.where.push(s as Record<string, unknown>);
    }
    const include = includesOf(tree, false);
    const where = this.scoped(req, q.where);
    const order = [...(q.order ?? this.defaultOrder()), [this.pk, 'ASC']] as Array<[string, string]>;
    const offset = (q.page - 1) * q.pageSize;
    const [count, results] = await Promise.all([
      countRows(this.model, { where, include }),
      this.read(q.fields ?? this.fields, q.expand, { where, include, order: order as never, limit: q.pageSize, offset }),
    ]);
    if (q.page > 1 && offset >= count) throw new ApiError('E_API_NOT_FOUND', { detail: `Invalid page: page ${q.page} is past the last page.` });
    const link = (page: number): string => {
      const p = new URLSearchParams(params);
      if (page === 1) p.delete('page'); else p.set('page', String(page));
      const qs = p.toString();
      return `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
    };
    return json({
      count,
      next: offset + q.pageSize < count ? link(q.page + 1) : null,
      previous: q.page > 1 ? link(q.page - 1) : null,
      results,
    });
  }

  private defaultOrder(): Array<[string, string]> {
    const ordering = this.opts.ordering ?? getModelMeta(this.model).ordering;
    return ordering.map((f) => (f.startsWith('-') ? [f.slice(1), 'DESC'] : [f, 'ASC']));
  }

  async retrieve(req: Request, rawPk: string): Promise<Response> {
    const pk = this.parsePk(rawPk);
    const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    const spec: QuerySpec = { ...this.spec, filters: new Map(), search: false, ordering: new Set() };
    const q = parseListQuery(params, spec);
    if (params.has('page') || params.has('pageSize')) throw new ApiError('E_API_UNKNOWN_PARAMETER', { name: params.has('page') ? 'page' : 'pageSize', known: 'fields, expand' });
    if (this.opts.permission) {
      // An object-level rule needs the object: load it (visible rows only), then ask.
      await this.allow(req, 'retrieve', await this.instance(req, pk));
    } else {
      await this.allow(req, 'retrieve');
    }
    const [found] = await this.read(q.fields ?? this.fields, q.expand, { where: this.scoped(req, [{ [this.pk]: pk }]), order: [] });
    if (!found) throw this.notFound(pk);
    return json(found);
  }

  private async instance(req: Request, pk: unknown): Promise<Model> {
    const obj = await this.model.findOne({ where: this.scoped(req, [{ [this.pk]: pk }]) });
    if (!obj) throw this.notFound(pk);
    return obj;
  }

  /** The request's JSON object; any other body is refused before anything is looked up or written. */
  private body(req: Request): Data {
    const type = String(req.headers['content-type'] ?? '');
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !/^application\/([^;]*\+)?json\b/i.test(type)) throw new ApiError('E_API_UNSUPPORTED_MEDIA_TYPE', { type: type.split(';')[0] || '(none)' });
    const body = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body) || body === null) throw invalid({ __all__: ['Expected a JSON object.'] });
    return body as Data;
  }

  /** Checks sent fields (unknown, read-only, types, required), then the model's validators and uniqueness; saves. */
  private async write(req: Request, obj: Model | null, partial: boolean): Promise<Model> {
    const body = this.body(req);
    const errors: FieldErrors = {};
    const cleaned: Data = {};
    for (const key of Object.keys(body)) {
      if (!this.infos.has(key)) errors[key] = ['Unknown field.'];
      else if (this.readOnly.has(key)) errors[key] = ['This field is read-only.'];
    }
    for (const name of this.writable) {
      const info = this.infos.get(name)!;
      if (!(name in body)) {
        if (!partial && info.required) errors[name] = [REQUIRED];
        continue;
      }
      const { value, error } = cleanJson(info, body[name]);
      if (error) errors[name] = [error]; else cleaned[name] = value;
    }
    if (Object.keys(errors).length) throw invalid(errors);
    const hook = obj ? this.opts.perform?.update : this.opts.perform?.create;
    const data = hook ? await (hook as (r: Request, d: Data, o?: Model) => Awaitable<Data>)(req, cleaned, obj ?? undefined) : cleaned;
    const target = obj ?? this.model.build();
    const form = new ModelForm(this.model, obj, { fields: Object.keys(cleaned).filter((k) => k in data) });
    form.bound = true;
    form.cleaned = Object.fromEntries(Object.keys(cleaned).filter((k) => k in data).map((k) => [k, data[k]]));
    target.set(data);
    await form.validate(target);
    if (!form.isValid) throw invalid(formErrors(form));
    try {
      await target.save();
    } catch (err: any) {
      if (form.addUniqueError(err)) throw invalid(formErrors(form));
      if (err?.name === 'SequelizeValidationError') {
        const out: FieldErrors = {};
        for (const item of err.errors ?? []) (out[item.path ?? '__all__'] ??= []).push(item.type === 'notNull Violation' ? REQUIRED : String(item.message));
        throw invalid(out);
      }
      if (err?.name === 'SequelizeForeignKeyConstraintError') throw invalid({ __all__: ['A related object does not exist.'] });
      throw err;
    }
    return target;
  }

  async create(req: Request): Promise<Response> {
    await this.allow(req, 'create');
    const obj = await this.write(req, null, false);
    const id = obj.get(this.pk);
    const [found] = await this.read(this.fields, [], { where: { [this.pk]: id }, order: [] });
    const location = `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}${encodeURIComponent(String(id))}/`;
    return json(found, { status: 201, headers: { location } });
  }

  async update(req: Request, rawPk: string, partial: boolean): Promise<Response> {
    const pk = this.parsePk(rawPk);
    const action: Action = partial ? 'partialUpdate' : 'update';
    if (!this.opts.permission) await this.allow(req, action);
    const obj = await this.instance(req, pk);
    if (this.opts.permission) await this.allow(req, action, obj);
    await this.write(req, obj, partial);
    const [found] = await this.read(this.fields, [], { where: { [this.pk]: pk }, order: [] });
    return json(found);
  }

  async destroy(req: Request, rawPk: string): Promise<Response> {
    const pk = this.parsePk(rawPk);
    if (!this.opts.permission) await this.allow(req, 'destroy');
    const obj = await this.instance(req, pk);
    if (this.opts.permission) await this.allow(req, 'destroy', obj);
    await this.opts.perform?.destroy?.(req as HttpRequest, obj);
    await obj.destroy();
    return new Response('', 204);
  }
}

function formErrors(form: ModelForm): FieldErrors {
  const out: FieldErrors = { ...form.errors };
  if (form.nonFieldErrors.length) out.__all__ = [...form.nonFieldErrors];
  return out;
}
