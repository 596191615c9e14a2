import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';

/** Runs before each statement is sent; `inTransaction` tells whether it is inside one. */
export type StatementHook = (text: string, inTransaction: boolean, params: unknown) => Promise<void> | void;

/**
 * A SQL client that records what it was asked to do: each transaction with its statements
 * (`units`), and the statements sent on their own (`outside`), each of which is its own commit.
 * `hooks` run before each statement (to inject a fault or a wait).
 *
 * @example
 * ```ts
 * const recorder = recordingSql(sql);
 * const stores = createPostgresStores({ sql: recorder.client, schema });
 * // ... one delivery ...
 * expect(recorder.commits()).toBe(1);
 * ```
 */
export function recordingSql(sql: SqlClient) {
  const units: string[][] = [];
  const outside: string[] = [];
  const hooks: StatementHook[] = [];
  const wrap = (target: SqlClient, into: string[]): SqlClient => ({
    query: async (text, params) => {
      into.push(text);
      for (const hook of hooks) await hook(text, into !== outside, params);
      return target.query(text, params);
    },
    transaction: (fn) =>
      target.transaction((tx) => {
        const statements: string[] = [];
        units.push(statements);
        return fn(wrap(tx, statements));
      }),
  });
  const isRead = (text: string) => /^\s*SELECT/i.test(text);
  return {
    client: wrap(sql, outside),
    hooks,
    units,
    outside,
    /** Commits so far: transactions, and writes sent on their own. */
    commits: () => units.length + outside.filter((text) => !isRead(text)).length,
    /** Forgets what was recorded so far. */
    reset() {
      units.length = 0;
      outside.length = 0;
    },
  };
}
