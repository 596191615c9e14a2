import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The storage an example process runs on: its embedded defaults (PGlite in a scratch folder,
// memory for the cache, the breaker and the rate limits), and, once, real Postgres and Redis as CI
// gives them (DATABASE_URL, REDIS_URL), each run in a database and a Redis key prefix of its own.

/** Storage prepared for one suite: the variables to start the example with, and the clean-up. */
export interface PreparedStorage {
  readonly env: Readonly<Record<string, string>>;
  /** What the readiness report names the database check. */
  readonly databaseCheck: 'pglite' | 'postgres';
  /** Removes what `prepare` created. */
  dispose(): Promise<void>;
}

/** A storage backend the suites run against. */
export interface ExampleBackend {
  readonly name: string;
  /** Why the suites skip it here, or null when they run. */
  readonly skip: string | null;
  prepare(): Promise<PreparedStorage>;
}

const embedded: ExampleBackend = {
  name: 'PGlite and memory',
  skip: null,
  prepare: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bookingkit-example-'));
    return {
      env: { DATA_DIR: dataDir },
      databaseCheck: 'pglite',
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

/**
 * Real servers: a fresh database `bookingkit_e2e_<random>` created through DATABASE_URL's server
 * and dropped afterwards, and a Redis key prefix of the same name whose keys are deleted. Under
 * CI=true, missing variables or unreachable servers fail the suite; elsewhere missing variables
 * skip it, with the reason.
 */
function realServers(): ExampleBackend {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const missing = [!databaseUrl && 'DATABASE_URL', !redisUrl && 'REDIS_URL'].filter(Boolean).join(' and ');
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  return {
    name: 'Postgres and Redis',
    skip: missing && !ci ? `${missing} not set: the real-server run needs both (CI sets them)` : null,
    prepare: async () => {
      if (missing)
        throw new Error(`CI=true but ${missing} not set: the real-server end-to-end run cannot skip`);
      const name = `bookingkit_e2e_${randomBytes(5).toString('hex')}`;
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
      await admin.connect().catch((error: unknown) => {
        throw new Error(`Postgres at DATABASE_URL is unreachable: ${(error as Error).message}`, {
          cause: error,
        });
      });
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const { Redis } = await import('ioredis');
      const redis = new Redis(redisUrl!, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        connectTimeout: 5_000,
      });
      await redis.connect().catch((error: unknown) => {
        throw new Error(`Redis at REDIS_URL is unreachable: ${(error as Error).message}`, { cause: error });
      });
      const url = new URL(databaseUrl!);
      url.pathname = `/${name}`;
      const prefix = `${name}:`;
      return {
        env: { DATABASE_URL: url.toString(), REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix },
        databaseCheck: 'postgres',
        dispose: async () => {
          try {
            let cursor = '0';
            do {
              const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
              cursor = next;
              if (keys.length > 0) await redis.del(...keys);
            } while (cursor !== '0');
          } finally {
            redis.disconnect();
          }
          const drop = new pg.Client({ connectionString: databaseUrl });
          await drop.connect();
          try {
            await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await drop.end();
          }
        },
      };
    },
  };
}

/** The backends every example suite runs against: embedded defaults, then real servers. */
export function exampleBackends(): readonly ExampleBackend[] {
  return [embedded, realServers()];
}
