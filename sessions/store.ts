// Session stores: the app's database (table sessions_session), Redis for `redis://…`, memory for tests.
import { MemoryStore, Store, type SessionData } from 'express-session';
import type { Model, ModelStatic } from 'sequelize';
import { DataTypes, model } from '../core/db/models';
import { Op } from '../core/db/op';
import type { Settings } from '../core/conf/settings';
import { loadDrivers } from '../core/conf/drivers';

type Callback = (err?: unknown, data?: any) => void;

let SessionModel: ModelStatic<Model> | undefined;

/** Defines the Session model (app label `sessions`); called once by the sessions battery. */
export function defineSessionModel(): ModelStatic<Model> {
  SessionModel = model('Session', {
    sessionKey: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    sessionData: { type: DataTypes.TEXT, allowNull: false },
    expireDate: { type: DataTypes.DATE, allowNull: false },
  }, {
    appLabel: 'sessions', tableName: 'sessions_session', timestamps: false,
    indexes: [{ name: 'sessions_session_expire_date', fields: ['expireDate'] }],
    display: 'sessionKey',
  } as any);
  return SessionModel;
}

/** The Session model, once the sessions battery is on. */
export function getSessionModel(): ModelStatic<Model> {
  if (!SessionModel) throw new Error('The sessions battery is not set up.');
  return SessionModel;
}

/** Deletes expired rows from sessions_session; returns how many went. `clearsessions` and the store call it. */
export async function clearExpiredSessions(): Promise<number> {
  return getSessionModel().destroy({ where: { expireDate: { [Op.lt]: new Date() } } });
}

/** How often (one `set` in N) the database store sweeps expired rows, so the table doesn't grow forever. */
const SWEEP_EVERY = 200;

function expiryOf(sess: SessionData, ageSeconds: number): Date {
  const e = sess?.cookie?.expires;
  const d = e ? new Date(e) : new Date(Date.now() + ageSeconds * 1000);
  return Number.isNaN(d.getTime()) ? new Date(Date.now() + ageSeconds * 1000) : d;
}

/**
 * An express-session store on the app's database: sessions survive restarts and are shared by every process.
 * Expired rows read as missing, and are swept now and then (and by `clearsessions`). No `touch`: as in Django,
 * a session expires SESSION_COOKIE_AGE after it was last changed, so reading one costs no write.
 */
export class DatabaseStore extends Store {
  private writes = 0;
  constructor(private readonly ageSeconds: number) { super(); }

  override get(sid: string, cb: Callback): void {
    this.run(cb, async () => {
      const row = (await getSessionModel().findByPk(sid)) as any;
      if (!row) return null;
      if (new Date(row.expireDate).getTime() <= Date.now()) {
        await row.destroy();
        return null;
      }
      try { return JSON.parse(row.sessionData); } catch { return null; }
    });
  }

  override set(sid: string, sess: SessionData, cb?: Callback): void {
    this.run(cb, async () => {
      await getSessionModel().upsert({ sessionKey: sid, sessionData: JSON.stringify(sess), expireDate: expiryOf(sess, this.ageSeconds) });
      if (++this.writes % SWEEP_EVERY === 0) await clearExpiredSessions();
    });
  }

  override destroy(sid: string, cb?: Callback): void {
    this.run(cb, () => getSessionModel().destroy({ where: { sessionKey: sid } }));
  }

  override clear(cb?: Callback): void {
    this.run(cb, () => getSessionModel().destroy({ where: {}, truncate: false }));
  }

  override length(cb: Callback): void {
    this.run(cb, () => getSessionModel().count({ where: { expireDate: { [Op.gt]: new Date() } } }));
  }

  private run(cb: Callback | undefined, fn: () => Promise<unknown>): void {
    fn().then((v) => cb?.(null, v ?? null), (err) => cb?.(err));
  }
}

export interface ConfiguredStore {
  kind: 'database' | 'memory' | 'redis';
  store: Store;
  /** The Redis client when sessions are on Redis (login throttling uses it too). */
  redis?: any;
  close(): Promise<void>;
}

/** True when a session holds nothing but its cookie (after logout, or when passport dropped a stale user). */
function isEmptySession(sess: SessionData): boolean {
  return Object.entries(sess ?? {}).every(([k, v]) => k === 'cookie' || v === undefined
    || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
}

/**
 * Stores never keep an empty session: express-session saves the fresh session that logout's regenerate makes,
 * and Django keeps no row for it either. Deleting instead keeps the table to sessions that hold something.
 */
function skipEmpty(store: Store): Store {
  const set = store.set.bind(store);
  store.set = (sid: string, sess: SessionData, cb?: Callback) => (isEmptySession(sess) ? store.destroy(sid, cb) : set(sid, sess, cb));
  return store;
}

/** Builds the store SESSION_STORE names; a Redis client connects in the background and is closed by `close()`. */
export function createStore(settings: Settings): ConfiguredStore {
  const made = buildStore(settings);
  skipEmpty(made.store);
  return made;
}

function buildStore(settings: Settings): ConfiguredStore {
  const kind = settings.SESSION_STORE;
  if (kind === 'memory') return { kind: 'memory', store: new MemoryStore(), close: async () => {} };
  if (kind === 'database') return { kind: 'database', store: new DatabaseStore(settings.SESSION_COOKIE_AGE), close: async () => {} };
  const drivers = loadDrivers('redis', `SESSION_STORE ${kind.replace(/\/\/[^@/]*@/, '//***@')}`);
  const { createClient } = drivers.redis;
  const { RedisStore } = drivers['connect-redis'];
  const client = createClient({ url: kind });
  let reported = false;
  client.on('error', (err: Error) => {
    // One line per outage, not one per reconnection attempt; requests fail with a clear 500 meanwhile.
    if (!reported) process.stderr.write(`manouche: session store ${kind.replace(/\/\/[^@/]*@/, '//***@')}: ${err.message}\n`);
    reported = true;
  });
  client.on('ready', () => { reported = false; });
  const connecting = client.connect().catch(() => undefined);
  const store = new RedisStore({ client, prefix: 'manouche:sess:', ttl: settings.SESSION_COOKIE_AGE });
  return {
    kind: 'redis', store, redis: client,
    async close() {
      await connecting;
      if (client.isOpen) await (client.close ? client.close() : client.quit()).catch(() => undefined);
    },
  };
}
