// Function endpoints: api.get/post/put/patch/delete(path, schemas, handler), with Standard Schema input and output.
import type { Request } from 'express';
import type { HttpRequest } from '../core/http/types';
import { state } from '../core/conf/state';
import { json, Response } from '../core/http/responses';
import { ApiError } from './errors';
import { isAuthenticated, denied } from './access';
import { validate, isStandardSchema, type InferOutput, type StandardSchemaV1 } from './schema';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The schemas (any Standard Schema library) and options of a function endpoint. */
export interface EndpointOptions<Q extends StandardSchemaV1 | undefined = undefined, B extends StandardSchemaV1 | undefined = undefined, R extends StandardSchemaV1 | undefined = undefined> {
  /** Validates the query string (values are strings, repeated names arrays: use z.coerce for numbers). */
  query?: Q;
  /** Validates the JSON body. */
  body?: B;
  /** Documents the answer; in DEBUG, what the handler returns is checked against it. */
  response?: R;
  /** Who may call it: anyone (default), any logged-in user, or a function of the request. */
  auth?: 'public' | 'authenticated' | ((req: HttpRequest) => boolean | Promise<boolean>);
  /** The status of a successful answer (200; 201 suits a create). */
  status?: number;
  summary?: string;
  description?: string;
  tags?: string[];
}

/** What a handler receives besides the request: validated query and body, and the path parameters. */
export interface EndpointInput<Q, B> {
  params: Record<string, unknown>;
  query: Q;
  body: B;
}

type Out<S, Fallback> = S extends StandardSchemaV1 ? InferOutput<S> : Fallback;
export type EndpointHandler<Q, B> = (req: HttpRequest, input: EndpointInput<Q, B>) => unknown;

/** One declared endpoint, as the router and the OpenAPI generator read it. */
export interface Endpoint {
  method: Method;
  path: string;
  options: EndpointOptions<StandardSchemaV1 | undefined, StandardSchemaV1 | undefined, StandardSchemaV1 | undefined>;
  handler: EndpointHandler<unknown, unknown>;
}

/** Checks an endpoint's declaration at once, so a wrong schema fails at startup, naming the endpoint. */
export function checkEndpoint(method: Method, path: string, options: unknown, handler: unknown): void {
  const name = `api.${method.toLowerCase()}('${path}')`;
  if (typeof handler !== 'function') throw new ApiError('E_API_CONFIG', { detail: `${name} needs a handler function (req, { params, query, body }) => value.` });
  if (options === null || typeof options !== 'object') throw new ApiError('E_API_CONFIG', { detail: `${name}: the second argument holds the schemas, e.g. { query: z.object({ … }) }.` });
  for (const key of ['query', 'body', 'response'] as const) {
    const s = (options as Record<string, unknown>)[key];
    if (s !== undefined && !isStandardSchema(s)) throw new ApiError('E_API_CONFIG', { detail: `${name}: ${key} must be a Standard Schema (zod, valibot, arktype …).` });
  }
}

/** The query string as an object: one value → a string, repeated → an array of strings. */
function queryObject(req: Request): Record<string, string | string[]> {
  const at = req.url.indexOf('?');
  const out: Record<string, string | string[]> = {};
  if (at < 0) return out;
  for (const [k, v] of new URLSearchParams(req.url.slice(at + 1))) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Runs one endpoint for a request that is already authenticated: access, input, handler, output. */
export async function runEndpoint(req: Request, e: Endpoint, params: Record<string, unknown>): Promise<unknown> {
  const { auth = 'public' } = e.options;
  if (auth === 'authenticated' && !isAuthenticated(req)) throw denied(req);
  if (typeof auth === 'function' && !(await auth(req as HttpRequest))) throw denied(req);
  const query = e.options.query ? await validate(e.options.query, queryObject(req)) : queryObject(req);
  let body: unknown = req.body;
  if (e.options.body) {
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/([^;]*\+)?json\b/i.test(type)) throw new ApiError('E_API_UNSUPPORTED_MEDIA_TYPE', { type: type.split(';')[0] || '(none)' });
    body = await validate(e.options.body, req.body);
  }
  const result = await e.handler(req as HttpRequest, { params, query, body });
  if (result instanceof Response) return result;
  if (e.options.response && state.settings.DEBUG) {
    const checked = await e.options.response['~standard'].validate(result);
    if (checked.issues) {
      const detail = checked.issues.map((i) => `${(i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new ApiError('E_API_RESPONSE_SCHEMA', { endpoint: `${e.method} ${e.path}`, detail });
    }
  }
  return json(result === undefined ? null : result, { status: e.options.status ?? 200 });
}

export type { Out };
