// Standard Schema (zod, valibot, arktype …): validate input into per-field messages, and describe a schema as JSON Schema.
import { invalid, type FieldErrors } from './errors';

/** The Standard Schema v1 interface (standardschema.dev), which zod 4, valibot and arktype implement. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output };
  };
}
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }> };
/** The value a schema gives after validation. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

/** True for anything that implements Standard Schema v1. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const std = (value as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.['~standard'];
  return Boolean(std) && std!.version === 1 && typeof std!.validate === 'function';
}

/** Where an issue points, as a field name: `author.name`, `tags.0`; the whole value is `__all__` (Django's non-field errors). */
function issuePath(path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined, prefix: string): string {
  const parts = (path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p));
  return [prefix, ...parts].filter(Boolean).join('.') || '__all__';
}

/**
 * Validates a value with a Standard Schema: its output, or a 400 listing each issue under its field.
 * @example const query = await validate(z.object({ days: z.coerce.number() }), req.query)
 */
export async function validate<S extends StandardSchemaV1>(schema: S, value: unknown, prefix = ''): Promise<InferOutput<S>> {
  const result = await schema['~standard'].validate(value);
  if (!result.issues) return result.value as InferOutput<S>;
  const errors: FieldErrors = {};
  for (const issue of result.issues) (errors[issuePath(issue.path, prefix)] ??= []).push(issue.message);
  throw invalid(errors);
}

/** A JSON Schema (OpenAPI 3.1 uses draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a Standard Schema, for the OpenAPI document: zod 4 (`z.toJSONSchema`) and arktype
 * (`.toJsonSchema()`) describe themselves; a library that cannot (valibot without @valibot/to-json-schema) is
 * documented as an untyped object, with a description saying so — the request is still validated by it.
 */
export function toJsonSchema(schema: StandardSchemaV1, io: 'input' | 'output'): JsonSchema {
  const vendor = schema['~standard'].vendor;
  let out: JsonSchema | undefined;
  try {
    if (vendor === 'zod') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { z } = require('zod') as typeof import('zod');
      out = z.toJSONSchema(schema as never, { io, unrepresentable: 'any' }) as JsonSchema;
    } else if (typeof (schema as { toJsonSchema?: unknown }).toJsonSchema === 'function') {
      out = (schema as unknown as { toJsonSchema(): JsonSchema }).toJsonSchema();
    }
  } catch {
    out = undefined;
  }
  if (!out) return { description: `Validated by a ${vendor} schema, which does not describe itself as JSON Schema.` };
  const { $schema: _drop, ...rest } = out;
  return rest;
}
