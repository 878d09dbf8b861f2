// `shell`: a REPL with settings, db, Op, DataTypes and every model in scope; top-level await works.
import type { REPLServer } from 'node:repl';
import vm from 'node:vm';
import type { Command } from 'commander';
import { DataTypes, Op } from 'sequelize';
import { getDb } from '../../db/connection';
import { allModels } from '../../db/models';
import { closeAll, state } from '../../conf/state';
import type { CommandSpec } from './registry';

/** What the shell puts in scope: settings, db, Op, DataTypes and each model under its name. */
export function shellScope(): Record<string, unknown> {
  const scope: Record<string, unknown> = { settings: state.settings, db: getDb(), Op, DataTypes };
  for (const m of allModels()) if (!(m.name in scope) && /^[A-Za-z_$][\w$]*$/.test(m.name)) scope[m.name] = m;
  return scope;
}

const shell: CommandSpec = {
  name: 'shell',
  app: 'manouche',
  help: 'Opens an interactive JavaScript shell with settings, db and every model (top-level await works).',
  longRunning: true,
  addArguments(cmd: Command) {
    cmd.option('-c, --command <code>', 'run this code (await allowed) and print its result instead of opening the shell');
  },
  async handle(ctx, options) {
    const scope = shellScope();
    try {
      if (options.command !== undefined) {
        // Compiled in this realm (a vm context would make its own Date, which sequelize refuses), with the scope as
        // parameters; an async wrapper gives the one-off command the same top-level await as the REPL.
        const names = Object.keys(scope);
        const compile = (body: string) => vm.runInThisContext(`(async function (${names.join(', ')}) { ${body}\n })`);
        let fn: (...args: unknown[]) => Promise<unknown>;
        try {
          fn = compile(`return (${options.command}\n);`);
        } catch (err) {
          if ((err as Error)?.name !== 'SyntaxError') throw err;
          try {
            // In a block of its own, the code may declare names that shadow the scope's (const db = …).
            fn = compile(`{ ${options.command}\n }`);
          } catch (syntax) {
            ctx.stderr.write(`${(syntax as Error).name}: ${(syntax as Error).message}\n`);
            return 1;
          }
        }
        const pending = fn(...names.map((n) => scope[n]));
        let result: unknown;
        try {
          result = await pending;
        } catch (err) {
          // A one-off command's error is the user's: show what went wrong, not the framework's stack.
          const e = err as Error & { parent?: Error; errors?: Array<{ message: string }> };
          const detail = e.errors?.map((x) => x.message).join('; ') || e.parent?.message || '';
          ctx.stderr.write(`${e.name}: ${e.message}${detail && !e.message.includes(detail) ? ` (${detail})` : ''}\n`);
          return 1;
        }
        if (result !== undefined) ctx.stdout.write(`${typeof result === 'string' ? result : JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      ctx.stdout.write(`manouche shell: ${Object.keys(scope).join(', ')} are in scope. Top-level await works; .exit to leave.\n`);
      // useGlobal: the REPL shares this realm, so `new Date()` typed in it is a Date to sequelize.
      // Loaded here, not at the top: node:repl pulls in `domain`, which taxes every request of every app process.
      const repl = require('node:repl') as typeof import('node:repl');
      const server: REPLServer = repl.start({ prompt: '>>> ', useGlobal: true });
      Object.assign(server.context, scope);
      await new Promise<void>((resolve) => server.on('exit', () => resolve()));
      return 0;
    } finally {
      await closeAll();
    }
  },
};

export default shell;
