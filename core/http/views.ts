// Class-based views: `class Archive extends View { get(req, params) {…} }`, one fresh instance per request.
import type { Request } from 'express';
import { MethodNotAllowed } from '../conf/errors';
import type { ViewResult } from './types';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;

/**
 * Base class of class-based views, passed to route() as the class. Each request gets a new instance with
 * `this.request` and `this.params` set; HEAD runs `get`, OPTIONS answers with `Allow`, others get 405.
 * @example
 * class Archive extends View { get(req, { year }) { return json({ year }); } }
 * route('archive/<int:year>/', Archive, { name: 'archive' });
 */
export class View {
  request!: Request;
  params!: Record<string, unknown>;

  /** The uppercase methods this view answers (`GET, HEAD, OPTIONS` for a view with only `get`). */
  static allowedMethods(): string[] {
    const proto = this.prototype as unknown as Record<string, unknown>;
    const out = HTTP_METHODS.filter((m) => m !== 'options' && typeof proto[m] === 'function').map((m) => m.toUpperCase());
    if (out.includes('GET') && !out.includes('HEAD')) out.push('HEAD');
    out.push('OPTIONS');
    return out;
  }

  /** Runs the handler named after the request's method; used by the request pipeline. */
  dispatch(req: Request, params: Record<string, unknown>): ViewResult | Promise<ViewResult> {
    this.request = req;
    this.params = params;
    const self = this as unknown as Record<string, unknown>;
    const method = req.method.toLowerCase();
    let handler = (HTTP_METHODS as readonly string[]).includes(method) ? self[method] : undefined;
    if (typeof handler !== 'function' && method === 'head') handler = self.get;
    if (typeof handler === 'function') return (handler as Function).call(this, req, params);
    const allowed = (this.constructor as typeof View).allowedMethods();
    if (method === 'options') {
      const res = req.res!;
      res.statusCode = 200;
      res.setHeader('Allow', allowed.join(', '));
      res.setHeader('Content-Length', '0');
      res.end();
      return undefined;
    }
    throw new MethodNotAllowed(allowed);
  }
}

/** True when `fn` is a View subclass (route() then instantiates it per request instead of calling it). */
export function isViewClass(fn: unknown): fn is typeof View {
  return typeof fn === 'function' && fn.prototype instanceof View;
}

/** The methods a View subclass answers; for a function view, undefined (it answers every method). */
export function allowedMethods(fn: Function): string[] | undefined {
  return isViewClass(fn) ? fn.allowedMethods() : undefined;
}

/** A readable name for a view in error messages: its function or class name. */
export function viewName(fn: Function): string {
  return fn.name || '(anonymous view)';
}
