// The admin battery: what it needs (auth), what it adds (LogEntry, templates, static, checks, URLs) and its public API.
import type { Battery } from '../core/conf/batteries';
import { assetDir } from '../core/conf/paths';
import { registerCheck, unwrap, type AppState } from '../core/conf/state';
import * as models from '../core/db/models';
import { AdminSite, site } from './site';
import { ModelAdmin, StackedInline, TabularInline } from './model-admin';
import { defineLogEntry, getLogEntry } from './log';
import { adminChecks, indexChecks } from './checks';
import { registerAuthAdmin } from './views/auth';
import { action } from './actions';
import { SimpleListFilter } from './filters';

export { AdminSite, site, ModelAdmin, TabularInline, StackedInline, getLogEntry, action, SimpleListFilter };

/**
 * The public face of the admin: `admin.register(Post, options)`, `admin.site.siteHeader = '…'`.
 * @example admin.register(Post, { listDisplay: ['title', 'published'], searchFields: ['title'] })
 */
export const admin = {
  site,
  // Typed as the site's own methods: the declarations then name them there (an inferred type would be spelled
  // through the package's root, which node10 consumers reach by another file).
  register: site.register.bind(site) as AdminSite['register'],
  unregister: site.unregister.bind(site) as AdminSite['unregister'],
  isRegistered: site.isRegistered.bind(site) as AdminSite['isRegistered'],
  ModelAdmin,
  TabularInline,
  StackedInline,
  /** The LogEntry model (each add/change/delete made in the admin). */
  get LogEntry() { return getLogEntry(); },
  /** `admin.action(fn, { description, permissions })`, like Django's @admin.action. */
  action,
  /** Base class of custom change list filters (`lookups(req, ma)`, `queryset(req, query)`). */
  SimpleListFilter,
};

const battery: Battery = {
  name: 'admin',
  requires: ['auth'],
  setup(app: AppState) {
    app.frameworkTemplateDirs.push(assetDir('admin', 'templates'));
    app.frameworkStaticDirs.push(assetDir('admin', 'static'));
    app.migrationsApps.push({ label: 'admin', dir: assetDir('admin', 'migrations') });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const auth = require('../auth');
    const User = safeUnwrap(auth.User);
    defineLogEntry(models.model as any, models.DataTypes, User);
    registerAuthAdmin(site, User, safeUnwrap(auth.Group));
    registerCheck(adminChecks(site));
    registerCheck(indexChecks(site));
    // Mounted once the app is built: by then the app file has registered its models.
    app.onAppBuilt.push(() => site.mount());
  },
};

function safeUnwrap(handle: unknown): any {
  try { return unwrap(handle); } catch { return undefined; }
}

export default battery;
