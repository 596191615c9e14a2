import { AsyncLocalStorage } from 'node:async_hooks';
import { quoteSchema } from './migrate.js';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import type { SqlClient, SqlQueryOptions } from './sql-client.js';
import { requireSqlClient } from './sql-options.js';
import { isRetryableConflict, WRITE_ATTEMPTS } from './sql-errors.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { UnitOfWorkMisuseError } from '../memory/unit-of-work-misuse-error.js';

/**
 * What a Postgres adapter works with: a connection (the pool, or one transaction), the
 * qualified table names of its schema, and a guard for writes that may violate a constraint.
 *
 * @internal
 */
export interface SqlContext {
  readonly sql: SqlClient;
  /** The quoted schema, e.g. `"public"`. */
  readonly schema: string;
  /** `bookingkit_x` qualified with the schema. */
  table(name: string): string;
  /**
   * Runs `write`; when it throws, lets `translate` turn the error into the one to throw (it may
   * query, e.g. to find the conflicting row). Inside a transaction the write runs under a
   * savepoint, so a refused write leaves the transaction usable, as with the memory adapters.
   */
  guard<T>(write: () => Promise<T>, translate: (error: unknown) => Promise<unknown>): Promise<T>;
  /**
   * Runs a write that cannot be refused by a constraint (an insert with `ON CONFLICT DO NOTHING`,
   * an update guarded by its version): as {@link guard}, but inside a transaction without a
   * savepoint, since nothing expected can go wrong. An unexpected error fails the transaction.
   */
  unrefused<T>(write: () => Promise<T>, translate: (error: unknown) => Promise<unknown>): Promise<T>;
  /**
   * Called before every write: refuses a write through the shared (non-transaction) stores from
   * inside a running unit of work on the same client, which would bypass the transaction, or on
   * PGlite (one connection) wait for it forever.
   */
  assertWritable(): void;
}

/** The unit of work (if any) the current async call chain runs in. */
interface OpenUnit {
  readonly base: SqlClient;
  closed: boolean;
}
const running = new AsyncLocalStorage<OpenUnit>();

function makeContext(
  sql: SqlClient,
  schema: string,
  guard: SqlContext['guard'],
  unrefused: SqlContext['unrefused'],
  assertWritable: () => void,
): SqlContext {
  return { sql, schema, table: (name) => `${schema}.${name}`, guard, unrefused, assertWritable };
}

/**
 * Refuses a unit of work, or a write through shared stores, started from inside an open unit of
 * work on `base`.
 *
 * @throws {@link UnitOfWorkMisuseError} with reason `nested`.
 * @internal
 */
export function refuseNested(base: SqlClient): void {
  const current = running.getStore();
  if (current && current.base === base && !current.closed)
    throw new UnitOfWorkMisuseError({ reason: 'nested' });
}

/**
 * Runs `work` marked as a unit of work on `base` (see {@link refuseNested}).
 *
 * @internal
 */
export async function runAsUnit<T>(base: SqlClient, work: () => Promise<T>): Promise<T> {
  const unit: OpenUnit = { base, closed: false };
  try {
    return await running.run(unit, work);
  } finally {
    unit.closed = true;
  }
}

/**
 * A context whose statements run on their own (autocommit), validated from the options given to
 * `factory` (named in the error).
 *
 * @throws {@link InvalidOptionError} for a missing client or an invalid schema name.
 * @internal
 */
export function createSqlContext(options: PostgresStoreOptions, factory: string): SqlContext {
  const sql = requireSqlClient(factory, options);
  const schema = quoteSchema(options.schema ?? 'public', factory);
  async function guard<T>(
    write: () => Promise<T>,
    translate: (error: unknown) => Promise<unknown>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await write();
      } catch (error) {
        if (isRetryableConflict(error) && attempt < WRITE_ATTEMPTS) continue;
        throw await translate(error);
      }
    }
  }
  return makeContext(sql, schema, guard, guard, () => refuseNested(sql));
}

/** One open transaction as the unit of work sees it. @internal */
export interface TransactionScope {
  /** The context the transaction's stores work with. */
  readonly context: SqlContext;
  /**
   * Ends the scope: later use of its stores is refused. Throws the error of a failed statement
   * that the work swallowed, if any: the transaction is aborted then, and a COMMIT would silently
   * roll it back.
   */
  close(): void;
}

/**
 * Opens the scope of the transaction `tx`. Guarded writes take turns (a savepoint spans several
 * statements on the one connection) and each runs under its own savepoint.
 *
 * @internal
 */
export function openTransactionScope(tx: SqlClient, schema: string): TransactionScope {
  let closed = false;
  let failure: { error: unknown } | undefined;
  let guarding = false;
  let turn: Promise<unknown> = Promise.resolve();
  let counter = 0;

  const sql: SqlClient = {
    async query<Row>(text: string, params?: readonly unknown[], options?: SqlQueryOptions) {
      if (closed) throw new UnitOfWorkMisuseError({ reason: 'closed' });
      try {
        return await tx.query<Row>(text, params, options);
      } catch (error) {
        // Inside a guard, the savepoint is rolled back and the transaction stays usable.
        if (!guarding) failure ??= { error };
        throw error;
      }
    },
    transaction: (fn) => fn(sql),
  };

  function guard<T>(write: () => Promise<T>, translate: (error: unknown) => Promise<unknown>): Promise<T> {
    const run = async (): Promise<T> => {
      for (let attempt = 1; ; attempt += 1) {
        counter += 1;
        const savepoint = `bookingkit_write_${counter}`;
        await sql.query(`SAVEPOINT ${savepoint}`);
        guarding = true;
        try {
          const result = await write();
          guarding = false;
          await sql.query(`RELEASE SAVEPOINT ${savepoint}`);
          return result;
        } catch (error) {
          guarding = false;
          await sql.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
          await sql.query(`RELEASE SAVEPOINT ${savepoint}`);
          if (isRetryableConflict(error) && attempt < WRITE_ATTEMPTS) continue;
          throw await translate(error);
        }
      }
    };
    const result = turn.then(run, run);
    turn = result.catch(() => undefined);
    return result;
  }

  async function unrefused<T>(
    write: () => Promise<T>,
    translate: (error: unknown) => Promise<unknown>,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      // The failure is recorded by `sql.query`: the unit of work fails even if this is caught.
      throw await translate(error);
    }
  }

  return {
    context: makeContext(sql, schema, guard, unrefused, () => {
      if (closed) throw new UnitOfWorkMisuseError({ reason: 'closed' });
    }),
    close() {
      closed = true;
      if (failure) throw failure.error;
    },
  };
}

/**
 * The `clock` option of `factory`: `systemClock` when absent, validated when given.
 *
 * @throws {@link InvalidOptionError} naming `factory` for something that is not a clock.
 * @internal
 */
export function clockOption(clock: unknown, factory: string): Clock {
  if (clock === undefined) return systemClock;
  if (!isClock(clock))
    throw new InvalidOptionError('clock', clock, 'a Clock (now() and setTimer())', { factory });
  return clock;
}

function isClock(value: unknown): value is Clock {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Partial<Clock>;
  return typeof candidate.now === 'function' && typeof candidate.setTimer === 'function';
}
