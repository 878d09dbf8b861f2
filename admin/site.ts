// AdminSite: the strict registry of models, its URLs (Django's names), the one staff check and the context every page shares.
import type { Request } from 'express';
import { Http404, ImproperlyConfigured, ManoucheError } from '../core/conf/errors';
import { include, path } from '../core/urls/router';
import { withScriptPrefix } from '../core/urls/prefix';
import { redirect } from '../core/http/responses';
import { templateExists } from '../core/template/engine';
import { jsCatalogue, languageCode, t } from './i18n';
import { state, unwrap } from '../core/conf/state';
import { isModelClass } from '../core/db/deferred';
import { ModelAdmin } from './model-admin';
import type { AdminOptionsFor } from './typed-options';
import type { AttributeNames, InstanceOf } from '../core/db/typed';
import { capfirst, hasBigintPk, modelMeta, words } from './introspect';
import * as siteViews from './views/site';
import * as objectViews from './views/object';
import { deleteView } from './views/delete';
import { historyView } from './views/history';
import { changelistView } from './views/changelist';
import { autocompleteView } from './views/autocomplete';

type ModelView = (req: Request, ma: ModelAdmin, params: Record<string, any>) => unknown;
type SiteView = (req: Request, site: AdminSite, params: Record<string, any>) => unknown;

/** Names of apps the framework ships, as Django shows them. */
const APP_NAMES: Record<string, string> = { auth: 'Authentication and authorization', admin: 'Administration' };

/** One app of the index and the nav sidebar, with the models this user may see. */
export interface AppEntry {
  name: string;
  appLabel: string;
  appUrl: string;
  models: Array<{ name: string; objectName: string; perms: Record<string, boolean>; adminUrl: string | null; addUrl: string | null; viewOnly: boolean; modelAdmin: ModelAdmin }>;
}

/**
 * The admin site: `admin.register(Post, { listDisplay: ['title'] })` adds a model; its pages are mounted under
 * ADMIN_URL when the app is built, with Django's URL names (`admin:blog_post_changelist` …).
 * @example admin.siteHeader = 'Blog administration';
 */
export class AdminSite {
  siteTitle = 'manouche site admin';
  siteHeader = 'manouche administration';
  indexTitle = 'Site administration';
  /** The "View site" link (null hides it). */
  siteUrl: string | null = '/';
  readonly registry = new Map<any, ModelAdmin>();

  /**
   * Registers a model with options or a ModelAdmin subclass; a model registered twice is refused.
   * @example admin.register(Post, { listDisplay: ['title', 'published'], searchFields: ['title'] })
   * @example admin.register(Post, class PostAdmin extends ModelAdmin { listDisplay = ['title']; })
   * @example admin.register(Post, class PostAdmin extends ModelAdmin<typeof Post> { override listDisplay = ['title'] as const; })
   */
  register<M>(model: M, options?: AdminOptionsFor<AttributeNames<M>, InstanceOf<M>> | (new (model: any, site: AdminSite) => ModelAdmin | ModelAdmin<M>)): ModelAdmin;
  register(model: any, options: Record<string, unknown> | (new (model: any, site: AdminSite) => ModelAdmin<any>) = {}): ModelAdmin {
    const real = unwrap(model);
    if (!real || typeof real !== 'function' || !(isModelClass(real) || typeof real.findAll === 'function')) {
      throw new ImproperlyConfigured(`admin.register() takes a model made with model(), got ${typeof model === 'function' ? model.name : typeof model}.`);
    }
    if (this.registry.has(real)) throw new ManoucheError('E_ALREADY_REGISTERED', { model: modelMeta(real).name });
    let ma: ModelAdmin;
    if (typeof options === 'function') {
      ma = new options(real, this);
    } else {
      ma = new ModelAdmin(real, this);
      Object.assign(ma, options);
      // What the app wrote, for `check`: an option the admin does not know is an error, not silently ignored.
      Object.defineProperty(ma, 'declaredOptions', { value: Object.keys(options), enumerable: false });
    }
    this.registry.set(real, ma);
    this.mountLate(ma);
    return ma;
  }

  /** Removes a model (to register it again with other options). */
  unregister(model: any): void {
    const real = unwrap(model);
    if (!this.registry.delete(real)) throw new ImproperlyConfigured(`The model ${modelMeta(real).name} is not registered with the admin.`);
  }

  isRegistered(model: any): boolean {
    return this.registry.has(unwrap(model));
  }

