// The auth battery: User/Group/Permission, passwords, passport login, req.user, decorators, views and commands.
import type { Battery } from '../core/conf/batteries';
import { lateBound, type AppState } from '../core/conf/state';
import { assetDir } from '../core/conf/paths';
import { registerCommand } from '../core/management/commands/registry';
import { include, path, listRoutes } from '../core/urls/router';
import { messagesMiddleware, sessionStore } from '../sessions';
import { authModels, defineAuthModels } from './models';
import { anonymousUser, configurePassport, userMiddleware } from './backend';
import { databaseCounter, redisCounter, setThrottleCounter } from './throttle';
import { createPermissions } from './permissions';
import { authBridge } from './bridge';
import { loginView, logoutView, passwordChangeDoneView, passwordChangeView } from './views';
import createsuperuser from './commands/createsuperuser';
import changepassword from './commands/changepassword';

export { login, logout, authenticate, anonymousUser, updateSessionAuthHash } from './backend';
/** The app's passport instance (local strategy, sessions): add strategies to it, e.g. passport.use(new BasicStrategy(…)). */
export { authenticator as passport } from './backend';
export { loginRequired, permissionRequired, redirectToLogin } from './decorators';
export { makePassword, verifyPassword } from './hashers';
export { validatePassword, PASSWORD_HELP } from './validators';
export { isSafeRedirect } from './redirects';
export { passwordChangeErrors } from './views';

/** The user model (a handle usable once configure({ auth: true }) has run). @example await User.createUser({ username, password }) */
export const User: any = lateBound('User', () => authModels()?.User, 'function');
/** @example const editors = await Group.create({ name: 'Editors' }) */
export const Group: any = lateBound('Group', () => authModels()?.Group, 'function');
/** @example await Permission.findOne({ where: { appLabel: 'blog', codename: 'change_post' } }) */
export const Permission: any = lateBound('Permission', () => authModels()?.Permission, 'function');

/**
 * Mounts accounts/login/, logout/, password_change/ (+ done/) when the app is built (run()), after the app's own
 * routes: a route of the app with the same name (say its own 'login') wins, and ours is left out.
 */
function mountAccountViews(): void {
  const taken = new Set(listRoutes().map((r) => r.name).filter(Boolean));
  const views = [
    path('login/', loginView, { name: 'login', methods: ['GET', 'POST'] }),
    path('logout/', logoutView, { name: 'logout', methods: ['POST'] }),
    path('password_change/', passwordChangeView, { name: 'password_change', methods: ['GET', 'POST'] }),
    path('password_change/done/', passwordChangeDoneView, { name: 'password_change_done', methods: ['GET'] }),
  ].filter((p) => !taken.has(p.name));
  if (views.length) include('accounts/', views);
}

function setup(app: AppState): void {
  defineAuthModels();
  app.migrationsApps.push({ label: 'auth', dir: assetDir('auth', 'migrations') });
  app.frameworkTemplateDirs.push(assetDir('auth', 'templates'));
  configurePassport();
  // req.user comes after the session and CSRF, before messages (sessions → csrf → auth → messages).
  const at = app.batteryMiddleware.indexOf(messagesMiddleware);
  app.batteryMiddleware.splice(at < 0 ? app.batteryMiddleware.length : at, 0, ...userMiddleware());
  app.contextProcessors.push((req) => ({ user: req?.user ?? anonymousUser }));
  const store = sessionStore();
  setThrottleCounter(store.kind === 'redis' ? redisCounter(store.redis) : databaseCounter(authModels()!.LoginAttempt));
  app.postMigrate.push(async () => { await createPermissions(); });
  app.authBridge = authBridge;
  registerCommand(createsuperuser);
  registerCommand(changepassword);
  if (!app.switches.admin) app.onAppBuilt.push(mountAccountViews);
}

const battery: Battery = { name: 'auth', requires: ['sessions'], setup };
export default battery;
