import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresStores, migrate, pgClient, pgliteClient, type SqlClient } from 'bookingkit/postgres';
import {
  createRedisAvailabilityCache,
  createRedisBreakerStateStore,
  createRedisRateLimiter,
  ioredisClient,
  type RedisClient,
} from 'bookingkit/redis';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';
import { openPglite, type PgliteOrigin } from './pglite-template.js';

/** The database the stores live in, migrated, with how to check and close it. */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly sql: SqlClient;
  readonly stores: ReturnType<typeof createPostgresStores>;
  /** PGlite: how its data folder came to be (opened, seeded from the template, ...); null for Postgres. */
  readonly origin: PgliteOrigin | null;
  /** The migrations this start applied. */
  readonly applied: readonly string[];
  /** Answers when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens Postgres (DATABASE_URL) or an embedded PGlite whose data lives in `dataDir` (it survives a
 * restart; an empty one starts as a copy of a migrated template, see pglite-template.ts), and
 * brings the schema up to date. A pooled connection that the server ends (a restart,
 * a failover) is logged and replaced: without a listener, pg's `error` event would end the process.
 */
export async function openDatabase(database: Config['database'], logger: PinoLogger): Promise<Database> {
  let sql: SqlClient;
  let close: () => Promise<void>;
  let origin: PgliteOrigin | null = null;
  let applied: readonly string[];
  if (database.kind === 'postgres') {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    pool.on('error', (error) =>
      logger.warn({ err: error }, 'an idle Postgres connection failed; the pool replaces it'),
    );
    sql = pgClient(pool);
    close = () => pool.end();
    try {
      ({ applied } = await migrate(sql));
    } catch (error) {
      await close();
      throw error;
    }
  } else {
    mkdirSync(database.dataDir, { recursive: true });
    const opened = await openPglite(join(database.dataDir, 'pglite'), {
      logger,
      migrate: (db) => migrate(pgliteClient(db)),
    });
    ({ origin, applied } = opened);
    sql = pgliteClient(opened.db);
    close = () => opened.db.close();
  }
  return {
    kind: database.kind,
    origin,
    applied,
    sql,
    stores: createPostgresStores({ sql }),
    ping: async () => void (await sql.query('SELECT 1')),
    close,
  };
}

/** The adapters that several instances share through Redis. */
export interface SharedState {
  readonly client: RedisClient;
  readonly availabilityCache: ReturnType<typeof createRedisAvailabilityCache>;
  readonly breakerStore: ReturnType<typeof createRedisBreakerStateStore>;
  readonly rateLimiter: ReturnType<typeof createRedisRateLimiter>;
  /** A limiter for inbound webhooks, shared by every instance. */
  webhookRateLimiter(options: { limit: number; windowMs: number }): ReturnType<typeof createRedisRateLimiter>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to Redis (REDIS_URL) for the availability cache, the breaker state, Cal.com's rate
 * limit and the webhook rate limit, every key under `prefix` (REDIS_KEY_PREFIX).
 */
export async function openRedis(url: string, prefix: string, logger: PinoLogger): Promise<SharedState> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  // ioredis reconnects by itself; its `error` events are logged, not left unhandled.
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error; reconnecting'));
  await redis.connect();
  const client = ioredisClient(redis);
  return {
    client,
    availabilityCache: createRedisAvailabilityCache({ client, prefix: `${prefix}cache:` }),
    breakerStore: createRedisBreakerStateStore({ client, keyPrefix: `${prefix}breaker:` }),
    rateLimiter: createRedisRateLimiter({ client, prefix: `${prefix}ratelimit:` }),
    webhookRateLimiter: (options) =>
      createRedisRateLimiter({ client, prefix: `${prefix}webhooks:`, ...options }),
    ping: async () => void (await redis.ping()),
    close: async () => void (await redis.quit()),
  };
}
