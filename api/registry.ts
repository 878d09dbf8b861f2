// The `api` object: resources and function endpoints declared by the app, mounted under API_URL with the document and docs.
import type { Request } from 'express';
import type { HttpRequest } from '../core/http/types';
import type { Model, ModelStatic } from 'sequelize';
import { state, requireConfigured, unwrap } from '../core/conf/state';
import { MethodNotAllowed } from '../core/conf/errors';
import { include, path, type UrlPattern } from '../core/urls/router';
import { json, Response } from '../core/http/responses';
import { csrfExempt } from '../sessions/csrf';
import { authenticate } from './access';
import { errorResponse } from './errors';
import { Resource, type ResourceOptions } from './resource';
import { checkEndpoint, runEndpoint, type Endpoint, type EndpointHandler, type EndpointOptions, type Method } from './endpoints';
import type { InferOutput, StandardSchemaV1 } from './schema';
import type { AttributeNames } from '../core/db/typed';
import { openapiDocument } from './openapi';
import { docsAsset, docsPage } from './docs';
import { createToken } from './tokens';

type Schema = StandardSchemaV1 | undefined;
type Input<S, Fallback> = S extends StandardSchemaV1 ? InferOutput<S> : Fallback;
type Declare = <Q extends Schema = undefined, B extends Schema = undefined, R extends Schema = undefined>(
  path: string, options: EndpointOptions<Q, B, R>,
  handler: (req: HttpRequest, input: { params: Record<string, any>; query: Input<Q, Record<string, string | string[]>>; body: Input<B, unknown> }) => unknown,
) => void;

/** Wraps an API view: authentication first, every error answered as JSON `{ error, code, errors? }`, CSRF checked here. */
function apiView(run: (req: Request, params: Record<string, unknown>) => Promise<Response>): (req: Request, params: Record<string, unknown>) => Promise<Response> {
  return csrfExempt(async (req: Request, params: Record<string, unknown>) => {
    try {
      await authenticate(req);
      return await run(req, params);
    } catch (err) {
      return errorResponse(err, `${req.method} ${req.originalUrl}`);
    }
  });
}

function methodsOf(allowed: string[], method: string): string {
  if (method === 'HEAD' && allowed.includes('GET')) return 'GET';
  if (!allowed.includes(method)) throw new MethodNotAllowed(allowed);
  return method;
}

/** The registry behind `api`: what was declared, in order; mounted once the app is built. */
export class Api {
  readonly resources: Resource[] = [];
  readonly endpoints: Endpoint[] = [];
  private mounted = false;

  /**
   * Serves a model as a REST resource: `GET/POST /api/<path>/`, `GET/PUT/PATCH/DELETE /api/<path>/<pk>/`.
   * For a model made with model(), the compiler checks every name against its attributes (and readOnlyFields,
   * filterFields and orderingFields against `fields`), and refuses an unknown option.
   * @example api.resource(Post, { fields: ['id', 'title', 'published'], filterFields: ['published'], read: 'public' })
   */
  resource<M extends ModelStatic<Model>, S extends AttributeNames<M> = AttributeNames<M>>(model: M, options?: ResourceOptions<M, S>): Resource;
  resource(model: ModelStatic<Model>, options: ResourceOptions = {}): Resource {
    requireConfigured('api.resource()');
    const s = state.settings;
    const r = new Resource(model, options, { pageSize: s.API_PAGE_SIZE, maxPageSize: s.API_MAX_PAGE_SIZE }, (m) => this.resourceFor(m));
    const clash = this.resources.find((o) => o.path === r.path);
    if (clash) throw new Error(`api.resource(${r.name}): the path '${r.path}' is already used by ${clash.name}; pass another { path }.`);
    this.resources.push(r);
    if (this.mounted) this.mountPatterns(this.resourceUrls(r));
    return r;
  }

  /** The resource declared for a model, if any (expand uses its fields). */
  resourceFor(model: ModelStatic<Model>): Resource | undefined {
    const real = unwrap(model);
    return this.resources.find((r) => r.model === real);
  }

