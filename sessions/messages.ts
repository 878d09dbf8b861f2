// One-time messages ("The post was saved."): stored in the session, shown on the next page, then gone.
import type { Request } from 'express';
import type { ContextProcessor } from '../core/conf/state';
import { state } from '../core/conf/state';
import { ImproperlyConfigured } from '../core/conf/errors';

/** Django's message levels; `debug` messages are kept only when DEBUG is on (Django drops them by default). */
export const LEVELS = { debug: 10, info: 20, success: 25, warning: 30, error: 40 } as const;
export type Level = keyof typeof LEVELS;

export interface Message {
  level: number;
  /** The CSS class a template puts on the message: 'success', 'error' … */
  tags: string;
  message: string;
}

type MessagesRequest = Request & { _manoucheMessages?: Message[] };

function add(req: Request, level: Level, text: string): void {
  if (level === 'debug' && !state.settings?.DEBUG) return;
  const sess = (req as Request & { session?: Record<string, any> }).session;
  if (!sess) throw new ImproperlyConfigured('messages need the sessions battery: configure({ sessions: true }) (auth and admin turn it on).');
  const list: Message[] = Array.isArray(sess._messages) ? sess._messages : [];
  list.push({ level: LEVELS[level], tags: level, message: String(text) });
  sess._messages = list;
}

/**
 * Takes the request's pending messages (they won't show again). Templates get them as `messages`;
 * a JSON view may call this itself. Within one request the same list is returned each time.
 * @example for (const m of getMessages(req)) console.log(m.tags, m.message)
 */
export function getMessages(req: Request | undefined): Message[] {
  if (!req) return [];
  const r = req as MessagesRequest & { session?: Record<string, any> };
  if (r._manoucheMessages) return r._manoucheMessages;
  const pending = r.session && Array.isArray(r.session._messages) ? (r.session._messages as Message[]) : [];
  if (r.session && r.session._messages) delete r.session._messages;
  r._manoucheMessages = pending;
  return pending;
}

/**
 * Adds a message for the user's next page, like django.contrib.messages.
 * @example messages.success(req, 'The post “Hello” was added successfully.')
 */
export const messages = {
  debug: (req: Request, text: string): void => add(req, 'debug', text),
  info: (req: Request, text: string): void => add(req, 'info', text),
  success: (req: Request, text: string): void => add(req, 'success', text),
  warning: (req: Request, text: string): void => add(req, 'warning', text),
  error: (req: Request, text: string): void => add(req, 'error', text),
  /** Adds a message at a level given by name. */
  add: (req: Request, level: Level, text: string): void => add(req, level, text),
  get: getMessages,
};

/** Gives every template `messages`: the pending messages, consumed by the first render of the request. */
export const messagesContextProcessor: ContextProcessor = (req) => ({ messages: getMessages(req) });
