// `clearsessions`: deletes expired sessions from the database store (Redis expires its own keys).
import type { CommandSpec } from '../../core/management/commands/registry';
import { clearExpiredSessions } from '../store';

/** @example node app.js clearsessions */
const clearsessions: CommandSpec = {
  name: 'clearsessions',
  app: 'sessions',
  help: 'Deletes expired sessions from the database. Run it now and then (e.g. daily from cron).',
  async handle(ctx) {
    const removed = await clearExpiredSessions();
    ctx.stdout.write(`Deleted ${removed} expired session${removed === 1 ? '' : 's'}.\n`);
    return 0;
  },
};

export default clearsessions;
