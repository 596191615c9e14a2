import { requireOption } from '../../util/options.js';
import type { SqlClient } from './sql-client.js';

/**
 * The `sql` option of a Postgres adapter (or `migrate`'s `sql` argument), checked: a missing
 * options object, a missing client or one without `query` and `transaction` throws an
 * `InvalidOptionError` naming `factory` and `sql`.
 *
 * @internal
 */
export function requireSqlClient(
  factory: string,
  options: { readonly sql: SqlClient } | undefined,
): SqlClient {
  return requireOption(
    factory,
    options,
    'sql',
    'a SqlClient, e.g. pgClient(pool) or pgliteClient(db)',
    (value) => {
      const client = value as Partial<SqlClient>;
      return typeof client.query === 'function' && typeof client.transaction === 'function';
    },
  );
}
