// Django's shortcuts: render() a template into an HTML response (the template layer knows nothing of responses).
import type { Request } from 'express';
import { renderToString } from '../template/engine';
import { html, type Response } from './responses';

type ResponseInit = { status?: number; headers?: Record<string, string> };

/**
 * Renders a template into an HTML Response (Django's `render()`).
 * @example route('', async (req) => render(req, 'index.html', { posts: await Post.findAll() }));
 */
export function render(req: Request, name: string, ctx: Record<string, unknown> = {}, init: ResponseInit = {}): Response {
  return html(renderToString(name, ctx, req), init);
}
