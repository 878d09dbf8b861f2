// What the object pages (change, delete, history, password) share: the app's display name and the answer to a missing pk.
import type { Request } from 'express';
import { redirect } from '../../core/http/responses';
import { messages } from '../../sessions';
import { capfirst } from '../introspect';
import type { ModelAdmin } from '../model-admin';
import { t } from '../i18n';

/** Django's answer to a pk that matches nothing (tampered, or deleted meanwhile): a warning and the index. */
export function missingObject(req: Request, ma: ModelAdmin, objectId: unknown) {
  messages.warning(req, t('{name} with ID “{id}” doesn’t exist. Perhaps it was deleted?', { name: capfirst(ma.opts.verboseName), id: String(objectId) }));
  return redirect(ma.site.urlFor('index'));
}

/** The app's name as the index shows it, for breadcrumbs. */
export function appName(ma: ModelAdmin, ctx: Record<string, any>): string {
  const app = (ctx.availableApps as Array<{ appLabel: string; name: string }> | undefined)?.find((a) => a.appLabel === ma.opts.appLabel);
  return app?.name ?? capfirst(ma.opts.appLabel);
}
