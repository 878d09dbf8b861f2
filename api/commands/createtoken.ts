// `createtoken <username> [--name N]`: makes an API token for a user and prints its key, once (only a hash is stored).
import type { Command } from 'commander';
import { CommandError } from '../../core/conf/errors';
import type { CommandSpec } from '../../core/management/commands/registry';
import { authModels, normalizeUsername } from '../../auth/models';
import { createToken } from '../tokens';

/** @example node app.js createtoken alice --name ci */
const createtoken: CommandSpec = {
  name: 'createtoken',
  app: 'api',
  help: 'Creates an API token for a user and prints its key once (send it as "Authorization: Token <key>").',
  addArguments(cmd: Command) {
    cmd.argument('<username>', 'the user the token acts as');
    cmd.option('--name <name>', 'what the token is for, shown in the admin', '');
  },
  async handle(ctx, options, username: string) {
    const m = authModels();
    if (!m) throw new CommandError('createtoken needs the auth battery: configure({ api: true, auth: true }).');
    const name = String(options.name ?? '');
    if (name.length > 100) throw new CommandError('--name may have at most 100 characters.');
    const user = (await m.User.findOne({ where: { username: normalizeUsername(username) } })) as any;
    if (!user) throw new CommandError(`user '${username}' does not exist`);
    if (!user.isActive) throw new CommandError(`user '${username}' is inactive: a token would be refused.`);
    const key = await createToken(user, name);
    ctx.stdout.write(`${key}\n`);
    ctx.stderr.write(`Token created for '${user.username}'. This key is shown only once; revoke it in the admin.\n`);
    return 0;
  },
};

export default createtoken;