  /** The ModelAdmin of a model (or of `appLabel` + lowercased model name), or undefined. */
  getModelAdmin(modelOrLabel: any, modelName?: string): ModelAdmin | undefined {
    if (typeof modelOrLabel !== 'string') return this.registry.get(unwrap(modelOrLabel));
    for (const ma of this.registry.values()) {
      if (ma.opts.appLabel === modelOrLabel && ma.opts.modelName === String(modelName).toLowerCase()) return ma;
    }
    return undefined;
  }

  /** The path the admin is mounted at (`/admin/`). */
  get root(): string {
    return state.settings?.ADMIN_URL ?? '/admin/';
  }

  /** Builds a page's URL without reverse(): `site.urlFor('change', ma, 3)` → `/admin/blog/post/3/change/`. */
  urlFor(page: 'index' | 'login' | 'logout' | 'password_change' | 'app' | 'changelist' | 'add' | 'change' | 'delete' | 'history' | 'password', ma?: ModelAdmin | string, pk?: unknown): string {
    const root = withScriptPrefix(this.root);
    if (page === 'index') return root;
    if (page === 'login' || page === 'logout' || page === 'password_change') return `${root}${page}/`;
    if (page === 'app') return `${root}${ma}/`;
    const m = ma as ModelAdmin;
    const base = `${root}${m.opts.appLabel}/${m.opts.modelName}/`;
    if (page === 'changelist') return base;
    if (page === 'add') return `${base}add/`;
    return `${base}${encodeURIComponent(String(pk))}/${page}/`;
  }

  /** Only active staff users get in (override for other rules). */
  hasPermission(req: Request): boolean {
    const u = req.user;
    return Boolean(u?.isAuthenticated && u.isActive && u.isStaff);
  }

  /**
   * Wraps an admin view in the one staff check: others are redirected to the login page with `next`.
   * Per-model permissions are checked by the views themselves, which know the object.
   */
  adminView<V extends (req: Request, params: Record<string, any>) => unknown>(view: V): (req: Request, params: Record<string, any>) => unknown {
    const wrapped = async (req: Request, params: Record<string, any>) => {
      if (!this.hasPermission(req)) {
        return redirect(`${this.urlFor('login')}?next=${encodeURIComponent(req.originalUrl ?? req.url)}`);
      }
      const res = await view(req, params);
      if (res && typeof res === 'object' && 'headers' in (res as object)) {
        const headers = (res as { headers: Record<string, string> }).headers;
        if (headers && !headers['cache-control'] && !headers['Cache-Control']) headers['cache-control'] = 'no-cache, no-store, must-revalidate, private';
      }
      return res;
    };
    Object.defineProperty(wrapped, 'name', { value: view.name || 'adminView' });
    return wrapped;
  }

  /** The apps and models this user may see (the index, the app index and the nav sidebar). */
  async getAppList(req: Request, onlyLabel?: string): Promise<AppEntry[]> {
    const apps = new Map<string, AppEntry>();
    for (const ma of this.registry.values()) {
      const { appLabel, verboseNamePlural, name } = ma.opts;
      if (onlyLabel && appLabel !== onlyLabel) continue;
      const perms = await ma.getModelPerms(req);
      if (!Object.values(perms).some(Boolean)) continue;
      let app = apps.get(appLabel);
      if (!app) {
        app = { name: APP_NAMES[appLabel] ? t(APP_NAMES[appLabel]) : capfirst(words(appLabel)), appLabel, appUrl: this.urlFor('app', appLabel), models: [] };
        apps.set(appLabel, app);
      }
      app.models.push({
        name: capfirst(verboseNamePlural),
        objectName: name,
        perms,
        adminUrl: perms.view || perms.change ? this.urlFor('changelist', ma) : null,
        addUrl: perms.add ? this.urlFor('add', ma) : null,
        viewOnly: !perms.change,
        modelAdmin: ma,
      });
    }
    const list = [...apps.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const app of list) app.models.sort((a, b) => a.name.localeCompare(b.name));
    return list;
  }

  /**
   * What every admin page's template sees: site title and header, "View site" URL, the apps of this user,
   * and the URLs of the user tools.
   */
  async eachContext(req: Request): Promise<Record<string, unknown>> {
    const hasPermission = this.hasPermission(req);
    return {
      // Looked up like every admin string: the defaults are in the catalogue, a title of yours comes back as it is.
      siteTitle: t(this.siteTitle),
      siteHeader: t(this.siteHeader),
      siteUrl: this.siteUrl,
      hasPermission,
      availableApps: hasPermission ? await this.getAppList(req) : [],
      isPopup: false,
      showNavSidebar: true,
      adminIndexUrl: this.urlFor('index'),
      adminLogoutUrl: this.urlFor('logout'),
      adminPasswordChangeUrl: this.urlFor('password_change'),
      adminLoginUrl: this.urlFor('login'),
      // The admin's strings: {{ t('Add {name}', { name }) }} in its templates, the scripts' ones as a JSON island.
      t,
      languageCode: languageCode(),
      jsCatalogue: jsCatalogue(),
    };
  }

