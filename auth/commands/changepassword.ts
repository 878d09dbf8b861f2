// `changepassword [username]`: sets a user's password from the terminal, as Django's command.
import os from 'node:os';
import type { Command } from 'commander';
import { CommandError } from '../../core/conf/errors';
import type { CommandSpec } from '../../core/management/commands/registry';
import { authModels, normalizeUsername } from '../models';
import { validatePassword } from '../validators';

const MAX_TRIES = 3;

/** @example node app.js changepassword alice */
const changepassword: CommandSpec = {
  name: 'changepassword',
  app: 'auth',
  help: "Changes a user's password (the OS user's name when no username is given). Their other sessions are logged out.",
  addArguments(cmd: Command) {
    cmd.argument('[username]', 'the user whose password to change');
  },
  async handle(ctx, _options, usernameArg?: string) {
    const m = authModels();
    if (!m) throw new CommandError('changepassword needs the auth battery: configure({ auth: true }).');
    let username = usernameArg ? normalizeUsername(usernameArg) : '';
    if (!username) { try { username = os.userInfo().username; } catch { /* no OS user */ } }
    const user = (await m.User.findOne({ where: { username } })) as any;
    if (!user) throw new CommandError(`user '${username}' does not exist`);
    if (!ctx.isTTY) throw new CommandError('changepassword needs a terminal to prompt for the new password.');
    ctx.stdout.write(`Changing password for user '${user.username}'\n`);
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const p1 = await ctx.prompt('Password: ', { hidden: true });
      const p2 = await ctx.prompt('Password (again): ', { hidden: true });
      if (p1 !== p2) { ctx.stdout.write('Passwords do not match. Please try again.\n'); continue; }
      const problems = validatePassword(p2, user);
      if (problems.length) { ctx.stderr.write(`${problems.join('\n')}\n`); continue; }
      await user.setPassword(p2);
      await user.save({ fields: ['password'] });
      ctx.stdout.write(`Password changed successfully for user '${user.username}'\n`);
      return 0;
    }
    throw new CommandError(`Aborting password change for user '${user.username}' after ${MAX_TRIES} attempts`);
  },
};

export default changepassword;
