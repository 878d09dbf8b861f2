// API tokens: one or more per user, only a SHA-256 of the key stored, the key shown once; `lastUsed` kept up to date.
import crypto from 'node:crypto';
import type { Model, ModelStatic } from 'sequelize';
import { model, DataTypes } from '../core/db/models';
import { whenModelsDefined } from '../core/db/deferred';

let Token: ModelStatic<Model> | undefined;

/** The Token model (api_token), once the api battery is set up with auth. */
export function tokenModel(): ModelStatic<Model> | undefined {
  return Token;
}

/** Defines api_token against the auth User model (its migration is api/migrations/0001_initial.js). */
export function defineTokenModel(User: ModelStatic<Model>): ModelStatic<Model> {
  Token = model('Token', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    keyHash: { type: DataTypes.STRING(64), allowNull: false, unique: true, editable: false } as never,
    prefix: { type: DataTypes.STRING(8), allowNull: false, editable: false } as never,
    name: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
    created: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW, editable: false } as never,
    lastUsed: { type: DataTypes.DATE, allowNull: true, editable: false } as never,
  }, {
    appLabel: 'api', tableName: 'api_token', timestamps: false, ordering: ['-created'],
    display: (t: { prefix: string; name: string }) => `${t.prefix}…${t.name ? ` (${t.name})` : ''}`,
  });
  whenModelsDefined(() => Token!.belongsTo(User, { as: 'user', foreignKey: { name: 'userId', allowNull: false }, onDelete: 'CASCADE' }));
  return Token;
}

/** Keys are 40 hex characters (160 random bits, as Django REST Framework's): a fast hash is safe at that entropy. */
export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

/**
 * Creates a token for a user and returns its key: the only time it exists in clear.
 * @example const key = await createToken(user, 'ci'); // send it as `Authorization: Token <key>`
 */
export async function createToken(user: { id: unknown }, name = ''): Promise<string> {
  if (!Token) throw new Error('Tokens need the api and auth batteries: configure({ api: true, auth: true }).');
  const key = crypto.randomBytes(20).toString('hex');
  await Token.create({ keyHash: hashKey(key), prefix: key.slice(0, 8), name, userId: user.id });
  return key;
}

/** lastUsed is written at most once a minute per token: a busy client must not turn every read into a write. */
const LAST_USED_GRANULARITY = 60_000;

/** The active user behind a key, or null (unknown key, inactive user). Updates `lastUsed`. */
export async function userForKey(key: string, User: ModelStatic<Model>): Promise<any | null> {
  if (!Token || !/^[0-9a-f]{40}$/.test(key)) return null;
  const token = (await Token.findOne({ where: { keyHash: hashKey(key) } })) as any;
  if (!token) return null;
  const user = (await User.findByPk(token.userId)) as any;
  if (!user || !user.isActive) return null;
  const last = token.lastUsed ? new Date(token.lastUsed).getTime() : 0;
  if (Date.now() - last > LAST_USED_GRANULARITY) await Token.update({ lastUsed: new Date() }, { where: { id: token.id } });
  return user;
}