  /** The first template of model → app → default that exists: `admin/blog/post/change_form.html` … */
  selectTemplate(name: string, ma?: ModelAdmin, override?: string): string {
    const candidates = [
      ...(override ? [override] : []),
      ...(ma ? [`admin/${ma.opts.appLabel}/${ma.opts.modelName}/${name}`, `admin/${ma.opts.appLabel}/${name}`] : []),
      `admin/${name}`,
    ];
    for (const c of candidates) {
      try { if (templateExists(c)) return c; } catch { /* an unreadable folder: try the next */ }
    }
    return candidates[candidates.length - 1];
  }

  /** The URL patterns of the site, with Django's names (mounted with the `admin` namespace). */
  getUrls(): unknown[] {
    const site = (view: SiteView) => this.adminView((req, params) => view(req, this, params));
    const open = (view: SiteView) => (req: Request, params: Record<string, any>) => view(req, this, params);
    const urls: unknown[] = [
      path('', site(siteViews.indexView), { name: 'index' }),
      path('login/', open(siteViews.loginView), { name: 'login' }),
      path('logout/', open(siteViews.logoutView), { name: 'logout' }),
      path('password_change/', site(siteViews.passwordChangeView), { name: 'password_change' }),
      path('password_change/done/', site(siteViews.passwordChangeDoneView), { name: 'password_change_done' }),
    ];
    urls.push(path('autocomplete/', site((req) => autocompleteView(req, this)), { name: 'autocomplete' }));
    for (const ma of this.registry.values()) urls.push(include(`${ma.opts.appLabel}/${ma.opts.modelName}/`, this.modelUrls(ma) as any));
    urls.push(path('<str:appLabel>/', site(siteViews.appIndexView), { name: 'app_list' }));
    return urls;
  }

  /** The pages of one model: changelist, add, history, delete, change (names `<label>_<model>_<page>`). */
  modelUrls(ma: ModelAdmin): unknown[] {
    // The view looks its ModelAdmin up on each request: unregister() hides the pages, a new register() serves them.
    const model = (view: ModelView) => this.adminView((req, params) => {
      const current = this.registry.get(ma.model);
      if (!current) throw new Http404('The requested admin page does not exist.');
      return view(req, current, params);
    });
    const list: ModelView = (req, m) => changelistView(req, m as any);
    const prefix = `${ma.opts.appLabel}_${ma.opts.modelName}`;
    // BIGINT keys go through the `bigint` converter: a path number is served exactly or not at all (a 404).
    const id = hasBigintPk(ma.model) ? '<bigint:objectId>' : '<str:objectId>';
    return [
      path('', model(list), { name: `${prefix}_changelist` }),
      path('add/', model(objectViews.addView), { name: `${prefix}_add` }),
      ...ma.getExtraUrls(),
      path(`${id}/history/`, model(historyView), { name: `${prefix}_history` }),
      path(`${id}/delete/`, model(deleteView), { name: `${prefix}_delete` }),
      path(`${id}/change/`, model(objectViews.changeView), { name: `${prefix}_change` }),
      path(`${id}/`, model(objectViews.objectRedirectView)),
    ];
  }

  private mounted = false;
  private readonly mountedModels = new Set<any>();

  /** Mounts the site under ADMIN_URL (the battery calls this once the app is built, after the app file's register()s). */
  mount(): void {
    include(this.root.replace(/^\//, ''), this.getUrls() as any, { namespace: 'admin' });
    for (const model of this.registry.keys()) this.mountedModels.add(model);
    this.mounted = true;
  }

  /** A model registered after the app was built still gets its pages (Django builds its URLs lazily, too). */
  private mountLate(ma: ModelAdmin): void {
    if (!this.mounted || this.mountedModels.has(ma.model)) return;
    this.mountedModels.add(ma.model);
    include(`${this.root.replace(/^\//, '')}${ma.opts.appLabel}/${ma.opts.modelName}/`, this.modelUrls(ma) as any, { namespace: 'admin' });
  }
}

/** The default site, `admin` in the public API. */
export const site = new AdminSite();
