// The auth models: User, Group, Permission and their many-to-many tables (auth_user, auth_group, auth_permission …).
import type { Model, ModelStatic } from 'sequelize';
import { DataTypes, model } from '../core/db/models';
import { whenModelsDefined } from '../core/db/deferred';
import { makePassword, makeUnusablePassword, verifyPassword, isPasswordUsable } from './hashers';
import { validatePassword } from './validators';
import { ValidationError } from '../core/conf/errors';

/** Django's username rule: letters, digits and @/./+/-/_ (Unicode letters included), at most 150 characters. */
export const USERNAME_PATTERN = /^[\p{L}\p{N}_.@+-]+$/u;

/** Usernames are compared after NFKC normalisation, so 'ｂｏｂ' (full-width) and 'bob' are the same user. */
export function normalizeUsername(username: unknown): string {
  return typeof username === 'string' ? username.normalize('NFKC') : '';
}

export interface AuthModels {
  User: ModelStatic<Model> & Record<string, any>;
  Group: ModelStatic<Model>;
  Permission: ModelStatic<Model>;
  UserGroups: ModelStatic<Model>;
  UserPermissions: ModelStatic<Model>;
  GroupPermissions: ModelStatic<Model>;
  LoginAttempt: ModelStatic<Model>;
}

let models: AuthModels | undefined;

/** The auth models once the auth battery has defined them. */
export function authModels(): AuthModels | undefined {
  return models;
}

const fk = (table: string) => ({ type: DataTypes.INTEGER, allowNull: false, references: { model: table, key: 'id' }, onDelete: 'CASCADE' });

