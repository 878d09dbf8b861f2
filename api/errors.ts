// The API's one error shape: { error, code, errors? } with a 4xx status, whatever went wrong (or a 500 without details).
import { HttpError, ManoucheError, formatMessage, type ErrorCode } from '../core/conf/errors';
import { statusOf } from '../core/http/error-pages';
import { json, type Response } from '../core/http/responses';
import { state } from '../core/conf/state';

/** Per-field messages, Django REST Framework's shape: `{ title: ['This field is required.'] }`. */
export type FieldErrors = Record<string, string[]>;

/**
 * An API refusal: a code from the error table, its status, and for invalid input the messages per field.
 * @example throw new ApiError('E_API_UNKNOWN_PARAMETER', { name: 'colour', known: 'page, pageSize' })
 */
export class ApiError extends HttpError {
  readonly errors?: FieldErrors;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, params: Record<string, unknown> = {}, errors?: FieldErrors, headers: Record<string, string> = {}) {
    super(code, formatMessage(code, params));
    this.errors = errors;
    this.headers = headers;
  }
}

/** A 400 with messages per field; the summary names the fields. */
export function invalid(errors: FieldErrors): ApiError {
  const detail = Object.entries(errors).map(([f, msgs]) => `${f}: ${msgs.join(' ')}`).join('; ');
  return new ApiError('E_API_INVALID', { detail }, errors);
}

/** The JSON answer for anything an API view threw: 4xx say what was wrong; 5xx are logged and say nothing more outside DEBUG. */
export function errorResponse(err: unknown, where: string): Response {
  const status = statusOf(err);
  if (status >= 500) console.error(`Internal Server Error: ${where}\n${(err as Error)?.stack ?? String(err)}`);
  const body: Record<string, unknown> = {};
  if (status < 500 || state.settings.DEBUG) body.error = (err as Error)?.message ?? String(err);
  else body.error = 'Server Error';
  if (err instanceof ManoucheError) body.code = err.code;
  else if (status < 500 && (err as { code?: unknown })?.code === undefined) body.code = `E_HTTP_${status}`;
  if (err instanceof ApiError && err.errors) body.errors = err.errors;
  const headers = err instanceof ApiError ? err.headers : {};
  const allowed = (err as { allowed?: string[] })?.allowed;
  if (status === 405 && allowed?.length) headers.allow = allowed.join(', ');
  return json(body, { status, headers });
}
