// The core of manouche, as a table of contents: configure, routes, views, templates, models, commands, tests, errors.
import './types';

export { configure, settings, getAppLabel } from './configure';
export { run, getApp } from './app';
export {
  route, path, include, use, urlpatterns, reverse, registerConverter,
  type ViewFunction, type ViewLike, type RouteOptions, type UrlPattern,
} from './router';
export { View } from './views';
export { Response, html, text, json, redirect, fileResponse } from './responses';
export { template, render, renderToString, templateExists, TemplateDoesNotExist } from './templates';
export { model, db, DataTypes, Model, Op } from './models';
export { command, BaseCommand, callCommand, type CommandContext, type CommandSpec } from './commands/registry';
export { test } from './testing';
export { Client } from './test-client';
export {
  ManoucheError, ImproperlyConfigured, HttpError, Http404, PermissionDenied, BadRequest, MethodNotAllowed,
  NoReverseMatch, CommandError, ValidationError, ERRORS,
} from './errors';
export { registerCheck, type CheckMessage } from './state';
export type { Settings } from './settings';
