// `createsuperuser`: Django's prompts and messages, or `--noinput` with MANOUCHE_SUPERUSER_* variables.
import os from 'node:os';
import type { Command } from 'commander';
import { CommandError } from '../../core/conf/errors';
import type { CommandContext, CommandSpec } from '../../core/management/commands/registry';
import { authModels, normalizeUsername, USERNAME_PATTERN } from '../models';
import { validatePassword } from '../validators';
import { MAX_PASSWORD_LENGTH } from '../hashers';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function User(): any {
  const m = authModels();
  if (!m) throw new CommandError('createsuperuser needs the auth battery: configure({ auth: true }).');
  return m.User;
}

/** Why a username can't be used, in Django's words, or null. */
export async function usernameProblem(username: string): Promise<string | null> {
  if (!username) return 'Error: This field cannot be blank.';
  if (username.length > 150) return 'Error: Ensure this value has at most 150 characters (it has ' + username.length + ').';
  if (!USERNAME_PATTERN.test(username)) return 'Error: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.';
  if (await User().findOne({ where: { username } })) return 'Error: That username is already taken.';
  return null;
}

function emailProblem(email: string): string | null {
  return email && !EMAIL_PATTERN.test(email) ? 'Error: Enter a valid email address.' : null;
}

/** The OS user's name when it would make a valid, free username (Django's get_default_username). */
async function defaultUsername(): Promise<string> {
  let name = '';
  try { name = normalizeUsername(os.userInfo().username); } catch { return ''; }
  return name && !(await usernameProblem(name)) ? name : '';
}

/** Asks for a password twice until it is acceptable (or the user bypasses the validators). */
export async function promptPassword(ctx: CommandContext, user: Record<string, unknown>): Promise<string> {
  for (;;) {
    const password = await ctx.prompt('Password: ', { hidden: true });
    const again = await ctx.prompt('Password (again): ', { hidden: true });
    if (password !== again) { ctx.stderr.write("Error: Your passwords didn't match.\n"); continue; }
    if (password.trim() === '') { ctx.stderr.write("Error: Blank passwords aren't allowed.\n"); continue; }
    if (password.length > MAX_PASSWORD_LENGTH) { ctx.stderr.write(`Error: Ensure this value has at most ${MAX_PASSWORD_LENGTH} characters.\n`); continue; }
    const problems = validatePassword(password, user);
    if (problems.length) {
      ctx.stderr.write(`${problems.join('\n')}\n`);
      const answer = await ctx.prompt('Bypass password validation and create user anyway? [y/N]: ');
      if (answer.trim().toLowerCase() !== 'y') continue;
    }
    return password;
  }
}

async function interactive(ctx: CommandContext, options: Record<string, any>): Promise<Record<string, unknown>> {
  let username = options.username ? normalizeUsername(String(options.username)) : '';
  if (username) {
    const problem = await usernameProblem(username);
    if (problem) { ctx.stderr.write(`${problem}\n`); username = ''; }
  }
  if (!username) {
    const fallback = await defaultUsername();
    const question = fallback ? `Username (leave blank to use '${fallback}'): ` : 'Username: ';
    for (;;) {
      const answer = normalizeUsername((await ctx.prompt(question)).trim()) || fallback;
      const problem = await usernameProblem(answer);
      if (!problem) { username = answer; break; }
      ctx.stderr.write(`${problem}\n`);
    }
  }
  let email = options.email !== undefined ? String(options.email).trim() : undefined;
  if (email !== undefined && emailProblem(email)) { ctx.stderr.write(`${emailProblem(email)}\n`); email = undefined; }
  while (email === undefined) {
    const answer = (await ctx.prompt('Email address: ')).trim();
    const problem = emailProblem(answer);
    if (problem) ctx.stderr.write(`${problem}\n`);
    else email = answer;
  }
  const password = await promptPassword(ctx, { username, email });
  return { username, email, password };
}

async function nonInteractive(options: Record<string, any>): Promise<Record<string, unknown>> {
  const username = normalizeUsername(String(options.username ?? process.env.MANOUCHE_SUPERUSER_USERNAME ?? ''));
  if (!username) throw new CommandError('You must use --username with --noinput (or set MANOUCHE_SUPERUSER_USERNAME).');
  const problem = await usernameProblem(username);
  if (problem) throw new CommandError(problem);
  const email = String(options.email ?? process.env.MANOUCHE_SUPERUSER_EMAIL ?? '').trim();
  if (emailProblem(email)) throw new CommandError(emailProblem(email)!);
  // Without MANOUCHE_SUPERUSER_PASSWORD the user gets an unusable password, as in Django.
  return { username, email, password: process.env.MANOUCHE_SUPERUSER_PASSWORD ?? null };
}

/** @example node app.js createsuperuser --username admin --email admin@example.com */
const createsuperuser: CommandSpec = {
  name: 'createsuperuser',
  app: 'auth',
  help: 'Creates a superuser (prompts for username, email and password; --noinput reads MANOUCHE_SUPERUSER_PASSWORD).',
  addArguments(cmd: Command) {
    cmd.option('--username <username>', 'the superuser\'s username');
    cmd.option('--email <email>', 'the superuser\'s email address');
    cmd.option('--noinput', 'do not prompt: take the password from MANOUCHE_SUPERUSER_PASSWORD (and _USERNAME, _EMAIL)');
    cmd.option('--no-input', 'same as --noinput');
  },
  async handle(ctx, options) {
    const noInput = options.noinput === true || options.input === false;
    if (!noInput && !ctx.isTTY) {
      throw new CommandError('createsuperuser needs a terminal to prompt for a password. Run it in a terminal, or use --noinput with MANOUCHE_SUPERUSER_PASSWORD (and --username, --email) set.');
    }
    const fields = noInput ? await nonInteractive(options) : await interactive(ctx, options);
    await User().createSuperuser(fields);
    ctx.stdout.write('Superuser created successfully.\n');
    return 0;
  },
};

export default createsuperuser;
