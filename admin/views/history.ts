// The history page of one object: every log entry (date, user, action) oldest first, as Django's object_history.
import type { Request } from 'express';
import { PermissionDenied } from '../../core/conf/errors';
import { render } from '../../core/http/shortcuts';
import type { Response } from '../../core/http/responses';
import { displayOf, pkOf } from '../introspect';
import { describeChange, getLogEntry } from '../log';
import type { ModelAdmin } from '../model-admin';
import { appName, missingObject } from './common';
import { t } from '../i18n';

export async function historyView(req: Request, ma: ModelAdmin, params: Record<string, any>): Promise<Response> {
  const obj = await ma.getObject(req, params.objectId);
  if (!obj) return missingObject(req, ma, params.objectId);
  if (!(await ma.hasViewOrChangePermission(req, obj))) throw new PermissionDenied();
  const LogEntry = getLogEntry();
  const include = LogEntry?.associations?.user ? [{ association: 'user' }] : [];
  const entries = LogEntry
    ? await LogEntry.findAll({
      where: { appLabel: ma.opts.appLabel, modelName: ma.opts.modelName, objectId: String(pkOf(obj)) },
      order: [['actionTime', 'ASC'], ['id', 'ASC']],
      include,
    })
    : [];
  const ctx = await ma.site.eachContext(req);
  return render(req, ma.site.selectTemplate('object_history.html', ma, ma.objectHistoryTemplate), {
    ...ctx,
    title: t('Change history: {object}', { object: displayOf(obj) }),
    opts: ma.opts,
    appName: appName(ma, ctx),
    appUrl: ma.site.urlFor('app', ma.opts.appLabel),
    changelistUrl: ma.site.urlFor('changelist', ma),
    changeUrl: ma.site.urlFor('change', ma, pkOf(obj)),
    object: displayOf(obj),
    actionList: entries.map((e: any) => ({
      actionTime: e.actionTime instanceof Date ? e.actionTime.toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : String(e.actionTime),
      actionTimeIso: e.actionTime instanceof Date ? e.actionTime.toISOString() : String(e.actionTime),
      user: e.user ? (e.user.getFullName?.() || e.user.username) : '',
      message: describeChange(e),
    })),
  });
}
