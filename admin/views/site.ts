// The site's own pages: index (apps + recent actions), app index, login, logout and password change.
import type { Request } from 'express';
import { Http404, MethodNotAllowed } from '../../core/conf/errors';
import { redirect } from '../../core/http/responses';
import { render } from '../../core/http/shortcuts';
import type { AdminSite } from '../site';
import { getLogEntry, describeChange, ADDITION, CHANGE, DELETION } from '../log';
import { t } from '../i18n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const auth = (): Record<string, any> => require('../../auth');

const LOGIN_ERROR = 'Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive.';

/** A `next` that stays on this site (a path, not `//evil.com` or `https://…`), else the admin index. */
export function safeNext(req: Request, site: AdminSite, raw: unknown): string {
  const next = typeof raw === 'string' ? raw : '';
  if (next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !/[\r\n]/.test(next)) return next;
  return site.urlFor('index');
}

/** The index: every app and model the user may see, with Add/Change links, and the user's recent actions. */
export async function indexView(req: Request, site: AdminSite) {
  const LogEntry = getLogEntry();
  const recent = LogEntry ? await LogEntry.findAll({ where: { userId: req.user!.id } /* admin_view let only staff in */, order: [['actionTime', 'DESC'], ['id', 'DESC']], limit: 10 }) : [];
  const recentActions = recent.map((e: any) => {
    const ma = site.getModelAdmin(e.appLabel, e.modelName);
    return {
      objectRepr: e.objectRepr,
      url: e.actionFlag !== DELETION && ma ? site.urlFor('change', ma, e.objectId) : null,
      isAddition: e.actionFlag === ADDITION,
      isChange: e.actionFlag === CHANGE,
      isDeletion: e.actionFlag === DELETION,
      modelName: ma ? ma.opts.verboseName : e.modelName,
      message: describeChange(e),
    };
  });
  const ctx = await site.eachContext(req);
  return render(req, 'admin/index.html', { ...ctx, title: t(site.indexTitle), appList: ctx.availableApps, recentActions });
}

/** One app's models (`/admin/blog/`); 404 for an app the user may not see. */
export async function appIndexView(req: Request, site: AdminSite, params: Record<string, any>) {
  const apps = await site.getAppList(req, String(params.appLabel));
  if (!apps.length) throw new Http404('The requested admin page does not exist.');
  const ctx = await site.eachContext(req);
  return render(req, site.selectTemplate('app_index.html'), {
    ...ctx, title: t('{app} administration', { app: apps[0].name }), appList: apps, appLabel: apps[0].appLabel, app: apps[0], showNavSidebar: true,
  });
}

/** The login page: only active staff get in, and every failure gets the same message. */
export async function loginView(req: Request, site: AdminSite) {
  const next = (req.method === 'POST' ? req.body?.next : req.query?.next) as string | undefined;
  if (req.method === 'GET' && site.hasPermission(req)) return redirect(safeNext(req, site, next));
  let error = '';
  let refused = '';
  let retryAfter = 0;
  let username = '';
  if (req.method === 'POST') {
    username = typeof req.body?.username === 'string' ? req.body.username : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    let user: any = null;
    if (username && password) {
      try {
        user = await auth().authenticate(username, password, req);
      } catch (err) {
        // Throttling answers with a message of its own; anything else is a real error.
        if ((err as { status?: number }).status !== 429) throw err;
        refused = (err as Error).message;
        retryAfter = (err as { retryAfter?: number }).retryAfter ?? 0;
      }
    }
    if (user && user.isActive && user.isStaff) {
      await auth().login(req, user);
      return redirect(safeNext(req, site, next));
    }
    error = refused || t(LOGIN_ERROR);
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new MethodNotAllowed(['GET', 'POST']);
  }
  const ctx = await site.eachContext(req);
  const u = req.user;
  const notAuthorized = u?.isAuthenticated && !site.hasPermission(req)
    ? t('You are authenticated as {username}, but are not authorized to access this page. Would you like to login to a different account?', { username: u.username })
    : '';
  return render(req, site.selectTemplate('login.html'), {
    ...ctx, title: t('Log in'), error, username, next: typeof next === 'string' ? next : site.urlFor('index'), notAuthorized,
    hasPermission: false,
  }, refused ? { status: 429, headers: { 'retry-after': String(retryAfter) } } : { status: 200 });
}

/** Logout is a POST (a GET would let any page log the user out). */
export async function logoutView(req: Request, site: AdminSite) {
  if (req.method !== 'POST') throw new MethodNotAllowed(['POST']);
  await auth().logout(req);
  const ctx = await site.eachContext(req);
  return render(req, site.selectTemplate('logged_out.html'), { ...ctx, title: t('Logged out'), hasPermission: false });
}

/** Password change: old password, new one twice, the validators; afterwards every other session of the user ends. */
export async function passwordChangeView(req: Request, site: AdminSite) {
  const errors: Record<string, string[]> = {};
  if (req.method === 'POST') {
    const body = req.body ?? {};
    const p1 = String(body.new_password1 ?? '');
    const user = req.user;
    // auth's own checks: old password, both new ones, the validators (one piece of code for both pages).
    Object.assign(errors, await auth().passwordChangeErrors(user, String(body.old_password ?? ''), p1, String(body.new_password2 ?? '')));
    if (!Object.keys(errors).length) {
      await changePasswordAndKeepSession(req, user, p1);
      return redirect(`${site.urlFor('password_change')}done/`);
    }
  }
  const ctx = await site.eachContext(req);
  return render(req, site.selectTemplate('password_change_form.html'), {
    ...ctx, title: t('Password change'), errors, hasErrors: Object.keys(errors).length > 0, passwordHelp: passwordHelp(),
  });
}

export async function passwordChangeDoneView(req: Request, site: AdminSite) {
  const ctx = await site.eachContext(req);
  return render(req, site.selectTemplate('password_change_done.html'), { ...ctx, title: t('Password change successful') });
}

/** Runs auth's password validators (Django's messages). */
export function validate(password: string, user: unknown): string[] {
  return auth().validatePassword(password, user);
}

/** The help text under new-password fields, from auth's validators. */
export function passwordHelp(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../auth/validators').PASSWORD_HELP ?? [];
}

/**
 * Saves the new password. Sessions carry a hash of the password, so every other session of the user ends;
 * this one is renewed so that the user stays logged in (Django's update_session_auth_hash).
 */
export async function changePasswordAndKeepSession(req: Request, user: any, password: string): Promise<void> {
  await user.setPassword(password);
  await user.save();
  if (req.user && String(req.user.id) === String(user.id)) await auth().updateSessionAuthHash(req, user);
}

