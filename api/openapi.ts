// The OpenAPI 3.1 document, generated from the declarations that serve the requests (resources, endpoints, auth, errors).
import type { Request } from 'express';
import { state } from '../core/conf/state';
import { getModelMeta } from '../core/db/models';
import { fieldInfo } from '../admin/introspect';
import { fieldSchema } from './fields';
import { knownParameters } from './query';
import { toJsonSchema, type JsonSchema } from './schema';
import type { Resource } from './resource';
import type { Endpoint } from './endpoints';

type Doc = Record<string, any>;
interface Registry { resources: readonly Resource[]; endpoints: readonly Endpoint[] }

const ERROR_RESPONSES: Record<string, string> = {
  400: 'Invalid input or query parameter (`errors` lists the messages per field).',
  401: 'No credentials, or an invalid token.',
  403: 'Not allowed, or a session request without its CSRF token.',
  404: 'No such object (or not visible to you), or a page past the last.',
  415: 'The body is not JSON.',
  429: 'Throttled; `Retry-After` says when to come back.',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorsOf = (...codes: number[]): Doc => Object.fromEntries(codes.map((c) => [String(c), { $ref: `#/components/responses/E${c}` }]));

/** `posts/<int:id>/` → `/api/posts/{id}/` and its path parameters (`int`/`bigint` are integers, the rest strings). */
function openapiPath(pattern: string): { path: string; params: Doc[] } {
  const params: Doc[] = [];
  const p = pattern.replace(/<(?:(\w+):)?(\w+)>/g, (_m, conv: string | undefined, name: string) => {
    params.push({ name, in: 'path', required: true, schema: conv === 'int' || conv === 'bigint' ? { type: 'integer' } : { type: 'string' } });
    return `{${name}}`;
  });
  return { path: `${state.settings.API_URL}${p}`, params };
}

function security(publicAccess: boolean): Doc[] {
  if (!state.switches.auth) return [{}];
  return publicAccess ? [{}, { tokenAuth: [] }, { sessionAuth: [] }] : [{ tokenAuth: [] }, { sessionAuth: [] }];
}

function resourceSchemas(r: Resource, components: Doc, name: string): void {
  const properties: Doc = {};
  const input: Doc = {};
  const required: string[] = [];
  for (const f of r.fields) {
    const info = r.infos.get(f)!;
    properties[f] = fieldSchema(info, r.readOnly.has(f));
    if (!r.readOnly.has(f)) {
      input[f] = fieldSchema(info);
      if (info.required) required.push(f);
    }
  }
  for (const alias of r.spec.expand) {
    const assoc = (r.model.associations as Record<string, any>)[alias];
    const fields = r.expansions().get(alias)?.fields ?? [];
    const nested: Doc = {};
    for (const f of fields) { const info = fieldInfo(assoc.target, f); if (info) nested[f] = fieldSchema(info, true); }
    properties[alias] = { type: ['object', 'null'], readOnly: true, description: `The related ${assoc.target.name}, present with ?expand=${alias}.`, ...(fields.length ? { properties: nested } : {}) };
  }
  components[name] = { type: 'object', properties, required: r.fields.filter((f) => !r.spec.expand.has(f)) };
  components[`${name}Input`] = { type: 'object', properties: input, required, additionalProperties: false };
  components[`${name}Page`] = {
    type: 'object', required: ['count', 'next', 'previous', 'results'],
    properties: {
      count: { type: 'integer', description: 'Rows matching the filters, over every page.' },
      next: { type: ['string', 'null'], format: 'uri' }, previous: { type: ['string', 'null'], format: 'uri' },
      results: { type: 'array', items: ref(name) },
    },
  };
}

function listParameters(r: Resource): Doc[] {
  const out: Doc[] = [];
  for (const p of knownParameters(r.spec)) {
    let schema: Doc = { type: 'string' };
    let description = '';
    if (p === 'page') { schema = { type: 'integer', minimum: 1 }; description = 'Page number (1 first).'; }
    else if (p === 'pageSize') { schema = { type: 'integer', minimum: 1, maximum: r.spec.maxPageSize, default: r.spec.pageSize }; description = 'Rows per page.'; }
    else if (p === 'fields') description = `Comma-separated subset of: ${r.fields.join(', ')}.`;
    else if (p === 'search') description = `Words matched against ${r.opts.searchFields!.join(', ')} (case-insensitive).`;
    else if (p === 'ordering') description = `Comma-separated, \`-\` for descending: ${[...r.spec.ordering].join(', ')}.`;
    else if (p === 'expand') description = `Comma-separated relations to nest: ${[...r.spec.expand].join(', ')}.`;
    else {
      const [field, lookup] = p.split('__');
      const fs = fieldSchema(r.infos.get(field)!);
      schema = lookup === 'in' ? { type: 'string' } : { ...fs, readOnly: undefined, description: undefined };
      if (schema.readOnly === undefined) delete schema.readOnly;
      if (schema.description === undefined) delete schema.description;
      description = lookup === 'in' ? `${field} is one of these comma-separated values.` : lookup ? `${field} ${lookup} this value.` : `${field} equals this value.`;
    }
    out.push({ name: p, in: 'query', required: false, description, schema });
  }
  return out;
}

function resourcePaths(r: Resource, paths: Doc, name: string): void {
  const tag = r.path;
  const base = `${state.settings.API_URL}${r.path}/`;
  const publicRead = r.opts.read === 'public';
  const list: Doc = {};
  const json = (schema: Doc) => ({ 'application/json': { schema } });
  const op = (id: string, summary: string, extra: Doc) => ({ operationId: `${name}_${id}`, tags: [tag], summary, ...extra });
  if (r.actions.has('list')) {
    list.get = op('list', `List ${getModelMeta(r.model).verboseNamePlural}`, {
      description: r.opts.description, parameters: listParameters(r), security: security(publicRead),
      responses: { 200: { description: 'One page of results.', content: json(ref(`${name}Page`)) }, ...errorsOf(400, 401, 403, 404, 429) },
    });
  }
  if (r.actions.has('create')) {
    list.post = op('create', `Create a ${getModelMeta(r.model).verboseName}`, {
      security: security(false), requestBody: { required: true, content: json(ref(`${name}Input`)) },
      responses: { 201: { description: 'Created; `Location` is its URL.', headers: { Location: { schema: { type: 'string', format: 'uri' } } }, content: json(ref(name)) }, ...errorsOf(400, 401, 403, 415, 429) },
    });
  }
  if (Object.keys(list).length) paths[base] = list;
  const detail: Doc = { parameters: [{ name: 'pk', in: 'path', required: true, schema: fieldSchema(r.infos.get(r.pk)!), description: 'The primary key.' }] };
  const write = (id: string, summary: string, schemaName: string) => op(id, summary, {
    security: security(false), requestBody: { required: true, content: json(id === 'partialUpdate' ? { ...ref(schemaName) } : ref(schemaName)) },
    responses: { 200: { description: 'The object as saved.', content: json(ref(name)) }, ...errorsOf(400, 401, 403, 404, 415, 429) },
  });
  if (r.actions.has('retrieve')) {
    detail.get = op('retrieve', `Read one ${getModelMeta(r.model).verboseName}`, {
      security: security(publicRead),
      parameters: listParameters(r).filter((p) => p.name === 'fields' || p.name === 'expand'),
      responses: { 200: { description: 'The object.', content: json(ref(name)) }, ...errorsOf(400, 401, 403, 404, 429) },
    });
  }
  if (r.actions.has('update')) detail.put = write('update', 'Replace (every writable required field)', `${name}Input`);
  if (r.actions.has('partialUpdate')) detail.patch = write('partialUpdate', 'Update the fields sent', `${name}Patch`);
  if (r.actions.has('destroy')) {
    detail.delete = op('destroy', `Delete one ${getModelMeta(r.model).verboseName}`, {
      security: security(false), responses: { 204: { description: 'Deleted.' }, ...errorsOf(401, 403, 404, 429) },
    });
  }
  if (Object.keys(detail).length > 1) paths[`${base}{pk}/`] = detail;
}

function endpointOperation(e: Endpoint, params: Doc[], index: number): Doc {
  const o = e.options;
  const parameters = [...params];
  if (o.query) {
    const qs = toJsonSchema(o.query, 'input');
    const req = new Set((qs.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((qs.properties as Record<string, JsonSchema>) ?? {})) {
      parameters.push({ name, in: 'query', required: req.has(name), schema });
    }
  }
  const status = String(o.status ?? 200);
  const op: Doc = {
    operationId: `${e.method.toLowerCase()}_${e.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'root'}_${index}`,
    tags: o.tags ?? ['endpoints'], summary: o.summary, description: o.description,
    security: security((o.auth ?? 'public') === 'public'),
    responses: {
      [status]: { description: 'Success.', content: { 'application/json': { schema: o.response ? toJsonSchema(o.response, 'output') : {} } } },
      ...errorsOf(400, 401, 403, 429),
    },
  };
  if (parameters.length) op.parameters = parameters;
  if (o.body) op.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(o.body, 'input') } } };
  for (const k of ['summary', 'description']) if (op[k] === undefined) delete op[k];
  return op;
}

