// Request bodies: JSON, urlencoded forms and multipart uploads, read only when asked (after resolution and CSRF), limited.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import type { Request } from 'express';
import type busboy from 'busboy';
import { SuspiciousRequest } from '../conf/errors';
import { state } from '../conf/state';
import type { UploadedFile } from './types';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
// A key may hide behind JSON escapes ("\u005f_proto__"): any escape sends the text through the checking reviver.
const SUSPECT = /__proto__|constructor|prototype|\\u/;
const LOADING = Symbol('manouche.body');

/** Limits for parseBody(), from settings (DATA_UPLOAD_* and FILE_UPLOAD_*). */
export interface BodyLimits {
  maxMemory: number;
  maxFileSize: number;
  maxFields: number;
  maxFiles: number;
  fileMemory: number;
  tempDir: string;
}

/** The limits the settings give. */
export function bodyLimits(): BodyLimits {
  const s = state.settings;
  return {
    maxMemory: s.DATA_UPLOAD_MAX_MEMORY_SIZE, maxFileSize: s.FILE_UPLOAD_MAX_SIZE,
    maxFields: s.DATA_UPLOAD_MAX_NUMBER_FIELDS, maxFiles: s.DATA_UPLOAD_MAX_NUMBER_FILES,
    fileMemory: s.FILE_UPLOAD_MAX_MEMORY_SIZE, tempDir: s.FILE_UPLOAD_TEMP_DIR || os.tmpdir(),
  };
}

/** True when something else already took the body: req.body set, or the stream read (multer, busboy, a proxy). */
export function bodyTaken(req: Request): boolean {
  return req.body !== undefined || req.readableDidRead || req.readableEnded || (req as { _body?: boolean })._body === true;
}

/**
 * Reads `req.body` (and `req.files`) once, when asked: the CSRF check asks for a form token, the pipeline asks
 * before the view. Does nothing when another middleware already took the body; the second call waits for the first.
 * @example await loadBody(req); req.body.title
 */
export function loadBody(req: Request): Promise<void> {
  const r = req as Request & { [LOADING]?: Promise<void> };
  if (r[LOADING]) return r[LOADING];
  if (bodyTaken(req)) {
    if (req.body === undefined) req.body = {};
    return (r[LOADING] = Promise.resolve());
  }
  return (r[LOADING] = parseBody(req, bodyLimits()));
}

/**
 * Parses the body into `req.body` (and `req.files` for multipart). Over the size limits → 413; too many fields or
 * files, malformed bodies, and keys like `__proto__` → 400.
 * @example await parseBody(req, bodyLimits())
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
  req.body = isJson ? parseJson(raw) : parseForm(raw, limits.maxFields);
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
      if (size > limit) { failed = true; chunks.length = 0; reject(tooLarge(limit)); return; }
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

function parseForm(raw: string, maxFields: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of new URLSearchParams(raw)) {
    if (++n > maxFields) throw new SuspiciousRequest('E_TOO_MANY_FIELDS', { limit: maxFields });
    addField(out, k, v);
  }
  return out;
}

const TEMP_FILES = Symbol('manouche.tempFiles');
/** Removes a request's temporary upload files once its response is over (finished or aborted), and any made later. */
function removeAfterResponse(req: Request, file: string): void {
  const r = req as Request & { [TEMP_FILES]?: { files: string[]; over: boolean } };
  let t = r[TEMP_FILES];
  if (!t) {
    const list: { files: string[]; over: boolean } = (t = r[TEMP_FILES] = { files: [], over: false });
    const remove = (): void => { list.over = true; for (const f of list.files.splice(0)) fs.unlink(f, () => {}); };
    const res = req.res;
    if (!res || res.writableFinished || res.destroyed) process.nextTick(remove);
    else { res.once('finish', remove); res.once('close', remove); }
  }
  if (t.over) fs.unlink(file, () => {});
  else t.files.push(file);
}

/** An uploaded file kept on disk: `buffer` reads it when asked, so that only views that want the bytes hold them. */
function diskFile(fieldname: string, filename: string, mimeType: string, size: number, file: string): UploadedFile {
  return {
    fieldname, filename, mimeType, size, path: file,
    get buffer(): Buffer { return fs.readFileSync(file); },
  };
}

function parseMultipart(req: Request, limits: BodyLimits): Promise<void> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      bb = (require('busboy') as typeof busboy)({ headers: req.headers, limits: {
        fieldSize: limits.maxMemory, fileSize: limits.maxFileSize, fields: limits.maxFields, files: limits.maxFiles,
      } });
    } catch (err) {
      reject(new SuspiciousRequest('E_MALFORMED_BODY', { detail: (err as Error).message }));
      return;
    }
    const body: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
    const writing: Array<Promise<void>> = [];
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
    bb.on('fieldsLimit', () => fail(new SuspiciousRequest('E_TOO_MANY_FIELDS', { limit: limits.maxFields })));
    bb.on('filesLimit', () => fail(new SuspiciousRequest('E_TOO_MANY_FILES', { limit: limits.maxFiles })));
    bb.on('file', (fieldname, stream, info) => {
      if (failed) { stream.resume(); return; }
      if (FORBIDDEN.has(fieldname)) { stream.resume(); return fail(new SuspiciousRequest('E_FORBIDDEN_KEY', { key: fieldname })); }
      writing.push(receiveFile(req, stream, info.filename ?? '', limits, (err) => fail(err)).then((got) => {
        if (failed || !info.filename) return;
        const { chunks, size, file } = got;
        files.push(file
          ? diskFile(fieldname, info.filename, info.mimeType, size, file)
          : { fieldname, filename: info.filename, mimeType: info.mimeType, size, buffer: Buffer.concat(chunks) });
      }));
    });
    bb.on('error', (err: Error) => fail(new SuspiciousRequest('E_MALFORMED_BODY', { detail: err.message })));
    bb.on('close', () => {
      Promise.all(writing).then(() => {
        if (failed) return;
        req.body = body;
        req.files = files;
        markParsed(req);
        resolve();
      }, (err: Error) => fail(err));
    });
    req.pipe(bb);
  });
}

/** Takes one file part: in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then on to a temporary file (mode 600). */
function receiveFile(req: Request, stream: NodeJS.ReadableStream, filename: string, limits: BodyLimits,
  fail: (err: Error) => void): Promise<{ chunks: Buffer[]; size: number; file?: string }> {
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let file: string | undefined;
    let out: fs.WriteStream | undefined;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (out) {
        if (!out.write(c)) { stream.pause(); out.once('drain', () => stream.resume()); }
        return;
      }
      chunks.push(c);
      if (size > limits.fileMemory) {
        file = nodePath.join(limits.tempDir, `manouche-upload-${crypto.randomBytes(12).toString('hex')}`);
        out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
        removeAfterResponse(req, file);
        out.on('error', (err) => { fail(err); stream.resume(); });
        for (const b of chunks) out.write(b);
        chunks = [];
      }
    });
    stream.on('limit', () => {
      fail(new SuspiciousRequest('E_FILE_TOO_LARGE', { filename, limit: limits.maxFileSize }));
      chunks = [];
    });
    stream.on('end', () => {
      if (out) out.end(() => resolve({ chunks, size, file }));
      else resolve({ chunks, size });
    });
  });
}
