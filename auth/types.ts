// The types of the auth battery's users: the User model's instances, the anonymous user, and what every req.user has.
import type { Model, ModelStatic } from 'sequelize';

/** The columns of auth_user, as a User instance has them. */
export interface UserAttributes {
  id: number;
  password: string;
  lastLogin: Date | null;
  isSuperuser: boolean;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  isStaff: boolean;
  isActive: boolean;
  dateJoined: Date;
}

/** What User.create()/createUser() need: a username; the rest has defaults (the password may be left unusable). */
export type UserCreationAttributes = Pick<UserAttributes, 'username'> & Partial<Omit<UserAttributes, 'username'>>;

/** What both a logged-in user and the anonymous user answer (Django's AbstractBaseUser and AnonymousUser). */
export interface BaseUser {
  readonly isAuthenticated: boolean;
  readonly isAnonymous: boolean;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  username: string;
  hasPerm(perm: string): Promise<boolean>;
  hasPerms(perms: string[]): Promise<boolean>;
  hasModulePerms(appLabel: string): Promise<boolean>;
  getAllPermissions(): Promise<Set<string>>;
}

/**
 * A saved user (an instance of `User`): its columns and Django's methods, in camelCase.
 * @example if (req.user.isAuthenticated) req.user.email // string
 */
export interface AuthUser extends Model<UserAttributes, UserCreationAttributes>, UserAttributes, BaseUser {
  readonly isAuthenticated: true;
  readonly isAnonymous: false;
  setPassword(raw: string | null): Promise<void>;
  setUnusablePassword(): void;
  hasUsablePassword(): boolean;
  checkPassword(raw: string): Promise<boolean>;
  getUsername(): string;
  getFullName(): string;
  getShortName(): string;
}

/** The user of a request that isn't logged in (`req.user` when nobody is): every permission check says no. */
export interface AnonymousUser extends BaseUser {
  readonly id: null;
  readonly pk: null;
  readonly username: '';
  readonly isAuthenticated: false;
  readonly isAnonymous: true;
  readonly isActive: false;
  readonly isStaff: false;
  readonly isSuperuser: false;
}

/** The User model: sequelize's statics typed with AuthUser, and Django's manager methods. */
export type UserModel = ModelStatic<AuthUser> & {
  /** @example await User.createUser({ username: 'ana', password: 's3cret-enough' }) */
  createUser(fields: UserCreationAttributes & { password?: string | null }, opts?: { validate?: boolean }): Promise<AuthUser>;
  createSuperuser(fields: UserCreationAttributes & { password?: string | null }, opts?: { validate?: boolean }): Promise<AuthUser>;
  /** The user with this username after NFKC normalisation, or null. */
  findByUsername(username: string): Promise<AuthUser | null>;
};

/** A group of users (auth_group). */
export interface GroupAttributes { id: number; name: string }
export type GroupInstance = Model<GroupAttributes, { id?: number; name: string }> & GroupAttributes;
/** A permission (auth_permission): `appLabel.codename`, e.g. `blog.change_post`. */
export interface PermissionAttributes { id: number; name: string; codename: string; appLabel: string; model: string }
export type PermissionInstance = Model<PermissionAttributes, Omit<PermissionAttributes, 'id'> & { id?: number }> & PermissionAttributes;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /**
     * What passport's `req.user` has under manouche, in any express middleware: a User or the anonymous user.
     * (Views get the narrower `AuthUser | AnonymousUser`; declared by merging so @types/passport's `user?: User` stays.)
     */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends BaseUser {
      id: number | null;
    }
  }
}
