// The login, logout and password-change views mounted at accounts/ when auth is on and the admin is off.
import type { Request } from 'express';
import type { AuthUser } from './types';
import { render } from '../core/http/shortcuts';
import { json, redirect, type Response } from '../core/http/responses';
import { reverse } from '../core/urls/router';
import { prefersJson } from '../sessions/cookies';
import { authenticator, login, logout, updateSessionAuthHash } from './backend';
import { LoginThrottled, THROTTLED_MESSAGE } from './throttle';
import { loginRequired } from './decorators';
import { isSafeRedirect, safeNext } from './redirects';
import { validatePassword, PASSWORD_HELP } from './validators';

/** Django's login error: the same for an unknown user, a wrong password and an inactive account. */
export const INVALID_LOGIN = 'Please enter a correct username and password. Note that both fields may be case-sensitive.';

function field(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

/** Runs passport's local strategy; resolves the user or null, rejects with LoginThrottled when locked out. */
function passportLogin(req: Request): Promise<any | null> {
  return new Promise((resolve, reject) => {
    authenticator.authenticate('local', { session: false }, (err: unknown, user: unknown) => (err ? reject(err) : resolve(user || null)))(req, req.res!, reject);
  });
}

/**
 * GET shows the form; POST logs in and redirects to a safe `next` (else LOGIN_REDIRECT_URL).
 * Failures answer the same message whatever went wrong; a locked-out username or address gets 429.
 */
export async function loginView(req: Request): Promise<Response> {
  const next = typeof req.query.next === 'string' && isSafeRedirect(req.query.next, req) ? req.query.next : field(req, 'next');
  const ctx = { next: isSafeRedirect(next, req) ? next : '', username: '', error: '' };
  if (req.method !== 'POST') return render(req, 'registration/login.html', ctx);
  let user: any = null;
  let status = 200;
  let headers = {};
  try {
    user = await passportLogin(req);
  } catch (err) {
    if (!(err instanceof LoginThrottled)) throw err;
    status = 429;
    headers = { 'retry-after': String(err.retryAfter) };
  }
  if (user) {
    await login(req, user);
    const target = safeNext(req);
    return prefersJson(req) ? json({ ok: true, next: target, user: { id: user.id, username: user.username } }) : redirect(target);
  }
  const error = status === 429 ? THROTTLED_MESSAGE : INVALID_LOGIN;
  if (prefersJson(req)) return json({ error }, { status: status === 429 ? 429 : 400, headers });
  return render(req, 'registration/login.html', { ...ctx, username: field(req, 'username').slice(0, 150), error }, { status, headers });
}

/** POST only (GET → 405, so that a link or an image can't log anyone out): ends the session. */
export async function logoutView(req: Request): Promise<Response> {
  await logout(req);
  const next = field(req, 'next') || (typeof req.query.next === 'string' ? req.query.next : '');
  if (isSafeRedirect(next, req)) return redirect(next.trim());
  return render(req, 'registration/logged_out.html', {});
}

/** Checks a password-change form; returns errors per field (empty when the change may go ahead). */
export async function passwordChangeErrors(user: any, oldPassword: string, new1: string, new2: string): Promise<Record<string, string[]>> {
  const errors: Record<string, string[]> = {};
  if (!(await user.checkPassword(oldPassword))) errors.old_password = ['Your old password was entered incorrectly. Please enter it again.'];
  if (!new1) errors.new_password1 = ['This field is required.'];
  if (!new2) errors.new_password2 = ['This field is required.'];
  else if (new1 !== new2) errors.new_password2 = ['The two password fields didn’t match.'];
  else {
    const problems = validatePassword(new2, user);
    if (problems.length) errors.new_password2 = problems;
  }
  return errors;
}

/** GET shows the form; POST checks the old password, validates the new one, saves it and keeps this session. */
export const passwordChangeView = loginRequired(async function passwordChangeView(req: Request): Promise<Response> {
  const ctx = { errors: {} as Record<string, string[]>, help: PASSWORD_HELP };
  if (req.method !== 'POST') return render(req, 'registration/password_change_form.html', ctx);
  const user = req.user as AuthUser; // loginRequired let only a logged-in user through
  const [oldPw, new1, new2] = [field(req, 'old_password'), field(req, 'new_password1'), field(req, 'new_password2')];
  const errors = await passwordChangeErrors(user, oldPw, new1, new2);
  if (Object.keys(errors).length) {
    if (prefersJson(req)) return json({ errors }, { status: 400 });
    return render(req, 'registration/password_change_form.html', { ...ctx, errors }, { status: 200 });
  }
  await user.setPassword(new1);
  await user.save({ fields: ['password'] });
  await updateSessionAuthHash(req, user);
  return redirect(reverse('password_change_done'));
});

export const passwordChangeDoneView = loginRequired(async function passwordChangeDoneView(req: Request): Promise<Response> {
  return render(req, 'registration/password_change_done.html', {});
});
