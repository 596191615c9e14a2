import { BookingKitError, errorGuard } from '../../errors/booking-kit-error.js';
import { StorageUnavailableError } from '../../errors/store-errors.js';
import { createHash } from 'node:crypto';
import type { SqlClient, SqlQueryOptions, SqlResult } from './sql-client.js';

/** The part of a `pg` query result that {@link pgClient} reads. */
export interface PgQueryResult {
  rows: unknown[];
  rowCount: number | null;
  /** The SQL command tag (`COMMIT`, or `ROLLBACK` when a COMMIT found the transaction failed). */
  command?: string;
}

/** A named statement as `pg` takes it: prepared on a connection the first time it runs there. */
export interface PgQueryConfig {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/** The part of a `pg` pooled connection that {@link pgClient} uses. */
export interface PgPoolClientLike {
  query(text: string | PgQueryConfig, params?: unknown[]): Promise<PgQueryResult>;
  release(error?: Error | boolean): void;
  /** `pg`'s connections are event emitters: their `error` event is listened to while checked out. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg` `Pool` that {@link pgClient} uses. */
export interface PgPoolLike {
  query(text: string | PgQueryConfig, params?: unknown[]): Promise<PgQueryResult>;
  connect(): Promise<PgPoolClientLike>;
}

/**
 * A transaction was rolled back by the database at COMMIT, because a statement inside it had
 * failed and the error was swallowed by the caller's code. Nothing of it was written.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isTransactionRolledBackError(error)) console.error('a statement failed inside the transaction');
 * ```
 */
export class TransactionRolledBackError extends BookingKitError<
  'TRANSACTION_ROLLED_BACK',
  Record<string, never>
> {
  override name = 'TransactionRolledBackError';

  constructor() {
    super(
      'TRANSACTION_ROLLED_BACK',
      'The transaction was rolled back at COMMIT: a statement inside it had failed',
      {},
    );
  }
}

/**
 * Tells whether `error` is a {@link TransactionRolledBackError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isTransactionRolledBackError(error)) retry();
 * ```
 */
export const isTransactionRolledBackError = errorGuard<TransactionRolledBackError>(
  'TransactionRolledBackError',
  'TRANSACTION_ROLLED_BACK',
);

/** Socket errors of a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether `error` says the database is out of reach rather than that the statement failed: a
 * socket error, a connection exception (SQLSTATE class 08), the server shutting down or starting
 * (57P01-57P03), or `pg`'s own report of a connection that ended.
 */
function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^08|^57P0[123]$/.test(code))) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' && /^Connection terminated|connection error|not queryable/i.test(message)
  );
}

/** How long a caller is told to wait after the database was out of reach. */
const STORAGE_RETRY_AFTER_MS = 5_000;

/** `error`, or a {@link StorageUnavailableError} caused by it when the database was out of reach. */
function storageError(error: unknown): unknown {
  return isConnectionFailure(error)
    ? new StorageUnavailableError(
        { store: 'postgres', retryAfterMs: STORAGE_RETRY_AFTER_MS },
        { cause: error },
      )
    : error;
}

