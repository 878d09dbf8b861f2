// How the test Client encodes what it sends: urlencoded forms, JSON, multipart with files, raw text.
import { randomBytes } from 'node:crypto';

const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A file to upload: a form whose data holds one is sent as multipart/form-data (as a browser does).
 * @example client.post('/upload/', { title: 'Logo', file: { filename: 'logo.png', content: pngBuffer, contentType: 'image/png' } })
 */
export interface UploadFile {
  filename: string;
  content: Buffer | string;
  contentType?: string;
}

/** Random letters and digits, as Django's get_random_string (CSRF cookie values, multipart boundaries). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => TOKEN_CHARS[b % TOKEN_CHARS.length]).join('');
}

/** `{ tags: ['a', 'b'], n: 1 }` → `tags=a&tags=b&n=1`; null and undefined are left out. */
export function encodeForm(data: Record<string, unknown> | URLSearchParams): URLSearchParams {
  if (data instanceof URLSearchParams) return data;
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined || v === null) continue;
      out.append(key, v instanceof Date ? v.toISOString() : String(v));
    }
  }
  return out;
}

export function encodeBody(data: unknown, headers: Record<string, string>, json?: boolean): string | Buffer | undefined {
  if (data === undefined) return undefined;
  const type = headers['content-type'] ?? '';
  if (json || /[/+]json\b/i.test(type)) {
    headers['content-type'] ||= 'application/json';
    return typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data);
  }
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    headers['content-type'] ||= 'text/plain; charset=utf-8';
    return data;
  }
  const fields = data as Record<string, unknown>;
  if (!headers['content-type'] && Object.values(fields).some((v) => [v].flat().some(isUploadFile))) return encodeMultipart(fields, headers);
  headers['content-type'] ||= 'application/x-www-form-urlencoded';
  return encodeForm(fields).toString();
}

function isUploadFile(value: unknown): value is UploadFile {
  return !!value && typeof value === 'object' && typeof (value as UploadFile).filename === 'string' && 'content' in value;
}

function encodeMultipart(fields: Record<string, unknown>, headers: Record<string, string>): Buffer {
  const boundary = `----manouche${randomToken(24)}`;
  const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) {
      if (v === undefined || v === null) continue;
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"`;
      if (isUploadFile(v)) head += `; filename="${quote(v.filename)}"\r\nContent-Type: ${v.contentType ?? 'application/octet-stream'}`;
      const body = isUploadFile(v) ? v.content : v instanceof Date ? v.toISOString() : String(v);
      parts.push(Buffer.from(`${head}\r\n\r\n`), Buffer.isBuffer(body) ? body : Buffer.from(body), Buffer.from('\r\n'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  return Buffer.concat(parts);
}
