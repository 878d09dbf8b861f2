// Request bodies: JSON, urlencoded forms and multipart uploads, parsed only when a request has one, size-limited.
import type { Request } from 'express';
import type busboy from 'busboy';
import { SuspiciousRequest } from '../conf/errors';
import type { UploadedFile } from './types';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const SUSPECT = /"(?:__proto__|constructor|prototype)"\s*:/;

/** Limits for parseBody(), from settings. */
export interface BodyLimits {
  maxMemory: number;
  maxFileSize: number;
}

/**
 * Parses the body of a POST/PUT/PATCH/DELETE into `req.body` (and `req.files` for multipart).
 * Bodies over the limits throw 413, malformed ones 400; keys like `__proto__` are refused with 400.
 * @example await parseBody(req, { maxMemory: 2.5e6, maxFileSize: 10e6 })
 */
export async function parseBody(req: Request, limits: BodyLimits): Promise<void> {
  const type = (req.headers['content-type'] || '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(req, limits);
  const isJson = type.startsWith('application/json') || /^application\/[^;]*\+json/.test(type);
  const isForm = type.startsWith('application/x-www-form-urlencoded');
  if (!isJson && !isForm) {
    if (req.body === undefined) req.body = {};
    return;
  }
  const raw = (await readBody(req, limits.maxMemory)).toString('utf8');
  req.body = isJson ? parseJson(raw) : parseForm(raw);
  markParsed(req);
}

/** Tells express's body parsers in a mounted Router that the body was read already (body-parser's convention). */
function markParsed(req: Request): void {
  (req as { _body?: boolean })._body = true;
}

function tooLarge(limit: number): SuspiciousRequest {
  return new SuspiciousRequest('E_BODY_TOO_LARGE', { limit });
}

/** Reads the whole body, refusing it (413) as soon as it is known to exceed `limit` bytes. */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) { req.resume(); return Promise.reject(tooLarge(limit)); }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) { failed = true; reject(tooLarge(limit)); return; }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)); });
    req.on('error', (err) => { if (!failed) { failed = true; reject(err); } });
  });
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  let reviver: ((k: string, v: unknown) => unknown) | undefined;
  if (SUSPECT.test(raw)) {
    reviver = (key, value) => {
      if (FORBIDDEN.has(key)) throw new SuspiciousRequest('E_FORBIDDEN_KEY', { key });
      return value;
    };
  }
  try {
    return JSON.parse(raw, reviver);
  } catch (err) {
    if (err instanceof SuspiciousRequest) throw err;
    throw new SuspiciousRequest('E_MALFORMED_JSON', { detail: (err as Error).message });
  }
}

/** Adds a form value: the first value is a string, repeated names become an array (as express's extended: false). */
function addField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (FORBIDDEN.has(key)) throw new SuspiciousRequest('E_FORBIDDEN_KEY', { key });
  const prev = target[key];
  if (prev === undefined) target[key] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else target[key] = [prev, value];
}

function parseForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) addField(out, k, v);
  return out;
}

function parseMultipart(req: Request, limits: BodyLimits): Promise<void> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      bb = (require('busboy') as typeof busboy)({ headers: req.headers, limits: { fieldSize: limits.maxMemory, fileSize: limits.maxFileSize } });
    } catch (err) {
      reject(new SuspiciousRequest('E_MALFORMED_BODY', { detail: (err as Error).message }));
      return;
    }
    const body: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
    let fieldBytes = 0;
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('field', (name, value, info) => {
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.valueTruncated || fieldBytes > limits.maxMemory) return fail(tooLarge(limits.maxMemory));
      try { addField(body, name, value); } catch (err) { fail(err as Error); }
    });
    bb.on('file', (fieldname, stream, info) => {
      if (FORBIDDEN.has(fieldname)) { stream.resume(); return fail(new SuspiciousRequest('E_FORBIDDEN_KEY', { key: fieldname })); }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => { size += c.length; chunks.push(c); });
      stream.on('limit', () => fail(new SuspiciousRequest('E_FILE_TOO_LARGE', { filename: info.filename, limit: limits.maxFileSize })));
      stream.on('end', () => {
        if (failed || !info.filename) return;
        files.push({ fieldname, filename: info.filename, mimeType: info.mimeType, size, buffer: Buffer.concat(chunks) });
      });
    });
    bb.on('error', (err: Error) => fail(new SuspiciousRequest('E_MALFORMED_BODY', { detail: err.message })));
    bb.on('close', () => {
      if (failed) return;
      req.body = body;
      req.files = files;
      markParsed(req);
      resolve();
    });
    req.pipe(bb);
  });
}
