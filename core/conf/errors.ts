// Every error manouche raises, in one table: a code a user can search for, a status, and a message that says what to do.

/** One row of the error table. `status` is the HTTP status when the error escapes a view. */
export interface ErrorSpec {
  status: number;
  message: string;
}

/**
 * The error table. Codes are stable: tests/core/errors.test.js checks every row, and users search for them.
 * Messages may contain `{placeholders}` filled by `formatMessage`.
 */
export const ERRORS = {
  // configuration
  E_IMPROPERLY_CONFIGURED: { status: 500, message: '{detail}' },
  E_CONFIGURE_TWICE: { status: 500, message: 'configure() was called twice. Call it once, at the top of your app file, before models and routes.' },
  E_NOT_CONFIGURED: { status: 500, message: 'configure() must be called before {what}. Put configure({ ... }) at the top of your app file.' },
  E_UNKNOWN_SWITCH: { status: 500, message: 'Unknown switch "{name}" passed to configure(). Known switches: {known}. Settings are UPPERCASE (e.g. DEBUG).' },
  E_BAD_SETTING: { status: 500, message: 'Setting {name} is invalid: {detail}' },
  E_NO_SECRET_KEY: { status: 500, message: 'SECRET_KEY is required when DEBUG is false. Set the SECRET_KEY environment variable or pass SECRET_KEY to configure().' },
  E_BATTERY_MISSING: { status: 500, message: 'The "{name}" battery needs "{needs}", which could not be loaded: {detail}' },
  // routing
  E_BAD_PATTERN: { status: 500, message: 'Invalid URL pattern {pattern}: {detail}' },
  E_UNKNOWN_CONVERTER: { status: 500, message: 'URL pattern {pattern} uses the unknown converter "{name}". Known converters: {known}. Add one with registerConverter().' },
  E_DUPLICATE_ROUTE_NAME: { status: 500, message: 'The route name "{name}" is already used by {pattern}. Route names must be unique; pick another name.' },
  E_NO_REVERSE_MATCH: { status: 500, message: 'Reverse for "{name}" {detail}' },
  E_BAD_VIEW: { status: 500, message: 'The view for {pattern} must be a function or a View subclass, got {got}.' },
  E_VIEW_RETURNED_NOTHING: { status: 500, message: 'The view {view} for {path} returned undefined without answering through req.res. Return a response (json(), render(), html(), redirect(), a string or an object).' },
  E_BAD_USE_PATH: { status: 500, message: 'use() takes an optional path (a string like \'/api\' or a RegExp) then express middleware, e.g. use(\'/api\', cors()) or use(helmet()); got {got} as the path.' },
  E_BAD_MIDDLEWARE: { status: 500, message: '{where} takes express middleware functions (req, res, next), got {got}. Write it as {form}.' },
  E_APPEND_SLASH_POST: { status: 500, message: 'You called this URL via {method}, but the URL doesn\'t end in a slash and you have APPEND_SLASH set. manouche can\'t redirect to the slash URL while keeping {method} data. Change your form to point to {slashPath} (note the trailing slash), or set APPEND_SLASH: false in configure().' },
  // HTTP
  E_HTTP_404: { status: 404, message: 'Not Found' },
  E_HTTP_403: { status: 403, message: 'Forbidden' },
  E_HTTP_400: { status: 400, message: 'Bad Request' },
  E_HTTP_405: { status: 405, message: 'Method Not Allowed' },
  E_DISALLOWED_HOST: { status: 400, message: 'Invalid HTTP_HOST header: {host}. You may need to add {hostname} to ALLOWED_HOSTS.' },
  E_BODY_TOO_LARGE: { status: 413, message: 'Request body exceeded DATA_UPLOAD_MAX_MEMORY_SIZE ({limit} bytes).' },
  E_MALFORMED_JSON: { status: 400, message: 'Malformed JSON in request body: {detail}' },
  E_FORBIDDEN_KEY: { status: 400, message: 'Request body contains the forbidden key "{key}".' },
  E_FILE_TOO_LARGE: { status: 413, message: 'Uploaded file "{filename}" exceeded FILE_UPLOAD_MAX_SIZE ({limit} bytes).' },
  E_MALFORMED_BODY: { status: 400, message: 'Malformed request body: {detail}' },
  E_TOO_MANY_FIELDS: { status: 400, message: 'The number of form fields exceeded DATA_UPLOAD_MAX_NUMBER_FIELDS ({limit}).' },
  E_TOO_MANY_FILES: { status: 400, message: 'The number of files exceeded DATA_UPLOAD_MAX_NUMBER_FILES ({limit}).' },
  E_CSRF_FAILED: { status: 403, message: 'CSRF verification failed. Request aborted. {reason}' },
  E_TOO_MANY_REQUESTS: { status: 429, message: '{detail}' },
  // templates
  E_TEMPLATE_NOT_FOUND: { status: 500, message: 'Template "{name}" was not found. Looked in: {dirs}' },
  // commands
  E_COMMAND_ERROR: { status: 500, message: '{detail}' },
  E_UNKNOWN_COMMAND: { status: 500, message: "Unknown command: '{name}'.{suggestion}\nType '{prog} help' for usage." },
  E_BATTERY_COMMAND: { status: 500, message: "The '{name}' command comes with the {battery} battery, which this app does not switch on. Add {battery}: true to configure() in {file}: configure({ {battery}: true }) (admin: true brings auth and sessions too)." },
  E_DUPLICATE_COMMAND: { status: 500, message: 'A command named "{name}" is already registered. Pick another name.' },
  // models and migrations
  E_DUPLICATE_MODEL: { status: 500, message: 'A model named "{name}" is already defined in app "{label}".' },
  E_MIGRATION: { status: 500, message: '{detail}' },
  E_INCONSISTENT_HISTORY: { status: 500, message: 'Migration {applied} is applied before its dependency {dependency}.' },
  E_DB_CONNECTION: { status: 500, message: 'Could not connect to the database {url}: {cause}' },
  E_DRIVER_BROKEN: { status: 500, message: 'The SQLite driver ({name}) cannot be loaded: {cause}. Run: {fix}' },
  E_DRIVER_MISSING: { status: 500, message: '{setting} needs {what}, whose driver is not installed ({missing}). Run: {install}' },
  E_DB_LOCKED: { status: 503, message: 'The database is locked: {detail} Nothing was written; try again.' },
  E_FIXTURE: { status: 500, message: '{detail}' },
  // admin
  E_ALREADY_REGISTERED: { status: 500, message: 'The model {model} is already registered with the admin.' },
  E_ADMIN_CHECK: { status: 500, message: '{detail}' },
  // api (SPEC §10): every refusal answers JSON { error, code, errors? }
  E_API_INVALID: { status: 400, message: 'Invalid input: {detail}' },
  E_API_UNKNOWN_PARAMETER: { status: 400, message: 'Unknown query parameter "{name}". This endpoint accepts: {known}.' },
  E_API_BAD_PARAMETER: { status: 400, message: 'Query parameter "{name}": {detail}' },
  E_API_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported media type "{type}" in request: send application/json.' },
  E_API_NOT_AUTHENTICATED: { status: 401, message: 'Authentication credentials were not provided.' },
  E_API_BAD_TOKEN: { status: 401, message: 'Invalid token.' },
  E_API_PERMISSION_DENIED: { status: 403, message: 'You do not have permission to perform this action.' },
  E_API_NOT_FOUND: { status: 404, message: '{detail}' },
  E_API_THROTTLED: { status: 429, message: 'Request was throttled. Expected available in {wait} seconds.' },
  E_API_RESPONSE_SCHEMA: { status: 500, message: 'The handler of {endpoint} returned a value its response schema refuses: {detail}' },
  E_API_CONFIG: { status: 500, message: '{detail}' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** Fills `{name}` placeholders of an error message; unknown placeholders are left as they are. */
export function formatMessage(code: ErrorCode, params: Record<string, unknown> = {}): string {
  return ERRORS[code].message.replace(/\{(\w+)\}/g, (m, key: string) => (key in params ? String(params[key]) : m));
}

/**
 * Base class of every manouche error: carries a `code` from the table and the HTTP `status` it maps to.
 * @example throw new ManoucheError('E_BAD_PATTERN', { pattern: "'x/<int:id'", detail: 'unclosed <' })
 */
export class ManoucheError extends Error {
  readonly code: ErrorCode;
  status: number;
  constructor(code: ErrorCode, params: Record<string, unknown> = {}, message?: string) {
    super(message ?? formatMessage(code, params));
    this.code = code;
    this.status = ERRORS[code].status;
    this.name = new.target.name;
  }
}

/** A setting, a switch or an order of calls is wrong. Raised at startup, never per request. */
export class ImproperlyConfigured extends ManoucheError {
  constructor(message: string, code: ErrorCode = 'E_IMPROPERLY_CONFIGURED', params: Record<string, unknown> = {}) {
    super(code, { detail: message, ...params }, code === 'E_IMPROPERLY_CONFIGURED' ? message : undefined);
  }
}

/** Base of the errors a view may throw to answer with a status: they render themselves as a page or JSON. */
export class HttpError extends ManoucheError {
  constructor(code: ErrorCode, message?: string, status?: number) {
    super(code, {}, message ?? ERRORS[code].message);
    if (status !== undefined) this.status = status;
  }
}

/** @example throw new Http404(`No post ${id}`) — answers 404 (the app's 404.html, or JSON `{ error }`). */
export class Http404 extends HttpError {
  constructor(message = 'Not Found') { super('E_HTTP_404', message); }
}

/** @example throw new PermissionDenied('Staff only') — answers 403. */
export class PermissionDenied extends HttpError {
  constructor(message = 'Forbidden') { super('E_HTTP_403', message); }
}

/** @example throw new BadRequest('page must be a number') — answers 400. */
export class BadRequest extends HttpError {
  constructor(message = 'Bad Request') { super('E_HTTP_400', message); }
}

/** @example throw new MethodNotAllowed(['GET', 'POST']) — answers 405 with an `Allow` header. */
export class MethodNotAllowed extends HttpError {
  readonly allowed: string[];
  constructor(allowed: string[] = [], message?: string) {
    super('E_HTTP_405', message ?? `Method Not Allowed${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`);
    this.allowed = allowed;
  }
}

/** A request the client sent that the framework refuses (bad Host, oversized or malformed body, CSRF …). */
export class SuspiciousRequest extends HttpError {
  constructor(code: ErrorCode, params: Record<string, unknown> = {}) {
    super(code, formatMessage(code, params));
  }
}

/** `reverse()` found no pattern for the name and parameters; the message lists the candidates tried. */
export class NoReverseMatch extends ManoucheError {
  constructor(name: string, detail: string) { super('E_NO_REVERSE_MATCH', { name, detail }); }
}

/**
 * A command failed in a way the user can fix: the CLI prints the message (no stack) and exits 1.
 * @example throw new CommandError('No user named "bob".')
 */
export class CommandError extends ManoucheError {
  readonly returncode: number;
  constructor(message: string, returncode = 1) {
    super('E_COMMAND_ERROR', { detail: message }, message);
    this.returncode = returncode;
  }
}

/** Thrown by views/forms when submitted data is invalid; `errors` maps field names to messages. */
export class ValidationError extends HttpError {
  readonly errors: Record<string, string[]>;
  constructor(errors: Record<string, string[]> | string) {
    const map = typeof errors === 'string' ? { __all__: [errors] } : errors;
    super('E_HTTP_400', Object.values(map).flat().join(' '));
    this.errors = map;
  }
}
