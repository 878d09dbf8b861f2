// STUB (owned by the routing helper): URL patterns, converters, reverse().
import type { RequestHandler, Router } from 'express';
export type UrlPattern = { pattern: string | RegExp; name?: string };
export const urlpatterns: UrlPattern[] = [];
const ni = (): never => { throw new Error('not implemented yet'); };
export function route(..._a: unknown[]): any { return ni(); }
export function path(..._a: unknown[]): UrlPattern { return ni(); }
export function include(_prefix: string, _target: Router | UrlPattern[]): UrlPattern { return ni(); }
export function use(_mw: RequestHandler): void { ni(); }
export function reverse(_name: string, _params?: Record<string, unknown>): string { return ni(); }
export function registerConverter(_name: string, _c: { regex: string; toJs?: (s: string) => unknown; toUrl?: (v: unknown) => string }): void { ni(); }
