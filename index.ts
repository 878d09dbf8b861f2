// manouche: Django's batteries for single-file Node.js apps. The core, then each battery's public names.
/* eslint-disable @typescript-eslint/no-require-imports */
import './core/conf/node-version';
import type * as Sessions from './sessions';
import type * as Auth from './auth';
import type * as Admin from './admin';
import type * as Api from './api';
import type * as Zod from 'zod';
import { lazyExports } from './core/conf/lazy';

export * from './core';

// A battery's module loads when configure() switches it on, or when the app first reads one of its names: an app
// that switches none on never loads express-session, passport or the admin. Each list is declared, then defined.
export declare const { csrfExempt, messages }: typeof Sessions;
export declare const { User, Group, Permission, login, logout, authenticate, loginRequired, permissionRequired, passport }: typeof Auth;
export declare const { admin, ModelAdmin }: typeof Admin;
export type ModelAdmin<M = unknown> = Admin.ModelAdmin<M>;
export declare const { api, ApiError }: typeof Api;
export type ApiError = Api.ApiError;
export type { ResourceOptions, EndpointOptions, StandardSchemaV1 } from './api';
export type { AuthUser, AnonymousUser, UserAttributes } from './auth/types';
/** zod 4, re-exported for the API's schemas (any Standard Schema library works). */
export declare const { z }: typeof Zod;

lazyExports(exports, () => require('./sessions'), ['csrfExempt', 'messages']);
lazyExports(exports, () => require('./auth'), ['User', 'Group', 'Permission', 'login', 'logout', 'authenticate', 'loginRequired', 'permissionRequired', 'passport']);
lazyExports(exports, () => require('./admin'), ['admin', 'ModelAdmin']);
lazyExports(exports, () => require('./api'), ['api', 'ApiError']);
lazyExports(exports, () => require('zod'), ['z']);
