// User and Group in the admin out of the box: add form with the password twice, no hash ever shown, a password page.
import type { Request } from 'express';
import { PermissionDenied } from '../../core/conf/errors';
import { path } from '../../core/urls/router';
import { redirect } from '../../core/http/responses';
import { render } from '../../core/http/shortcuts';
import { messages } from '../../sessions';
import { ModelForm, type FormOptions } from '../forms';
import { displayOf, pkOf, type FieldInfo } from '../introspect';
import { ModelAdmin, type Fieldset } from '../model-admin';
import type { AdminSite } from '../site';
import { escapeHtml } from '../widgets';
import { appName, missingObject } from './common';
import { changePasswordAndKeepSession, passwordHelp, validate } from './site';
import { t } from '../i18n';

/** HTML a ModelAdmin method may return for a read-only field (otherwise everything is escaped). */
export function safeHtml(html: string): { __html: string } {
  return { __html: html };
}

const passwordField = (name: string, label: string, help = ''): FieldInfo => ({
  name, kind: 'password', verboseName: label, helpText: help, required: true, allowNull: false, primaryKey: false, editable: true, unique: false, virtual: true,
} as FieldInfo);

/** The user add form: username and the password twice, checked by auth's validators. */
class UserCreationForm extends ModelForm {
  constructor(model: any, instance: any, opts: FormOptions) {
    super(model, instance, { ...opts, extraFields: [
      passwordField('password1', 'password', passwordHelp().join(' ')),
      passwordField('password2', 'password confirmation', 'Enter the same password as before, for verification.'),
    ] });
  }

  override async validate(obj: any, transaction?: unknown): Promise<boolean> {
    await super.validate(obj, transaction);
    const p1 = this.cleaned.password1 as string | undefined;
    const p2 = this.cleaned.password2 as string | undefined;
    if (p1 && p2 && p1 !== p2) this.addError('password2', t('The two password fields didn’t match.'));
    else if (p2) for (const problem of validate(p2, obj)) this.addError('password2', problem);
    return this.isValid;
  }
}

/** Django's UserAdmin: the list, the filters, the fieldsets, and a separate page to set a password. */
export class UserAdmin extends ModelAdmin {
  override listDisplay = ['username', 'email', 'firstName', 'lastName', 'isStaff'];
  override listFilter: unknown[] = ['isStaff', 'isSuperuser', 'isActive', 'groups'];
  override searchFields = ['username', 'firstName', 'lastName', 'email'];
  override ordering = ['username'];
  override readonlyFields = ['passwordInfo'];
  override filterHorizontal = ['groups', 'userPermissions'];
  override fieldsets: Fieldset[] = [
    [null, { fields: ['username', 'passwordInfo'] }],
    ['Personal info', { fields: ['firstName', 'lastName', 'email'] }],
    ['Permissions', { fields: ['isActive', 'isStaff', 'isSuperuser', 'groups', 'userPermissions'] }],
    ['Important dates', { fields: ['lastLogin', 'dateJoined'] }],
  ];
  addFieldsets: Fieldset[] = [[null, { fields: ['username', 'password1', 'password2'] }]];
  // Django's wording for the flags and relations.
  override labels = { isActive: 'active', isStaff: 'staff status', isSuperuser: 'superuser status', userPermissions: 'user permissions' };
  override helpTexts = {
    username: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
    isActive: 'Designates whether this user should be treated as active. Unselect this instead of deleting accounts.',
    isStaff: 'Designates whether the user can log into this admin site.',
    isSuperuser: 'Designates that this user has all permissions without explicitly assigning them.',
    groups: 'The groups this user belongs to. A user will get all permissions granted to each of their groups.',
    userPermissions: 'Specific permissions for this user.',
  };

  override getFieldsets(req: Request, obj?: any): Fieldset[] {
    return obj ? super.getFieldsets(req, obj) : this.addFieldsets;
  }

  override getForm(req: Request, obj: any, opts: FormOptions): ModelForm {
    return obj ? super.getForm(req, obj, opts) : new UserCreationForm(this.model, null, { labels: this.labels, helpTexts: this.helpTexts, ...opts });
  }

  /** The password as the change form shows it: never the hash, only a link to change it. */
  passwordInfo(obj: any) {
    const url = this.site.urlFor('password', this, pkOf(obj));
    return safeHtml(escapeHtml(t('Raw passwords are not stored, so there is no way to see the user’s password, but you can change the password using {link}.', { link: '\u0000' })).replace('\u0000', `<a href="${escapeHtml(url)}">${escapeHtml(t('this form'))}</a>`));
  }

  override async saveModel(req: Request, obj: any, form: ModelForm, change: boolean): Promise<void> {
    if (!change) await obj.setPassword(String(form.cleaned.password1));
    await super.saveModel(req, obj, form, change);
  }

  override getExtraUrls(): unknown[] {
    const view = (this.site as AdminSite).adminView((req: Request, params: Record<string, any>) => userPasswordView(req, this, params));
    return [path('<str:objectId>/password/', view, { name: 'auth_user_password_change' })];
  }
}
(UserAdmin.prototype.passwordInfo as { shortDescription?: string }).shortDescription = 'password';

/** Django's GroupAdmin: a name and its permissions. */
export class GroupAdmin extends ModelAdmin {
  override searchFields = ['name'];
  override ordering = ['name'];
  override fields = ['name', 'permissions'];
  override filterHorizontal = ['permissions'];
}

/** "Change password: bob": an admin with change permission sets another user's password. */
export async function userPasswordView(req: Request, ma: ModelAdmin, params: Record<string, any>) {
  const user = await ma.getObject(req, params.objectId);
  if (!user) return missingObject(req, ma, params.objectId);
  if (!(await ma.hasChangePermission(req, user))) throw new PermissionDenied();
  const errors: Record<string, string[]> = {};
  if (req.method === 'POST') {
    const p1 = String(req.body?.password1 ?? '');
    const p2 = String(req.body?.password2 ?? '');
    if (!p1) errors.password1 = [t('This field is required.')];
    if (!p2) errors.password2 = [t('This field is required.')];
    else if (p1 && p1 !== p2) errors.password2 = [t('The two password fields didn’t match.')];
    else if (p1) { const problems = validate(p2, user); if (problems.length) errors.password2 = problems; }
    if (!Object.keys(errors).length) {
      await changePasswordAndKeepSession(req, user, p1);
      await ma.logChange(req, user, [{ changed: { fields: ['Password'] } }]);
      messages.success(req, t('Password changed successfully.'));
      return redirect(ma.site.urlFor('change', ma, pkOf(user)));
    }
  }
  const ctx = await ma.site.eachContext(req);
  return render(req, ma.site.selectTemplate('auth/user/change_password.html'), {
    ...ctx, title: t('Change password: {object}', { object: displayOf(user) }), opts: ma.opts, appName: appName(ma, ctx),
    appUrl: ma.site.urlFor('app', ma.opts.appLabel), changelistUrl: ma.site.urlFor('changelist', ma),
    changeUrl: ma.site.urlFor('change', ma, pkOf(user)), original: displayOf(user), username: user.username,
    errors, hasErrors: Object.keys(errors).length > 0, passwordHelp: passwordHelp(),
  });
}

/** Registers User and Group unless the app already did (or the auth battery isn't there). */
export function registerAuthAdmin(site: AdminSite, User: any, Group: any): void {
  if (User && !site.isRegistered(User)) site.register(User, UserAdmin);
  if (Group && !site.isRegistered(Group)) site.register(Group, GroupAdmin);
}
