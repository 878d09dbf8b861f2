// Password hashing, Django-compatible: `scrypt$…` by default, `pbkdf2_sha256$…` verified, weaker hashes flagged for upgrade.
import crypto from 'node:crypto';
import { state } from '../core/conf/state';
import { ValidationError } from '../core/conf/errors';
import { randomString } from '../sessions/cookies';

// Looked up on each call (not captured at load) so that tests can count how often the hashers run.
const scryptAsync = (pw: string, salt: string, keylen: number, opts: crypto.ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => crypto.scrypt(pw, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
const pbkdf2Async = (pw: string, salt: string, iterations: number, keylen: number, digest: string) =>
  new Promise<Buffer>((resolve, reject) => crypto.pbkdf2(pw, salt, iterations, keylen, digest, (err, key) => (err ? reject(err) : resolve(key))));

/** Passwords longer than this are refused before hashing, so a huge password can't make the server burn CPU. */
export const MAX_PASSWORD_LENGTH = 4096;
/** Django 5.2's PBKDF2 work factor: hashes with fewer iterations are upgraded at the next login. */
export const PBKDF2_ITERATIONS = 1_000_000;
/** Django's marker for a user without a usable password (`set_unusable_password`). */
export const UNUSABLE_PREFIX = '!';

interface Hasher {
  algorithm: string;
  encode(password: string, salt: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
  /** True when the hash was made with weaker parameters than the current ones. */
  weaker(encoded: string): boolean;
}

function scryptParams(): { N: number; r: number; p: number } {
  return state.settings?.SCRYPT_PARAMS ?? { N: 2 ** 17, r: 8, p: 1 };
}

async function scryptHash(password: string, salt: string, N: number, r: number, p: number): Promise<Buffer> {
  // Node refuses scrypt above 32 MB by default; allow what the parameters need (128·N·r bytes, with headroom).
  return scryptAsync(password.normalize('NFKC'), salt, 64, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

const scrypt: Hasher = {
  algorithm: 'scrypt',
  async encode(password, salt) {
    const { N, r, p } = scryptParams();
    const hash = await scryptHash(password, salt, N, r, p);
    return `scrypt$${N}$${salt}$${r}$${p}$${hash.toString('base64')}`;
  },
  async verify(password, encoded) {
    const [, n, salt, r, p, hash] = encoded.split('$');
    const N = Number(n), R = Number(r), P = Number(p);
    if (![N, R, P].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 22 || R > 32 || P > 16 || salt === undefined || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const got = await scryptHash(password, salt, N, R, P).catch(() => null);
    return got !== null && constantTimeEqual(got, expected);
  },
  weaker(encoded) {
    const [, n, , r, p] = encoded.split('$');
    const cur = scryptParams();
    return Number(n) * Number(r) * Number(p) < cur.N * cur.r * cur.p;
  },
};

const pbkdf2: Hasher = {
  algorithm: 'pbkdf2_sha256',
  async encode(password, salt) {
    const hash = await pbkdf2Async(password, salt, PBKDF2_ITERATIONS, 32, 'sha256');
    return `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt}$${hash.toString('base64')}`;
  },
  async verify(password, encoded) {
    const [, iter, salt, hash] = encoded.split('$');
    const iterations = Number(iter);
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000 || salt === undefined || !hash) return false;
    const got = await pbkdf2Async(password, salt, iterations, 32, 'sha256');
    return constantTimeEqual(got, Buffer.from(hash, 'base64'));
  },
  weaker(encoded) {
    return Number(encoded.split('$')[1]) < PBKDF2_ITERATIONS;
  },
};

const HASHERS: Record<string, Hasher> = { scrypt, pbkdf2_sha256: pbkdf2 };

function preferred(): Hasher {
  const name = state.settings?.PASSWORD_HASHERS?.[0] ?? 'scrypt';
  return HASHERS[name] ?? scrypt;
}

function hasherOf(encoded: string): Hasher | undefined {
  const algorithm = encoded.split('$', 1)[0];
  return (state.settings?.PASSWORD_HASHERS ?? Object.keys(HASHERS)).includes(algorithm) ? HASHERS[algorithm] : undefined;
}

/** Compares two byte strings in constant time (lengths may differ: that alone is not secret). */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  return crypto.timingSafeEqual(a, b);
}

/** A 22-character salt from [a-zA-Z0-9], like Django's. */
export function makeSalt(length = 22): string {
  return randomString(length);
}

/**
 * Hashes a raw password with the first of PASSWORD_HASHERS (Django's `make_password`).
 * @example const encoded = await makePassword('correct horse battery staple') // 'scrypt$131072$…'
 */
export async function makePassword(raw: string): Promise<string> {
  if (typeof raw !== 'string') throw new TypeError('makePassword() takes the password as a string.');
  if (raw.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError({ password: [`Ensure this value has at most ${MAX_PASSWORD_LENGTH} characters (it has ${raw.length}).`] });
  }
  return preferred().encode(raw, makeSalt());
}

/**
 * Checks a raw password against an encoded one; `needsUpgrade` says it verified with a weaker hasher or parameters.
 * Unknown or unusable hashes still cost one hash, so that timing doesn't tell them apart.
 * @example const { ok, needsUpgrade } = await verifyPassword('secret', user.password)
 */
export async function verifyPassword(raw: string, encoded: string | null | undefined): Promise<{ ok: boolean; needsUpgrade: boolean }> {
  const hasher = typeof encoded === 'string' ? hasherOf(encoded) : undefined;
  if (typeof raw !== 'string' || raw.length > MAX_PASSWORD_LENGTH || !hasher || !encoded) {
    await runDummyHash();
    return { ok: false, needsUpgrade: false };
  }
  const ok = await hasher.verify(raw, encoded).catch(() => false);
  const needsUpgrade = ok && (hasher !== preferred() || hasher.weaker(encoded));
  return { ok, needsUpgrade };
}

/** Runs the preferred hasher once on a throwaway password: used for unknown users so timing doesn't reveal them. */
export async function runDummyHash(): Promise<void> {
  await preferred().encode('manouche-dummy-password', makeSalt());
}

/** True when the encoded value is a hash that can match some password (not `!…` nor empty). */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return typeof encoded === 'string' && encoded !== '' && !encoded.startsWith(UNUSABLE_PREFIX);
}

/** An unusable password value (Django's `!` + random), for users who log in some other way. */
export function makeUnusablePassword(): string {
  return UNUSABLE_PREFIX + randomString(40);
}
