// The async context that carries the open transaction: queries made inside db.transaction(async () => …) join it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';

type Store = Map<string, unknown>;

const storage = new AsyncLocalStorage<Store>();

/**
 * The subset of cls-hooked's Namespace that sequelize 6 calls (`useCLS` checks `run` and `bind`; transactions call
 * `run`, `set('transaction')` and `get('transaction')`), on node's AsyncLocalStorage instead of async hooks.
 * Each `run` starts a child context that sees its parent's values and whose own `set`s stay inside it.
 */
export const transactionNamespace = {
  get(key: string): unknown {
    const value = storage.getStore()?.get(key) as { finished?: string } | undefined;
    // A context can outlive its transaction (a timer set inside it): a finished one is no longer joined.
    return value?.finished ? undefined : value;
  },
  set<T>(key: string, value: T): T {
    storage.getStore()?.set(key, value);
    return value;
  },
  run<T>(fn: (context: Store) => T): Store {
    const context: Store = new Map(storage.getStore());
    storage.run(context, () => fn(context));
    return context;
  },
  bind<F extends (...args: any[]) => unknown>(fn: F, context: Store = storage.getStore() ?? new Map()): F {
    return ((...args: unknown[]) => storage.run(context, () => fn(...args))) as F;
  },
};

let installed = false;

/** Hands the namespace to sequelize once per process (sequelize keeps it on the class, for every instance). */
export function useTransactionContext(): void {
  if (installed) return;
  installed = true;
  // sequelize loads with the first database the app opens (openDatabase calls this), not with manouche.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('sequelize') as typeof import('sequelize')).Sequelize.useCLS(transactionNamespace);
}

/**
 * The unfinished transaction of `sequelize` that the current async context runs in, if any (one of another
 * Sequelize instance does not count).
 * @example const t = activeTransaction(db); // inside db.transaction(async () => …)
 */
export function activeTransaction(sequelize: Sequelize): Transaction | undefined {
  const t = transactionNamespace.get('transaction') as (Transaction & { sequelize?: Sequelize }) | undefined;
  return t && t.sequelize === sequelize ? t : undefined;
}
