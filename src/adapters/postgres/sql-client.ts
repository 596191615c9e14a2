/** The rows of a query's result. */
export interface SqlResult<Row> {
  readonly rows: Row[];
  /** Rows inserted, updated or deleted (0 for a plain SELECT on some drivers). */
  readonly rowCount: number;
}

/** How a statement is sent. */
export interface SqlQueryOptions {
  /**
   * The text is one of a fixed set that the caller sends again and again, with every value a
   * parameter: a driver may prepare it once per connection and reuse its parse and plan (see
   * {@link pgClient}). Leave it unset for text built from input (the set would grow without
   * bound) and for `SELECT *` or `RETURNING *` (a prepared statement fails once a migration
   * changes the columns it answers). Drivers without prepared statements ignore it.
   * @default false
   */
  readonly prepare?: boolean;
}

/**
 * The minimal SQL connection bookingkit's Postgres adapters need, owned by bookingkit so that
 * any driver fits: `pg` through {@link pgClient}, PGlite through {@link pgliteClient}.
 *
 * `query(text, params, { prepare: true })` marks a fixed statement that the driver may prepare
 * (see {@link SqlQueryOptions}); a client that ignores the options is still correct.
 *
 * `transaction(fn)` runs `fn` on one connection inside `BEGIN`/`COMMIT`, rolling back when it
 * throws; queries on the `SqlClient` passed to `fn` take part in the transaction. Nested calls on
 * a transaction client run in the same transaction.
 *
 * @example
 * ```ts
 * declare const sql: SqlClient;
 * declare const id: string;
 * declare const outboxRow: unknown[];
 * // ---cut---
 * await sql.transaction(async (tx) => {
 *   await tx.query('UPDATE appointments SET status = $1 WHERE id = $2', ['confirmed', id]);
 *   await tx.query('INSERT INTO bookingkit_outbox ...', outboxRow);
 * });
 * ```
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlResult<Row>>;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}
