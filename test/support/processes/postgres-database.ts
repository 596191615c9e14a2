import pg from 'pg';

/** A Postgres database created for one run, with a pool on it; `drop` removes it. */
export interface RunDatabase {
  readonly name: string;
  /** Its URL, as DATABASE_URL. */
  readonly url: string;
  /** A small pool for the test's own queries. */
  readonly pool: pg.Pool;
  /** Rows of `text` with `values`. */
  query<Row extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<Row[]>;
  /** Closes the pool and drops the database (connections still open to it are ended). */
  drop(): Promise<void>;
}

/**
 * The server the run databases are made on: RELIABILITY_POSTGRES_URL, else DATABASE_URL's server,
 * else postgres://postgres@127.0.0.1:5432.
 */
export function postgresServerUrl(): URL {
  const url = new URL(
    process.env.RELIABILITY_POSTGRES_URL ??
      process.env.DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres',
  );
  url.pathname = '/postgres';
  return url;
}

/**
 * Creates an empty database named `name` (default `bookingkit_rel_<pid>_<n>`) on
 * {@link postgresServerUrl}; the backends migrate it when they start.
 *
 * @example
 * ```ts
 * const db = await createRunDatabase();
 * const [{ count }] = await db.query<{ count: string }>('SELECT count(*) FROM pg_tables');
 * await db.drop();
 * ```
 */
export async function createRunDatabase(name = nextName()): Promise<RunDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`createRunDatabase: "${name}" is not a plain database name`);
  const admin = postgresServerUrl();
  const adminClient = new pg.Client({ connectionString: admin.href });
  await adminClient.connect();
  try {
    await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminClient.query(`CREATE DATABASE ${name}`);
  } finally {
    await adminClient.end();
  }
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.href, max: 4 });
  pool.on('error', () => undefined);
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.href,
    pool,
    query: async <Row extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      (await pool.query<Row>(text, values)).rows,
    drop: () =>
      (dropped ??= (async () => {
        await pool.end();
        const client = new pg.Client({ connectionString: admin.href });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      })()),
  };
}

let created = 0;
const nextName = () => `bookingkit_rel_${process.pid}_${(created += 1)}`;
