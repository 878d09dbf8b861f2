// STUB (owned by the templates helper): nunjucks environment, template helpers, render().
import type { Request } from 'express';
import { Response } from './responses';
export const template = {
  filter(_n: string, _f: (...a: any[]) => unknown): void {},
  global(_n: string, _f: (...a: any[]) => unknown): void {},
  simpleTag(_n: string, _f: (...a: any[]) => unknown): void {},
  test(_n: string, _f: (...a: any[]) => boolean): void {},
  add(_n: string, _s: string): void {},
};
export function render(_req: Request, _name: string, _ctx: Record<string, unknown> = {}, _init: { status?: number; headers?: Record<string, string> } = {}): Response { return new Response(''); }
export function renderToString(_name: string, _ctx: Record<string, unknown> = {}, _req?: Request): string { return ''; }
export function templateExists(_name: string): boolean { return false; }
export function getEnvironment(): any { return undefined; }