function toResult<Row>(result: PgQueryResult): SqlResult<Row> {
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

/** Options of {@link pgClient}. */
export interface PgClientOptions {
  /**
   * Whether statements the adapters mark as fixed (`{ prepare: true }`) are sent as named
   * prepared statements, parsed and planned once per connection. Turn it off behind a connection
   * pooler that does not keep a session's prepared statements (PgBouncer in transaction mode
   * before 1.21, or without `max_prepared_statements`). @default true
   */
  readonly preparedStatements?: boolean;
}

/**
 * How many distinct texts one {@link pgClient} prepares: each connection then holds at most this
 * many prepared statements (a process writing to many schemas has a set per schema). Texts past
 * the limit run unnamed. @internal
 */
export const PREPARED_STATEMENTS_LIMIT = 256;

/** Sends a text and its parameters: named when it is marked and has (or gets) a name. */
type Send = (
  target: PgPoolLike | PgPoolClientLike,
  text: string,
  params: readonly unknown[],
  options: SqlQueryOptions | undefined,
) => Promise<PgQueryResult>;

function sender(options: PgClientOptions): Send {
  if (options.preparedStatements === false) return (target, text, params) => target.query(text, [...params]);
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < PREPARED_STATEMENTS_LIMIT) {
      // Derived from the text: every connection, and every client on the pool, agrees on it.
      name = `bookingkit_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      names.set(text, name);
    }
    return name;
  };
  return (target, text, params, queryOptions) => {
    const name = queryOptions?.prepare === true ? nameOf(text) : undefined;
    return name === undefined
      ? target.query(text, [...params])
      : target.query({ name, text, values: [...params] });
  };
}

function transactionClient(connection: PgPoolClientLike, send: Send): SqlClient {
  const tx: SqlClient = {
    async query<Row>(text: string, params: readonly unknown[] = [], options?: SqlQueryOptions) {
      try {
        return toResult<Row>(await send(connection, text, params, options));
      } catch (error) {
        throw storageError(error);
      }
    },
    transaction: (fn) => fn(tx),
  };
  return tx;
}

/**
 * Adapts a `pg` `Pool` to {@link SqlClient}. A database out of reach (refused, reset, shutting
 * down) is reported as a {@link bookingkit!StorageUnavailableError} (HTTP 503 with `Retry-After`),
 * its `cause` the driver's error. Each transaction checks a connection out of the
 * pool; a connection whose `ROLLBACK` failed, or that failed while checked out (the server ended
 * it: a restart, a failover), is discarded rather than returned. While checked out, the
 * connection's `error` event is listened to: `pg` emits it when the server ends the connection
 * between statements, and an `error` event nobody listens to ends the process. The transaction
 * fails instead. (Give the pool itself an `error` listener for its idle connections.)
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { pgClient, migrate } from 'bookingkit/postgres';
 * const sql = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(sql);
 * ```
 */
export function pgClient(pool: PgPoolLike, options: PgClientOptions = {}): SqlClient {
  const send = sender(options);
  return {
    async query<Row>(text: string, params: readonly unknown[] = [], queryOptions?: SqlQueryOptions) {
      try {
        return toResult<Row>(await send(pool, text, params, queryOptions));
      } catch (error) {
        throw storageError(error);
      }
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const connection = await pool.connect().catch((error: unknown) => {
        throw storageError(error);
      });
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken ??= error;
      };
      connection.on?.('error', onError);
      try {
        // BEGIN is the first statement on a connection that may have idled while the server went
        // away: its failure (the server ending the connection, 57P01) is the database out of reach.
        await connection.query('BEGIN').catch((error: unknown) => {
          throw storageError(error);
        });
        const result = await fn(transactionClient(connection, send));
        const commit = await connection.query('COMMIT').catch((error: unknown) => {
          throw storageError(error);
        });
        // Postgres answers COMMIT on a failed transaction with ROLLBACK, not an error.
        if (commit.command === 'ROLLBACK') throw new TransactionRolledBackError();
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        connection.removeListener?.('error', onError);
        connection.release(broken ?? false);
      }
    },
  };
}

/** The part of a PGlite instance (or its transaction) that {@link pgliteClient} uses. */
export interface PgliteLike extends PgliteTransactionLike {
  transaction<T>(fn: (tx: PgliteTransactionLike) => Promise<T>): Promise<T>;
}

/** A PGlite transaction. */
export interface PgliteTransactionLike {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(text: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
}

function pgliteQuery(target: PgliteTransactionLike): SqlClient['query'] {
  return async <Row>(text: string, params: readonly unknown[] = []) => {
    if (params.length === 0) {
      // Like pg's simple query protocol: a text without parameters may hold several statements.
      const results = await target.exec(text);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as Row[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    }
    const result = await target.query<Row>(text, [...params]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
}

/**
 * Adapts PGlite (embedded Postgres in WebAssembly) to {@link SqlClient}: the Postgres adapters
 * then run with no database server, e.g. in tests or single-process deployments. Create PGlite
 * with the `btree_gist` extension, which the double-booking constraint needs.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
 * const sql = pgliteClient(await PGlite.create({ extensions: { btree_gist } }));
 * await migrate(sql);
 * ```
 */
export function pgliteClient(db: PgliteLike): SqlClient {
  return {
    query: pgliteQuery(db),
    transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      return db.transaction(async (inner) => {
        const tx: SqlClient = { query: pgliteQuery(inner), transaction: (nested) => nested(tx) };
        return fn(tx);
      });
    },
  };
}
