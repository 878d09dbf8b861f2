// `dev [addr:port]`: from an empty folder to a working site in one step: makemigrations, migrate, an `admin`
// superuser with a random password (once), then runserver.
import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { closeAll, state } from '../../conf/state';
import { scope } from './help';
import { callCommand, getCommand, type CommandContext, type CommandSpec } from './registry';

interface UserModel {
  count(opts: unknown): Promise<number>;
  findOne(opts: unknown): Promise<unknown>;
  createSuperuser(fields: Record<string, unknown>): Promise<unknown>;
}

// Django's make_random_password alphabet: letters and digits without look-alikes (no l, I, O, 0, 1), and no '-' that
// would make a password typed after a command (`can-login admin -x…`) read as an option.
const PASSWORD_CHARS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A random password of `length` characters from PASSWORD_CHARS (16: about 92 bits).
 * @example randomPassword() // 'k7RfPqa2mXzN4bTw'
 */
export function randomPassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_CHARS[randomInt(PASSWORD_CHARS.length)];
  return out;
}

/**
 * Creates the superuser `admin` with a random password, printed once, unless a superuser already exists.
 * Returns true when it created one. Needs the auth battery (configure({ auth: true }) or admin).
 * @example if (state.switches.auth) await ensureSuperuser(ctx);
 */
export async function ensureSuperuser(ctx: CommandContext): Promise<boolean> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const User = require('../../../index').User as UserModel;
  if ((await User.count({ where: { isSuperuser: true } })) > 0) return false;
  if (await User.findOne({ where: { username: 'admin' } })) {
    ctx.stderr.write(ctx.style.warning(`A user named "admin" exists but is not a superuser; no superuser was created. Run '${scope.prog} createsuperuser' to make one.\n`));
    return false;
  }
  const password = randomPassword();
  await User.createSuperuser({ username: 'admin', email: '', password });
  ctx.stdout.write(`${ctx.style.success('Superuser created.')}\n  username: admin\n  password: ${password}\n`);
  ctx.stdout.write(`This password is shown only once: note it, or change it with '${scope.prog} changepassword admin'.\n\n`);
  return true;
}

const dev: CommandSpec = {
  name: 'dev',
  app: 'manouche',
  help: 'Makes and applies migrations, creates an "admin" superuser if there is none, then starts runserver.',
  longRunning: true,
  addArguments(cmd: Command) {
    cmd.argument('[addrport]', 'port, or address:port, for runserver');
    cmd.option('--noreload', 'do not restart the server when files change');
  },
  async handle(ctx, options, addrport?: string) {
    try {
      for (const step of ['makemigrations', 'migrate']) {
        if (!getCommand(step)) {
          ctx.stderr.write(ctx.style.warning(`The ${step} command is not available; skipping it.\n`));
          continue;
        }
        const code = await callCommand(step, [], ctx);
        if (code !== 0) return code;
      }
      if (state.switches.auth) await ensureSuperuser(ctx);
      return await callCommand('runserver', [...(addrport ? [addrport] : []), ...(options.noreload ? ['--noreload'] : [])], ctx);
    } finally {
      await closeAll();
    }
  },
};

export default dev;
