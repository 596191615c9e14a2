import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../../src/adapters/postgres/migrate.js';
import { pgliteClient } from '../../../src/adapters/postgres/pg-client.js';

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
  /**
   * Creates the storage. `seeded`: a PGlite folder starts as a copy of a migrated one (built once
   * and cached), skipping `initdb` and the migrations, which take most of a first start.
   */
  prepare(options?: { readonly seeded?: boolean }): Promise<PreparedStorage>;
}

const MIGRATIONS = fileURLToPath(new URL('../../../src/adapters/postgres/migrations/', import.meta.url));
const CACHE = fileURLToPath(
  new URL('../../../node_modules/.cache/bookingkit-example-tests/', import.meta.url),
);

/**
 * A PGlite data folder as the example leaves it after its first start (migrated, public schema),
 * closed cleanly, cached by the PGlite version and the migrations' content; built into a
 * temporary folder and renamed, so suites building it at once never see half of one.
 */
async function migratedPglite(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(
    readFileSync(join(MIGRATIONS, '..', '..', '..', '..', 'node_modules/@electric-sql/pglite/package.json')),
  );
  for (const file of readdirSync(MIGRATIONS).sort())
    hash.update(file).update(readFileSync(join(MIGRATIONS, file)));
  const path = join(CACHE, `pglite-public-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(path)) return path;
  mkdirSync(CACHE, { recursive: true });
  const building = `${path}.${process.pid}.tmp`;
  const { PGlite } = await import('@electric-sql/pglite');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const db = await PGlite.create(building, { extensions: { btree_gist } });
  try {
    await migrate(pgliteClient(db));
  } finally {
    await db.close();
  }
  try {
    renameSync(building, path);
  } catch {
    // Another suite finished first: its copy is as good.
    rmSync(building, { recursive: true, force: true });
  }
  return path;
}

const embedded: ExampleBackend = {
  name: 'PGlite and memory',
  skip: null,
  prepare: async ({ seeded = false } = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bookingkit-example-'));
    if (seeded) cpSync(await migratedPglite(), join(dataDir, 'pglite'), { recursive: true });
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
