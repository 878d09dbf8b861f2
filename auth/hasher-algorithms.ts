// The password hashers Django ships, one object each, with Django's string formats (auth/hashers.ts picks among them).
import crypto from 'node:crypto';
import { state } from '../core/conf/state';

/** A stored hash that no hasher can read (cut, edited by hand, wrong parameters): a failed login, logged. */
export class MalformedHash extends Error {}

/** One hasher: `encode` with the current cost, `verify` any cost, `mustUpdate` when the cost differs from today's. */
export interface Hasher {
  algorithm: string;
  encode(password: string, salt: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
  mustUpdate(encoded: string): boolean;
}

/** Django 5.2's PBKDF2 work factor (3.2 used 260,000): hashes with another count are re-made at the next login. */
export const PBKDF2_ITERATIONS = 1_000_000;
/** Django's scrypt defaults (ScryptPasswordHasher, 4.0+): N is the work factor, r the block size, p the parallelism. */
export const SCRYPT_DEFAULTS = { N: 2 ** 14, r: 8, p: 5 };
const ARGON2 = { time: 2, memory: 102400, parallelism: 8 }; // Django's Argon2PasswordHasher
const BCRYPT_ROUNDS = 12;

// Looked up on each call (not captured at load) so that tests can count how often the hashers run.
const pbkdf2Async = (pw: string, salt: string, iterations: number, keylen: number, digest: string) =>
  new Promise<Buffer>((resolve, reject) => crypto.pbkdf2(pw, salt, iterations, keylen, digest, (err, key) => (err ? reject(err) : resolve(key))));
const scryptAsync = (pw: string, salt: string, keylen: number, opts: crypto.ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => crypto.scrypt(pw, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** Compares two byte strings in constant time (lengths may differ: that alone is not secret). */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
const sameText = (a: string, b: string) => constantTimeEqual(Buffer.from(a), Buffer.from(b));

/** Splits `algorithm$a$b…` into exactly `count` parts, or throws MalformedHash. */
function parts(encoded: string, count: number): string[] {
  const p = encoded.split('$');
  if (p.length !== count || !p[count - 1]) throw new MalformedHash(`expected ${count} $-separated parts, the last one the hash`);
  return p;
}
function positiveInt(s: string, max: number, what: string): number {
  const n = Number(s);
  if (!/^[0-9]+$/.test(s) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new MalformedHash(`${what} ${JSON.stringify(s)} is not an integer in 1..${max}`);
  return n;
}

function pbkdf2Hasher(algorithm: string, digest: 'sha256' | 'sha1', keylen: number): Hasher {
  return {
    algorithm,
    async encode(password, salt) {
      const hash = await pbkdf2Async(password, salt, PBKDF2_ITERATIONS, keylen, digest);
      return `${algorithm}$${PBKDF2_ITERATIONS}$${salt}$${hash.toString('base64')}`;
    },
    async verify(password, encoded) {
      const [, iter, salt, hash] = parts(encoded, 4);
      const iterations = positiveInt(iter, 100_000_000, 'iterations');
      return constantTimeEqual(await pbkdf2Async(password, salt, iterations, keylen, digest), Buffer.from(hash, 'base64'));
    },
    mustUpdate: (encoded) => Number(encoded.split('$')[1]) !== PBKDF2_ITERATIONS,
  };
}

function scryptParams(): { N: number; r: number; p: number } {
  return { ...SCRYPT_DEFAULTS, ...state.settings?.SCRYPT_PARAMS };
}

const scrypt: Hasher = {
  algorithm: 'scrypt',
  async encode(password, salt) {
    const { N, r, p } = scryptParams();
    return `scrypt$${N}$${salt}$${r}$${p}$${(await scryptKey(password, salt, N, r, p)).toString('base64')}`;
  },
  async verify(password, encoded) {
    const [, n, salt, r, p, hash] = parts(encoded, 6);
    const N = positiveInt(n, 2 ** 22, 'N'), R = positiveInt(r, 32, 'r'), P = positiveInt(p, 64, 'p');
    if ((N & (N - 1)) !== 0 || N < 2) throw new MalformedHash(`N ${N} is not a power of 2`);
    return constantTimeEqual(await scryptKey(password, salt, N, R, P), Buffer.from(hash, 'base64'));
  },
  mustUpdate(encoded) {
    const [, n, , r, p] = encoded.split('$');
    const cur = scryptParams();
    return Number(n) !== cur.N || Number(r) !== cur.r || Number(p) !== cur.p;
  },
};

/** scrypt over the password as given (no Unicode normalisation: Django hashes the UTF-8 bytes as they are). */
function scryptKey(password: string, salt: string, N: number, r: number, p: number): Promise<Buffer> {
  // Node refuses scrypt above 32 MB by default; allow what the parameters need (128·N·r bytes, with headroom).
  return scryptAsync(password, salt, 64, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

/** The digest hashers of old Django versions: `sha1$salt$hex`, `md5$salt$hex`, and the unsalted `sha1$$hex`, `md5$$hex`, `hex`. */
function digestHasher(algorithm: string, digest: 'sha1' | 'md5', salted: boolean): Hasher {
  const hex = (s: string) => crypto.createHash(digest).update(s, 'utf8').digest('hex');
  return {
    algorithm,
    async encode(password, salt) {
      return salted ? `${digest}$${salt}$${hex(salt + password)}` : (digest === 'md5' ? hex(password) : `sha1$$${hex(password)}`);
    },
    async verify(password, encoded) {
      if (!salted) {
        const stored = encoded.startsWith(`${digest}$$`) ? encoded.slice(digest.length + 2) : encoded;
        return sameText(hex(password), stored.toLowerCase());
      }
      const [, salt, hash] = parts(encoded, 3);
      return sameText(hex(salt + password), hash.toLowerCase());
    },
    mustUpdate: () => false,
  };
}

type HashWasm = typeof import('hash-wasm');
let hashWasm: HashWasm | undefined;
/** hash-wasm, loaded only when an argon2 or bcrypt hash is met (most apps never do). */
function loadHashWasm(algorithm: string): HashWasm {
  try {
    hashWasm ??= require('hash-wasm') as HashWasm;
  } catch {
    throw new Error(`The ${algorithm} password hasher needs the 'hash-wasm' package: npm install hash-wasm`);
  }
  return hashWasm;
}

const argon2: Hasher = {
  algorithm: 'argon2',
  async encode(password, salt) {
    const encoded = await loadHashWasm('argon2').argon2id({
      password, salt, iterations: ARGON2.time, memorySize: ARGON2.memory, parallelism: ARGON2.parallelism, hashLength: 32, outputType: 'encoded',
    });
    return `argon2${encoded}`;
  },
  async verify(password, encoded) {
    const phc = encoded.slice('argon2'.length);
    const m = /^\$argon2(?:id|i|d)\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(phc);
    if (!m) throw new MalformedHash('not an argon2 PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)');
    positiveInt(m[1], 4 * 1024 * 1024, 'memory'); positiveInt(m[2], 64, 'time cost'); positiveInt(m[3], 64, 'parallelism');
    return loadHashWasm('argon2').argon2Verify({ password, hash: phc });
  },
  mustUpdate(encoded) {
    return !encoded.includes(`$argon2id$v=19$m=${ARGON2.memory},t=${ARGON2.time},p=${ARGON2.parallelism}$`);
  },
};

/** Django's `bcrypt$<bcrypt string>` (raw password) and `bcrypt_sha256$<bcrypt string>` (hex SHA-256 of it first). */
function bcryptHasher(algorithm: 'bcrypt' | 'bcrypt_sha256'): Hasher {
  const prepare = (password: string) => (algorithm === 'bcrypt' ? password : crypto.createHash('sha256').update(password, 'utf8').digest('hex'));
  return {
    algorithm,
    async encode(password) {
      const out = await loadHashWasm(algorithm).bcrypt({
        password: prepare(password), salt: crypto.randomBytes(16), costFactor: BCRYPT_ROUNDS, outputType: 'encoded',
      });
      return `${algorithm}$${out.replace(/^\$2a\$/, '$2b$')}`; // the same hash; $2b$ is what Django writes
    },
    async verify(password, encoded) {
      const hash = encoded.slice(algorithm.length + 1);
      if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) throw new MalformedHash('not a bcrypt string ($2b$12$…)');
      // bcrypt reads at most 72 bytes: what Django's bcrypt library hashed, too.
      const raw = Buffer.from(prepare(password), 'utf8').subarray(0, 72);
      return loadHashWasm(algorithm).bcryptVerify({ password: raw, hash: hash.replace(/^\$2[by]\$/, '$2a$') });
    },
    mustUpdate: (encoded) => Number(encoded.slice(algorithm.length + 1).split('$')[2]) !== BCRYPT_ROUNDS,
  };
}

/** Every hasher, by Django's name for it. */
export const HASHERS: Record<string, Hasher> = Object.fromEntries([
  scrypt, pbkdf2Hasher('pbkdf2_sha256', 'sha256', 32), pbkdf2Hasher('pbkdf2_sha1', 'sha1', 20), argon2,
  bcryptHasher('bcrypt_sha256'), bcryptHasher('bcrypt'), digestHasher('sha1', 'sha1', true), digestHasher('md5', 'md5', true),
  digestHasher('unsalted_sha1', 'sha1', false), digestHasher('unsalted_md5', 'md5', false),
].map((h) => [h.algorithm, h]));

/** Django's identify_hasher(): the algorithm before the first `$`, except the unsalted hashes, told by their length. */
export function algorithmOf(encoded: string): string {
  if ((encoded.length === 32 && !encoded.includes('$')) || (encoded.length === 37 && encoded.startsWith('md5$$'))) return 'unsalted_md5';
  if (encoded.length === 46 && encoded.startsWith('sha1$$')) return 'unsalted_sha1';
  return encoded.split('$', 1)[0];
}
