// LogEntry: one row per add/change/delete made through the admin (who, when, what), shown in history and on the index.
import type { Request } from 'express';
import { displayOf, modelMeta, pkOf } from './introspect';
import { t } from './i18n';
import { whenModelsDefined } from '../core/db/deferred';

export const ADDITION = 1;
export const CHANGE = 2;
export const DELETION = 3;

/** Django's JSON change message: `[{ added: {} }]`, `[{ changed: { fields: ['Title'] } }]`, `[{ deleted: {} }]`. */
export type ChangeMessage = Array<Record<string, { fields?: string[]; name?: string; object?: string }>>;

let LogEntry: any;

/** Defines the LogEntry model (app label `admin`, table `admin_logentry`); called by the admin battery's setup. */
export function defineLogEntry(model: (...a: any[]) => any, DataTypes: any, User: any): any {
  LogEntry = model('LogEntry', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    actionTime: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'auth_user', key: 'id' }, onDelete: 'CASCADE' },
    appLabel: { type: DataTypes.STRING(100), allowNull: false },
    modelName: { type: DataTypes.STRING(100), allowNull: false },
    objectId: { type: DataTypes.TEXT, allowNull: true },
    objectRepr: { type: DataTypes.STRING(200), allowNull: false },
    actionFlag: { type: DataTypes.INTEGER, allowNull: false },
    changeMessage: { type: DataTypes.TEXT, allowNull: false },
  }, { appLabel: 'admin', tableName: 'admin_logentry', timestamps: false, ordering: ['-actionTime'], verboseName: 'log entry', verboseNamePlural: 'log entries' });
  if (User) whenModelsDefined(() => LogEntry.belongsTo(User, { as: 'user', foreignKey: 'userId', onDelete: 'CASCADE' }));
  return LogEntry;
}

/** The LogEntry model (after the admin battery's setup). */
export function getLogEntry(): any {
  return LogEntry;
}

/**
 * Writes one log entry for `obj` by the request's user (inside `transaction` when given).
 * @example await logAction(req, post, CHANGE, [{ changed: { fields: ['Title'] } }])
 */
export async function logAction(req: Request, obj: any, flag: number, message: ChangeMessage, transaction?: unknown, repr?: string): Promise<any> {
  if (!LogEntry || !req.user?.id) return null;
  const { appLabel, modelName } = modelMeta(obj.constructor);
  return LogEntry.create({
    userId: req.user.id,
    appLabel,
    modelName,
    objectId: String(pkOf(obj)),
    objectRepr: (repr ?? displayOf(obj)).slice(0, 200),
    actionFlag: flag,
    changeMessage: JSON.stringify(message),
  }, { transaction });
}

/** Django's wording of a change message, in LANGUAGE_CODE when shown (the log stores JSON): "Added.", "Changed Title and Body.". */
export function describeChange(entry: { actionFlag: number; changeMessage: string }): string {
  let parsed: ChangeMessage = [];
  try { parsed = JSON.parse(entry.changeMessage || '[]'); } catch { return entry.changeMessage; }
  const parts: string[] = [];
  for (const item of parsed) {
    if (item.added) parts.push(item.added.name ? t('Added {name} “{object}”.', item.added) : t('Added.'));
    else if (item.changed) {
      const fields = joinAnd(item.changed.fields ?? []);
      parts.push(item.changed.name ? t('Changed {fields} for {name} “{object}”.', { ...item.changed, fields }) : t('Changed {fields}.', { fields }));
    } else if (item.deleted) parts.push(item.deleted.name ? t('Deleted {name} “{object}”.', item.deleted) : t('Deleted.'));
  }
  if (parts.length) return parts.join(' ');
  return entry.actionFlag === ADDITION ? t('Added.') : entry.actionFlag === DELETION ? t('Deleted.') : t('No fields changed.');
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return t('{first} and {last}', { first: items.slice(0, -1).join(', '), last: items[items.length - 1] });
}
