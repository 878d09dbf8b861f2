// Passwords, Django-compatible: the first of PASSWORD_HASHERS hashes, every listed one verifies, older ones upgrade.
import { state } from '../core/conf/state';
import { ValidationError } from '../core/conf/errors';
import { randomString } from '../sessions/cookies';
import { HASHERS, MalformedHash, algorithmOf, type Hasher } from './hasher-algorithms';

export { constantTimeEqual, PBKDF2_ITERATIONS } from './hasher-algorithms';

/** Passwords longer than this are refused before hashing, so a huge password can't make the server burn CPU. */
export const MAX_PASSWORD_LENGTH = 4096;
/** Django's marker for a user without a usable password (`set_unusable_password`). */
export const UNUSABLE_PREFIX = '!';
/** Every hasher name PASSWORD_HASHERS may list (Django's names, so a Django project's list reads the same). */
export const HASHER_NAMES = Object.keys(HASHERS);

function preferred(): Hasher {
  return HASHERS[state.settings?.PASSWORD_HASHERS?.[0] ?? 'scrypt'] ?? HASHERS.scrypt;
}

/** The hasher of an encoded password, when PASSWORD_HASHERS lists it (as Django, others never verify). */
function hasherOf(encoded: string): Hasher | undefined {
  const algorithm = algorithmOf(encoded);
  return (state.settings?.PASSWORD_HASHERS ?? HASHER_NAMES).includes(algorithm) ? HASHERS[algorithm] : undefined;
}

/** A 22-character salt from [a-zA-Z0-9], like Django's. */
export function makeSalt(length = 22): string {
  return randomString(length);
}

/**
 * Hashes a raw password with the first of PASSWORD_HASHERS (Django's `make_password`).
 * @example const encoded = await makePassword('correct horse battery staple') // 'scrypt$16384$…'
 */
export async function makePassword(raw: string): Promise<string> {
  if (typeof raw !== 'string') throw new TypeError('makePassword() takes the password as a string.');
  if (raw.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError({ password: [`Ensure this value has at most ${MAX_PASSWORD_LENGTH} characters (it has ${raw.length}).`] });
  }
  return preferred().encode(raw, makeSalt());
}

/**
 * Checks a raw password against an encoded one; `needsUpgrade` says it verified with another hasher or cost than
 * today's (the caller re-hashes it). Unknown or unusable hashes still cost one hash, so timing doesn't tell them
 * apart; a malformed one is a failed check and a logged warning, never an exception.
 * @example const { ok, needsUpgrade } = await verifyPassword('secret', user.password)
 */
export async function verifyPassword(raw: string, encoded: string | null | undefined): Promise<{ ok: boolean; needsUpgrade: boolean }> {
  const hasher = typeof encoded === 'string' ? hasherOf(encoded) : undefined;
  if (typeof raw !== 'string' || raw.length > MAX_PASSWORD_LENGTH || !hasher || !encoded) {
    await runDummyHash();
    return { ok: false, needsUpgrade: false };
  }
  let ok: boolean;
  try {
    ok = await hasher.verify(raw, encoded);
  } catch (err) {
    // The hash itself is never logged: only which hasher it claimed and what is wrong with it.
    const why = err instanceof MalformedHash ? `malformed ${hasher.algorithm} hash (${err.message})` : `${hasher.algorithm}: ${(err as Error).message}`;
    console.warn(`Password check failed: ${why}. The stored password cannot be verified; set a new one (changepassword).`);
    return { ok: false, needsUpgrade: false };
  }
  return { ok, needsUpgrade: ok && (hasher !== preferred() || hasher.mustUpdate(encoded)) };
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