  private declare(method: Method): Declare {
    return (pattern, options, handler) => {
      requireConfigured(`api.${method.toLowerCase()}()`);
      checkEndpoint(method, pattern, options, handler);
      const e: Endpoint = { method, path: pattern.replace(/^\/+/, ''), options: options as Endpoint['options'], handler: handler as EndpointHandler<unknown, unknown> };
      if (this.endpoints.some((o) => o.method === method && o.path === e.path)) throw new Error(`api.${method.toLowerCase()}('${e.path}') is declared twice.`);
      this.endpoints.push(e);
      if (this.mounted) this.mountPatterns(this.endpointUrls([e]));
    };
  }

  /** @example api.get('stats/', { query: z.object({ days: z.coerce.number() }) }, async (req, { query }) => ({ days: query.days })) */
  readonly get: Declare = this.declare('GET');
  readonly post: Declare = this.declare('POST');
  readonly put: Declare = this.declare('PUT');
  readonly patch: Declare = this.declare('PATCH');
  readonly delete: Declare = this.declare('DELETE');

  /**
   * Makes a token for a user (needs the auth battery) and returns its key, the only time it is seen in clear.
   * @example const key = await api.createToken(user, 'ci'); // Authorization: Token <key>
   */
  readonly createToken = createToken;

  /** The OpenAPI 3.1 document of everything declared. @example JSON.stringify(api.openapi(), null, 2) */
  openapi(req?: Request): Record<string, unknown> {
    return openapiDocument(this, req);
  }

  private resourceUrls(r: Resource): UrlPattern[] {
    const listMethods = [...(r.actions.has('list') ? ['GET'] : []), ...(r.actions.has('create') ? ['POST'] : [])];
    const detailMethods = [...(r.actions.has('retrieve') ? ['GET'] : []), ...(r.actions.has('update') ? ['PUT'] : []),
      ...(r.actions.has('partialUpdate') ? ['PATCH'] : []), ...(r.actions.has('destroy') ? ['DELETE'] : [])];
    const out: UrlPattern[] = [];
    const name = r.path.replace(/\//g, '-');
    if (listMethods.length) {
      out.push(path(`${r.path}/`, apiView(async (req) => {
        if (r.throttle) r.throttle.check(req);
        return methodsOf(listMethods, req.method) === 'GET' ? r.list(req) : r.create(req);
      }), { name: `${name}-list` }));
    }
    if (detailMethods.length) {
      out.push(path(`${r.path}/<str:pk>/`, apiView(async (req, { pk }) => {
        if (r.throttle) r.throttle.check(req);
        const m = methodsOf(detailMethods, req.method);
        if (m === 'GET') return r.retrieve(req, String(pk));
        if (m === 'DELETE') return r.destroy(req, String(pk));
        return r.update(req, String(pk), m === 'PATCH');
      }), { name: `${name}-detail` }));
    }
    return out;
  }

  private endpointUrls(endpoints: Endpoint[]): UrlPattern[] {
    const byPath = new Map<string, Endpoint[]>();
    for (const e of endpoints) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
    return [...byPath].map(([p, list]) => path(p, apiView(async (req, params) => {
      const method = methodsOf(list.map((e) => e.method), req.method);
      return runEndpoint(req, list.find((e) => e.method === method)!, params) as Promise<Response>;
    })));
  }

  private mountPatterns(patterns: UrlPattern[]): void {
    include(state.settings.API_URL.replace(/^\//, ''), patterns, { namespace: 'api' });
  }

  /** Mounts everything under API_URL: endpoints first (a fixed path beats a resource's `<pk>`), then resources. */
  mount(): void {
    for (const r of this.resources) r.checkExpansions();
    const patterns = [
      path('openapi.json', apiView(async (req) => json(this.openapi(req))), { name: 'openapi' }),
      path('docs/', (req: Request) => docsPage(req), { name: 'docs' }),
      path('docs/<str:asset>', (_req: Request, { asset }: Record<string, unknown>) => docsAsset(String(asset))),
      ...this.endpointUrls(this.endpoints),
      ...this.resources.flatMap((r) => this.resourceUrls(r)),
    ];
    this.mountPatterns(patterns);
    this.mounted = true;
  }
}

/**
 * The app's API (SPEC §10): `api.resource(Model, options)`, `api.get/post/put/patch/delete(path, schemas, handler)`.
 * @example api.resource(Post, { path: 'posts', read: 'public', filterFields: ['published'] })
 */
export const api = new Api();