/** Defines the auth models on the app's database; called once by the auth battery's setup(). */
export function defineAuthModels(): AuthModels {
  const opts = { appLabel: 'auth', timestamps: false } as const;
  const Permission = model('Permission', {
    name: { type: DataTypes.STRING(255), allowNull: false },
    codename: { type: DataTypes.STRING(100), allowNull: false },
    appLabel: { type: DataTypes.STRING(100), allowNull: false },
    model: { type: DataTypes.STRING(100), allowNull: false },
  }, {
    ...opts, tableName: 'auth_permission', ordering: ['appLabel', 'model', 'codename'],
    indexes: [{ name: 'auth_permission_app_codename', unique: true, fields: ['appLabel', 'codename'] }],
    display: (p: any) => `${p.appLabel} | ${p.model} | ${p.name}`,
  });
  const Group = model('Group', {
    name: { type: DataTypes.STRING(150), allowNull: false, unique: true },
  }, { ...opts, tableName: 'auth_group', ordering: ['name'] });
  const User = model('User', {
    password: { type: DataTypes.STRING(255), allowNull: false },
    lastLogin: { type: DataTypes.DATE, allowNull: true },
    isSuperuser: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    username: {
      type: DataTypes.STRING(150), allowNull: false, unique: true,
      validate: { is: { args: USERNAME_PATTERN, msg: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.' } },
    },
    firstName: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
    lastName: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
    email: { type: DataTypes.STRING(254), allowNull: false, defaultValue: '' },
    isStaff: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    dateJoined: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  }, { ...opts, tableName: 'auth_user', ordering: ['username'], display: 'username' }) as AuthModels['User'];
  const through = (name: string, table: string, a: [string, string], b: [string, string]) => model(name, {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    [a[0]]: fk(a[1]),
    [b[0]]: fk(b[1]),
  // belongsToMany adds the unique (a, b) index itself.
  }, { ...opts, tableName: table });
  const UserGroups = through('UserGroups', 'auth_user_groups', ['userId', 'auth_user'], ['groupId', 'auth_group']);
  const UserPermissions = through('UserPermissions', 'auth_user_user_permissions', ['userId', 'auth_user'], ['permissionId', 'auth_permission']);
  const GroupPermissions = through('GroupPermissions', 'auth_group_permissions', ['groupId', 'auth_group'], ['permissionId', 'auth_permission']);
  // Failed logins per username/address (login throttling); a model so that it lives in every supported database.
  const LoginAttempt = model('LoginAttempt', {
    ident: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
    failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    expiresAt: { type: DataTypes.DATE, allowNull: false },
  }, { ...opts, tableName: 'auth_loginattempt' });

  whenModelsDefined(() => {
    User.belongsToMany(Group, { through: UserGroups, as: 'groups', foreignKey: 'userId', otherKey: 'groupId' });
    Group.belongsToMany(User, { through: UserGroups, as: 'users', foreignKey: 'groupId', otherKey: 'userId' });
    User.belongsToMany(Permission, { through: UserPermissions, as: 'userPermissions', foreignKey: 'userId', otherKey: 'permissionId' });
    Group.belongsToMany(Permission, { through: GroupPermissions, as: 'permissions', foreignKey: 'groupId', otherKey: 'permissionId' });
  });

  addUserBehaviour(User, Permission);
  models = { User, Group, Permission, UserGroups, UserPermissions, GroupPermissions, LoginAttempt };
  return models;
}

/** Instance and static methods of User: Django's AbstractUser and UserManager, in camelCase. */
function addUserBehaviour(User: AuthModels['User'], Permission: ModelStatic<Model>): void {
  const proto = User.prototype as any;
  Object.defineProperty(proto, 'isAuthenticated', { get: () => true, configurable: true });
  Object.defineProperty(proto, 'isAnonymous', { get: () => false, configurable: true });

  /** Hashes and sets the password (not saved: call `save()`). */
  proto.setPassword = async function setPassword(this: any, raw: string | null): Promise<void> {
    this.password = raw === null ? makeUnusablePassword() : await makePassword(raw);
    this._permCache = undefined;
  };
  proto.setUnusablePassword = function setUnusablePassword(this: any): void { this.password = makeUnusablePassword(); };
  proto.hasUsablePassword = function hasUsablePassword(this: any): boolean { return isPasswordUsable(this.password); };

  /** True when `raw` is the password; a hash made with a weaker hasher or parameters is upgraded and saved. */
  proto.checkPassword = async function checkPassword(this: any, raw: string): Promise<boolean> {
    const { ok, needsUpgrade } = await verifyPassword(raw, this.password);
    if (ok && needsUpgrade) {
      this.password = await makePassword(raw);
      await this.save({ fields: ['password'] });
    }
    return ok;
  };

  /** Every permission of the user, as 'app_label.codename' strings (own and through groups). Cached per instance. */
  proto.getAllPermissions = async function getAllPermissions(this: any): Promise<Set<string>> {
    if (!this.isActive) return new Set();
    if (this._permCache) return this._permCache;
    const key = (p: any) => `${p.appLabel}.${p.codename}`;
    let perms: any[];
    if (this.isSuperuser) {
      perms = await Permission.findAll();
    } else {
      const own = await this.getUserPermissions();
      const groups = await this.getGroups({ include: [{ association: 'permissions' }] });
      perms = [...own, ...groups.flatMap((g: any) => g.permissions ?? [])];
    }
    this._permCache = new Set(perms.map(key));
    return this._permCache;
  };
  /** `await user.hasPerm('blog.change_post')`: active superusers have every permission; inactive users none. */
  proto.hasPerm = async function hasPerm(this: any, perm: string): Promise<boolean> {
    if (!this.isActive) return false;
    if (this.isSuperuser) return true;
    return (await this.getAllPermissions()).has(perm);
  };
  proto.hasPerms = async function hasPerms(this: any, perms: string[]): Promise<boolean> {
    for (const p of perms) if (!(await this.hasPerm(p))) return false;
    return true;
  };
  /** True when the user has any permission in the app (the admin shows the app then). */
  proto.hasModulePerms = async function hasModulePerms(this: any, appLabel: string): Promise<boolean> {
    if (!this.isActive) return false;
    if (this.isSuperuser) return true;
    for (const p of await this.getAllPermissions()) if (p.startsWith(`${appLabel}.`)) return true;
    return false;
  };
  proto.getUsername = function getUsername(this: any): string { return this.username; };
  proto.getFullName = function getFullName(this: any): string { return `${this.firstName ?? ''} ${this.lastName ?? ''}`.trim(); };
  proto.getShortName = function getShortName(this: any): string { return this.firstName ?? ''; };
  // A user turned to JSON (json({ user })) must never carry the password hash.
  proto.toJSON = function userToJSON(this: any) {
    // sequelize's toJSON, looked up when called: the model may still be waiting for the database (core/db/deferred.ts).
    const out = { ...Object.getPrototypeOf(proto).toJSON.call(this) };
    delete out.password;
    return out;
  };

  /**
   * Creates and saves a user; the password is validated only when `validate: true` (Django's manager doesn't).
   * @example await User.createUser({ username: 'ana', password: 's3cret-enough', email: 'ana@example.com' })
   */
  User.createUser = async function createUser(fields: Record<string, any>, opts: { validate?: boolean } = {}): Promise<any> {
    const { password, ...rest } = fields ?? {};
    if (!rest.username) throw new ValidationError({ username: ['The given username must be set'] });
    rest.username = normalizeUsername(rest.username);
    if (typeof rest.email === 'string') rest.email = normalizeEmail(rest.email);
    const user = User.build(rest) as any;
    if (password === undefined || password === null) user.setUnusablePassword();
    else {
      if (opts.validate) {
        const problems = validatePassword(String(password), rest);
        if (problems.length) throw new ValidationError({ password: problems });
      }
      await user.setPassword(String(password));
    }
    await user.save();
    return user;
  };
  /** @example await User.createSuperuser({ username: 'admin', email: 'a@example.com', password: '…' }) */
  User.createSuperuser = async function createSuperuser(fields: Record<string, any>, opts: { validate?: boolean } = {}): Promise<any> {
    if (fields?.isStaff === false) throw new ValidationError({ isStaff: ['Superuser must have isStaff=true.'] });
    if (fields?.isSuperuser === false) throw new ValidationError({ isSuperuser: ['Superuser must have isSuperuser=true.'] });
    return User.createUser({ ...fields, isStaff: true, isSuperuser: true }, opts);
  };
  /** Finds a user by username after NFKC normalisation. */
  User.findByUsername = async function findByUsername(username: string): Promise<any> {
    return User.findOne({ where: { username: normalizeUsername(username) } });
  };
}

/** Lowercases the domain part of an email, as Django's normalize_email. */
export function normalizeEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email.trim() : `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`.trim();
}
