// `check [--deploy]`: runs the system checks and prints them Django-style; exit 1 when any is an error.
import { Option, type Command } from 'commander';
import { runChecks, type CheckMessage } from '../../conf/state';
import type { CommandContext, CommandSpec } from './registry';

const HEADINGS: Record<CheckMessage['level'], string> = { error: 'ERRORS', warning: 'WARNINGS', info: 'INFOS' };

/**
 * Django's report of check messages: grouped under ERRORS/WARNINGS/INFOS, each as
 * `obj: (id) msg` with an indented HINT, then "System check identified N issues (0 silenced)."
 * @example formatCheckReport([{ level: 'warning', id: 'security.W018', msg: '…' }], ctx.style)
 */
export function formatCheckReport(messages: CheckMessage[], style: CommandContext['style']): string {
  const n = messages.length;
  if (n === 0) return 'System check identified no issues (0 silenced).\n';
  const lines = [messages.some((m) => m.level === 'error') ? style.error('SystemCheckError: System check identified some issues:') : 'System check identified some issues:'];
  for (const level of ['error', 'warning', 'info'] as const) {
    const group = messages.filter((m) => m.level === level);
    if (group.length === 0) continue;
    lines.push('', `${HEADINGS[level]}:`);
    for (const m of group) {
      const text = `${m.obj ?? '?'}: (${m.id}) ${m.msg}`;
      lines.push(level === 'error' ? style.error(text) : level === 'warning' ? style.warning(text) : text);
      if (m.hint) lines.push(`\tHINT: ${m.hint}`);
    }
  }
  lines.push('', `System check identified ${n} issue${n === 1 ? '' : 's'} (0 silenced).`);
  return `${lines.join('\n')}\n`;
}

const check: CommandSpec = {
  name: 'check',
  app: 'manouche',
  help: 'Runs the system checks (settings, models, admin); --deploy adds the production ones. Exits 1 on errors.',
  addArguments(cmd: Command) {
    cmd.option('--deploy', 'also check settings that matter in production (DEBUG, SECRET_KEY, ALLOWED_HOSTS …)');
    cmd.addOption(new Option('--fail-level <level>', 'exit 1 when a message of this level or worse is found').choices(['error', 'warning']).default('error'));
  },
  async handle(ctx, options) {
    const messages = await runChecks({ deploy: Boolean(options.deploy) });
    const failing = options.failLevel === 'warning' ? ['error', 'warning'] : ['error'];
    const fails = messages.some((m) => failing.includes(m.level));
    (fails ? ctx.stderr : ctx.stdout).write(formatCheckReport(messages, ctx.style));
    return fails ? 1 : 0;
  },
};

export default check;
