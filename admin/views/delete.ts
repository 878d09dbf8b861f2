// The delete page: a confirmation listing every related row that goes too, then one transaction that deletes them.
import type { Request } from 'express';
import { PermissionDenied } from '../../core/conf/errors';
import { redirect } from '../../core/http/responses';
import { render } from '../../core/http/shortcuts';
import { messages } from '../../sessions';
import { displayOf, pkName, pkOf } from '../introspect';
import { collectDeleted, deleteCollected } from '../actions';
import type { ModelAdmin } from '../model-admin';
import { appName, missingObject } from './common';
import { t as gettext } from '../i18n';

/** GET: "Are you sure?" with the cascade; POST: delete, log, message, back to the list. */
export async function deleteView(req: Request, ma: ModelAdmin, params: Record<string, any>) {
  const obj = await ma.getObject(req, params.objectId);
  if (!obj) return missingObject(req, ma, params.objectId);
  if (!(await ma.hasDeletePermission(req, obj))) throw new PermissionDenied();
  const repr = displayOf(obj);
  const { nested, modelCount, protected: protectedObjects, permsNeeded } = await collectDeleted([obj], { site: ma.site, req });
  if (req.method === 'POST' && !protectedObjects.length && !permsNeeded.length) {
    // Collected again inside the transaction: rows added since the confirmation page go too.
    await ma.model.sequelize.transaction(async (t: unknown) => {
      const deletion = await collectDeleted([obj], { site: ma.site, req, transaction: t });
      await ma.logDeletion(req, obj, repr, t);
      await deleteCollected(req, ma, deletion, t);
    });
    messages.success(req, gettext('The {name} “{object}” was deleted successfully.', { name: ma.opts.verboseName, object: repr }));
    if (await ma.hasViewOrChangePermission(req)) return redirect(ma.site.urlFor('changelist', ma));
    return redirect(ma.site.urlFor('index'));
  }
  const ctx = await ma.site.eachContext(req);
  return render(req, ma.site.selectTemplate('delete_confirmation.html', ma, ma.deleteConfirmationTemplate), {
    ...ctx,
    title: protectedObjects.length || permsNeeded.length ? gettext('Cannot delete {name}', { name: ma.opts.verboseName }) : gettext('Are you sure?'),
    subtitle: repr,
    opts: ma.opts,
    appName: appName(ma, ctx),
    appUrl: ma.site.urlFor('app', ma.opts.appLabel),
    changelistUrl: ma.site.urlFor('changelist', ma),
    changeUrl: ma.site.urlFor('change', ma, pkOf(obj)),
    objectName: ma.opts.verboseName,
    object: repr,
    deletableObjects: nested,
    modelCount,
    protectedObjects,
    permsNeeded,
    pkName: pkName(ma.model),
  });
}
