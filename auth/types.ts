// The types of the auth battery's users: the User model's instances, the anonymous user, and what every req.user has.
import type { Model } from 'sequelize';

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
