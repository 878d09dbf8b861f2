// The core of manouche, as a table of contents: configure, routes, views, templates, models, commands, tests, errors.
import './http/types';

export { configure, settings, getAppLabel } from './conf/configure';
export { run, getApp } from './app';
export {
  route, path, include, use, urlpatterns, reverse, registerConverter,
  type ViewFunction, type ViewLike, type RouteOptions, type UrlPattern,
} from './urls/router';
export type { Converters, RouteParams, RegexParams, Routes } from './urls/params';
export type { HttpRequest, SessionData } from './http/types';
export { View } from './http/views';
export { Response, html, text, json, redirect, fileResponse } from './http/responses';
export { template, renderToString, templateExists, TemplateDoesNotExist } from './template/engine';
export { render } from './http/shortcuts';
export { model, db, DataTypes, Model, Op } from './db/models';
export type { InferAttributes, InferCreationAttributes, InstanceOf, AttributeNames, TypedModel, TypedInstance, TypedDataTypes } from './db/typed';
export { rows, rowReader, countRows, type RowsOptions, type RowReader } from './db/rows';
export { command, BaseCommand, callCommand, type CommandContext, type CommandSpec } from './management/commands/registry';
export type { Command as CommandParser } from 'commander';
export type { TestContext } from './test/runner';
export { test } from './test/runner';
export { Client } from './test/client';
export {
  ManoucheError, ImproperlyConfigured, HttpError, Http404, PermissionDenied, BadRequest, MethodNotAllowed,
  NoReverseMatch, CommandError, ValidationError, ERRORS,
} from './conf/errors';
export { registerCheck, type CheckMessage } from './conf/state';
export type { Settings, CustomSettings, ConfigureInput } from './conf/settings';
