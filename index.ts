// manouche: Django's batteries for single-file Node.js apps. This file is the public API's table of contents.
import './core/types';
export { configure, settings, getAppLabel } from './core/configure';
export { run, getApp } from './core/app';
export { route, path, include, use, urlpatterns, reverse, registerConverter, type ViewFunction, type ViewLike, type RouteOptions, type UrlPattern } from './core/router';
export { View } from './core/views';
export { Response, html, text, json, redirect, fileResponse } from './core/responses';
export { template, render, renderToString, templateExists, TemplateDoesNotExist } from './core/templates';
export { model, db, DataTypes, Model, Op } from './core/models';
export { command, BaseCommand, callCommand, type CommandContext, type CommandSpec } from './core/commands/registry';
export { test } from './core/testing';
export { Client } from './core/test-client';
export {
  ManoucheError, ImproperlyConfigured, HttpError, Http404, PermissionDenied, BadRequest, MethodNotAllowed,
  NoReverseMatch, CommandError, ValidationError, ERRORS,
} from './core/errors';
export { registerCheck, type CheckMessage } from './core/state';
export { csrfExempt, messages } from './sessions';
export { User, Group, Permission, login, logout, authenticate, loginRequired, permissionRequired } from './auth';
export { admin, ModelAdmin } from './admin';
export type { Settings } from './core/settings';
