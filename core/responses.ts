// STUB (owned by the routing helper): Response and its shortcuts.
export class Response { constructor(public body: unknown = '', public status = 200, public headers: Record<string, string> = {}) {} }
export function html(body: string, init: { status?: number; headers?: Record<string, string> } = {}): Response { return new Response(body, init.status, init.headers); }
export function text(body: string, init: { status?: number; headers?: Record<string, string> } = {}): Response { return new Response(body, init.status, init.headers); }
export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response { return new Response(data, init.status, init.headers); }
export function redirect(url: string, _o: { permanent?: boolean } = {}): Response { return new Response('', 302, { location: url }); }
export function fileResponse(_p: string): Response { return new Response(); }
