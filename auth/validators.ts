// Password validators, Django's four: minimum length, user-attribute similarity, common passwords, all-numeric.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { assetDir } from '../core/conf/paths';
import { MAX_PASSWORD_LENGTH } from './hashers';

/** The attributes a password must not resemble, with the names used in messages (as Django's verbose names). */
const SIMILARITY_ATTRIBUTES: Array<[string, string]> = [
  ['username', 'username'], ['firstName', 'first name'], ['lastName', 'last name'], ['email', 'email address'],
];
const MIN_LENGTH = 8;
const MAX_SIMILARITY = 0.7;

/**
 * Python's str.isdigit(), which Django's numeric validator uses: every decimal digit (Arabic-Indic ٣, Devanagari २,
 * fullwidth １ …) and the other digits (superscripts ², circled ①, …), listed from Python 3.11's unicodedata.
 */
const ALL_DIGITS =
  /^[\p{Nd}\u{b2}-\u{b3}\u{b9}\u{1369}-\u{1371}\u{19da}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247c}\u{2488}-\u{2490}\u{24ea}\u{24f5}-\u{24fd}\u{24ff}\u{2776}-\u{277e}\u{2780}-\u{2788}\u{278a}-\u{2792}\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]+$/u;

let commonPasswords: Set<string> | undefined;

/** The shipped list of 40,600 common passwords (auth/data/README.md says where it comes from), loaded once. */
export function getCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const raw = zlib.gunzipSync(fs.readFileSync(assetDir('auth', 'data', 'common-passwords.txt.gz'))).toString('utf8');
    commonPasswords = new Set(raw.split('\n').map((s) => s.trim()).filter(Boolean));
  }
  return commonPasswords;
}

/** difflib's SequenceMatcher.quick_ratio(): 2·(shared characters, as multisets) / (total length). */
export function quickRatio(a: string, b: string): number {
  if (!a.length && !b.length) return 1;
  const counts = new Map<string, number>();
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const n = counts.get(ch) ?? 0;
    if (n > 0) { matches++; counts.set(ch, n - 1); }
  }
  return (2 * matches) / (a.length + b.length);
}

/** A long password can't be similar to a much shorter value: skip it (Django's exceeds_maximum_length_ratio). */
function exceedsMaximumLengthRatio(password: string, value: string): boolean {
  return password.length >= 10 * value.length && value.length < (MAX_SIMILARITY / 2) * password.length;
}

/**
 * Returns the problems with a password, in Django's words (empty when it is acceptable).
 * `user` may be a User or a plain object with username/email/firstName/lastName.
 * @example validatePassword('12345678', { username: 'bob' }) // ['This password is too common.', 'This password is entirely numeric.']
 */
export function validatePassword(password: string, user?: Record<string, unknown> | null): string[] {
  const errors: string[] = [];
  if (password.length > MAX_PASSWORD_LENGTH) return [`Ensure this value has at most ${MAX_PASSWORD_LENGTH} characters (it has ${password.length}).`];
  if (user) {
    const lower = password.toLowerCase();
    outer: for (const [attr, label] of SIMILARITY_ATTRIBUTES) {
      const value = user[attr];
      if (typeof value !== 'string' || !value) continue;
      const valueLower = value.toLowerCase();
      for (const part of [...valueLower.split(/[^\p{L}\p{N}_]+/u), valueLower]) {
        if (exceedsMaximumLengthRatio(lower, part)) continue;
        if (quickRatio(lower, part) >= MAX_SIMILARITY) {
          errors.push(`The password is too similar to the ${label}.`);
          break outer;
        }
      }
    }
  }
  // Django's order: similarity, length, common, numeric.
  if ([...password].length < MIN_LENGTH) {
    errors.push(`This password is too short. It must contain at least ${MIN_LENGTH} characters.`);
  }
  if (getCommonPasswords().has(password.toLowerCase().trim())) errors.push('This password is too common.');
  if (ALL_DIGITS.test(password)) errors.push('This password is entirely numeric.');
  return errors;
}

/** The help text shown under password fields. */
export const PASSWORD_HELP = [
  'Your password can’t be too similar to your other personal information.',
  `Your password must contain at least ${MIN_LENGTH} characters.`,
  'Your password can’t be a commonly used password.',
  'Your password can’t be entirely numeric.',
];
