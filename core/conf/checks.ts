// The core's system checks: settings that are fine in development and dangerous in production.
import { INSECURE_DEV_KEY } from './settings';
import { registerCheck, state, type CheckMessage } from './state';

/** Registers the core checks once; `check --deploy` adds the production ones. */
export function registerCoreChecks(): void {
  registerCheck(({ deploy }) => {
    const s = state.settings;
    const out: CheckMessage[] = [];
    // Shown by `check` and when a server starts, rather than on every command (resolveSettings allows it in DEBUG only).
    if (s.SECRET_KEY === INSECURE_DEV_KEY) {
      out.push({ level: 'warning', id: 'manouche.W001', msg: 'SECRET_KEY is not set: using an insecure development key (fine with DEBUG, never in production).', hint: 'Set the SECRET_KEY environment variable or pass SECRET_KEY to configure().' });
    }
    if (!deploy) return out;
    if (s.DEBUG) out.push({ level: 'warning', id: 'security.W018', msg: 'You should not have DEBUG set to true in deployment.' });
    if (s.SECRET_KEY.length < 50 || new Set(s.SECRET_KEY).size < 5) {
      out.push({ level: 'warning', id: 'security.W009', msg: 'Your SECRET_KEY has less than 50 characters, less than 5 unique characters, or is the insecure development key.', hint: 'Generate a long random key: node -e "console.log(require(\'crypto\').randomBytes(48).toString(\'base64url\'))"' });
    }
    if (s.ALLOWED_HOSTS.length === 0) out.push({ level: 'warning', id: 'security.W020', msg: 'ALLOWED_HOSTS must not be empty in deployment.' });
    if (state.switches.sessions && !s.SESSION_COOKIE_SECURE) out.push({ level: 'warning', id: 'security.W012', msg: 'SESSION_COOKIE_SECURE is not set to true. Session cookies will be sent over plain HTTP.' });
    return out;
  });
}
