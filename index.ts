// manouche: Django's batteries for single-file Node.js apps. The core, then each battery's public names.
export * from './core';
export { csrfExempt, messages } from './sessions';
export { User, Group, Permission, login, logout, authenticate, loginRequired, permissionRequired, passport } from './auth';
export { admin, ModelAdmin } from './admin';
export { api, ApiError, type ResourceOptions, type EndpointOptions, type StandardSchemaV1 } from './api';
/** zod 4, re-exported for the API's schemas (any Standard Schema library works). */
export { z } from 'zod';
