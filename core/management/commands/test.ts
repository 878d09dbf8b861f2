// `node app.js test [pattern]`: runs the app's tests on node's test runner and exits non-zero when one fails.
import type { CommandSpec } from './registry';
import { runTests } from '../../test/runner';
import { CommandError } from '../../conf/errors';
import { closeAll, state } from '../../conf/state';

/** How long after the run a process kept alive by an unclosed handle (a timer, a socket) is allowed to linger. */
const LINGER_MS = 2000;

const testCommand: CommandSpec = {
  name: 'test',
  app: 'manouche',
  help: 'Runs the tests: test() in the app file, then tests.js and tests/**/*.test.js next to it.',
  addArguments(cmd) {
    cmd.argument('[pattern]', 'run only the tests whose name contains this text');
  },
  async handle(_ctx, _options, pattern?: string) {
    // configure() chose the database before this command ran: only a test run gets the throwaway test database.
    if (!state.testing) {
      throw new CommandError('Tests must run as `node app.js test` (or with MANOUCHE_TESTING=1 set before configure()), so that they use the test database and never touch DATABASE_URL.');
    }
    const code = await runTests({ pattern });
    await closeAll(); // the CLI would too; done here so that callCommand('test') also lets the process exit
    exitEvenIfSomethingStaysOpen();
    return code;
  },
};

export default testCommand;

/**
 * node prints its report when the event loop empties. A handle nobody closed (a redis client, an interval in a
 * test) would keep the process, and the report, waiting forever: after a grace period, report and exit anyway.
 * The timer is unref'd, so a process that ends normally is not delayed by it.
 */
function exitEvenIfSomethingStaysOpen(): void {
  setTimeout(() => {
    process.stderr.write(`Something kept the process alive ${LINGER_MS} ms after the tests ended (an open server, timer or connection); exiting.\n`);
    process.emit('beforeExit', Number(process.exitCode ?? 0));
    setTimeout(() => process.exit(), 200).unref();
  }, LINGER_MS).unref();
}