/**
 * Builds the OpenAPI 3.1 document of the API: every resource and endpoint with parameters, request and response
 * schemas, the security schemes (token and session), pagination and the error shapes.
 * @example openapiDocument(api) // { openapi: '3.1.0', paths: { '/api/posts/': … }, components: … }
 */
export function openapiDocument(registry: Registry, _req?: Request): Doc {
  const schemas: Doc = {
    Error: {
      type: 'object', required: ['error'],
      properties: {
        error: { type: 'string', description: 'What went wrong, in a sentence.' },
        code: { type: 'string', description: 'A stable code from the error table (E_API_INVALID …).' },
        errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'Messages per field (`__all__`: not about one field).' },
      },
    },
  };
  const paths: Doc = {};
  const names = new Set<string>();
  for (const r of registry.resources) {
    let name = r.name;
    for (let i = 2; names.has(name); i++) name = `${r.name}${i}`;
    names.add(name);
    resourceSchemas(r, schemas, name);
    schemas[`${name}Patch`] = { ...schemas[`${name}Input`], required: [] };
    resourcePaths(r, paths, name);
  }
  registry.endpoints.forEach((e, i) => {
    const { path, params } = openapiPath(e.path);
    paths[path] ??= {};
    paths[path][e.method.toLowerCase()] = endpointOperation(e, params, i);
  });
  const responses = Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([code, description]) => [`E${code}`, {
    description, content: { 'application/json': { schema: ref('Error') } },
    ...(code === '429' ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } } } : {}),
  }]));
  const components: Doc = { schemas, responses };
  if (state.switches.auth) {
    components.securitySchemes = {
      tokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Send `Authorization: Token <key>`; `node app.js createtoken <username>` makes a key.' },
      sessionAuth: { type: 'apiKey', in: 'cookie', name: state.settings.SESSION_COOKIE_NAME, description: 'The browser session; unsafe methods also need the X-CSRFToken header.' },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `${state.appLabel} API`, version: String(state.settings.API_VERSION ?? '1.0.0'), description: 'Generated by manouche from the declarations that serve the requests.' },
    paths,
    components,
  };
}
