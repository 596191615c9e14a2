/** The rows of a query's result. */
export interface SqlResult<Row> {
  readonly rows: Row[];
  /** Rows inserted, updated or deleted (0 for a plain SELECT on some drivers). */
  readonly rowCount: number;
}

/**
 * The minimal SQL connection bookingkit's Postgres adapters need, owned by bookingkit so that
 * any driver fits: `pg` through {@link pgClient}, PGlite through {@link pgliteClient}.
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
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}
