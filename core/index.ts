// The core of manouche, as a table of contents: configure, routes, views, templates, models, commands, tests, errors.
// What every app runs at import (configure, routes, run, errors) loads with it; the rest loads when first read: an app
// that never defines a model, renders a template or writes a test does not load their modules (or sequelize, nunjucks
// and node:test behind them).
/* eslint-disable @typescript-eslint/no-require-imports */
import './http/types';
import type * as Views from './http/views';
import type * as Responses from './http/responses';
import type * as Templates from './template/engine';
import type * as Shortcuts from './http/shortcuts';
import type * as Models from './db/models';
import type * as Rows from './db/rows';
import type * as Registry from './management/commands/registry';
import type * as Runner from './test/runner';
import type * as TestClient from './test/client';
import { lazyExports } from './conf/lazy';

export { configure, settings, getAppLabel } from './conf/configure';
export { run, getApp } from './app';
export {
  route, path, include, use, urlpatterns, reverse, registerConverter,
  type ViewFunction, type ViewLike, type RouteOptions, type UrlPattern,
} from './urls/router';
export type { Converters, RouteParams, RegexParams, Routes } from './urls/params';
export type { HttpRequest, SessionData } from './http/types';
export {
  ManoucheError, ImproperlyConfigured, HttpError, Http404, PermissionDenied, BadRequest, MethodNotAllowed,
  NoReverseMatch, CommandError, ValidationError, ERRORS,
} from './conf/errors';
export { registerCheck, type CheckMessage } from './conf/state';
export type { Settings, CustomSettings, ConfigureInput } from './conf/settings';

// Each list is declared (with its classes' types), then defined as getters that load the module once.
export declare const { View }: typeof Views;
export type View = Views.View;
export declare const { Response, html, text, json, redirect, fileResponse }: typeof Responses;
export type Response = Responses.Response;
export declare const { template, renderToString, templateExists, TemplateDoesNotExist }: typeof Templates;
export type TemplateDoesNotExist = Templates.TemplateDoesNotExist;
export declare const { render }: typeof Shortcuts;
export declare const { model, db }: typeof Models;
export declare const DataTypes: typeof Models.DataTypes;
export declare const Model: typeof Models.Model;
export declare const Op: typeof Models.Op;
export type Model<TAttributes extends {} = any, TCreation extends {} = TAttributes> = Models.Model<TAttributes, TCreation>;
export type { InferAttributes, InferCreationAttributes, InstanceOf, AttributeNames, TypedModel, TypedInstance, TypedDataTypes } from './db/typed';
export declare const { rows, rowReader, countRows }: typeof Rows;
export type { RowsOptions, RowReader } from './db/rows';
export declare const { command, BaseCommand, callCommand }: typeof Registry;
export type BaseCommand = Registry.BaseCommand;
export type { CommandContext, CommandSpec } from './management/commands/registry';
export type { Command as CommandParser } from 'commander';
export declare const { test }: typeof Runner;
export type { TestContext } from './test/runner';
export declare const { Client }: typeof TestClient;
export type Client = TestClient.Client;

lazyExports(exports, () => require('./http/views'), ['View']);
lazyExports(exports, () => require('./http/responses'), ['Response', 'html', 'text', 'json', 'redirect', 'fileResponse']);
lazyExports(exports, () => require('./template/engine'), ['template', 'renderToString', 'templateExists', 'TemplateDoesNotExist']);
lazyExports(exports, () => require('./http/shortcuts'), ['render']);
lazyExports(exports, () => require('./db/models'), ['model', 'db', 'DataTypes', 'Model', 'Op']);
lazyExports(exports, () => require('./db/rows'), ['rows', 'rowReader', 'countRows']);
lazyExports(exports, () => require('./management/commands/registry'), ['command', 'BaseCommand', 'callCommand']);
lazyExports(exports, () => require('./test/runner'), ['test']);
lazyExports(exports, () => require('./test/client'), ['Client']);
