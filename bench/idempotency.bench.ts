/**
 * begin+complete pairs per second on the memory, Postgres and Redis idempotency stores, each
 * against the raw statements a hand-written version would send to the same server in the same
 * run: `INSERT ... ON CONFLICT DO NOTHING` (then `UPDATE`) on Postgres, `SET NX PX` (then
 * `SET XX PX`) on Redis. Every operation uses a fresh key, so it measures the common case of a
 * request seen for the first time. Uses DATABASE_URL and REDIS_URL, defaulting to the local
 * servers; a server that cannot be reached is reported and its groups are left out.
 *
 * Round trips to a server on a shared machine are noisy, and tinybench measures one case after
 * the other, so each group is measured in several short rounds, in alternating order, and each
 * case keeps its best round (the one least disturbed by other processes).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { measureGroup, type BenchCase, type BenchTask } from './harness.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../src/index.js';
import { createPostgresIdempotencyStore, migrate, pgClient } from '../src/adapters/postgres/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';
import { createRedisIdempotencyStore, ioredisClient } from '../src/adapters/redis/index.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL = 86_400_000;
const LOCK = 30_000;
const ROUNDS = 12;
const options = { batch: 20, time: 150 };
const result = { appointmentId: 'appt-1', status: 'confirmed', start: '2026-01-05T09:00:00.000Z' };

/** Measures a group in {@link ROUNDS} rounds and keeps each case's best. */
async function measureBest(
  group: string,
  baseline: string,
  tasks: readonly BenchTask[],
): Promise<BenchCase[]> {
  const best = new Map<string, BenchCase>();
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate the order, so neither case is always measured first.
    const ordered = round % 2 === 0 ? tasks : [...tasks].reverse();
    for (const measured of await measureGroup(group, baseline, ordered, options)) {
      if ((best.get(measured.name)?.opsPerSec ?? -1) < measured.opsPerSec) best.set(measured.name, measured);
    }
  }
  return [...best.values()];
}

let sequence = 0;
const nextKey = (): string => `bench-${(sequence += 1)}`;

/** bookingkit's `begin` and `begin` + `complete` on `store`, with fresh keys. */
function storeTasks(store: IdempotencyStore) {
  const begin = () =>
    store.begin(
      { tenantId: 'tenant-a', key: nextKey() },
      { fingerprint: 'fp', ttlMs: TTL, lockTtlMs: LOCK, now: Date.now() },
    );
  return {
    begin: { name: 'bookingkit begin', op: begin, async: true },
    pair: {
      name: 'bookingkit begin + complete',
      async: true,
      op: async () => {
        const scope = { tenantId: 'tenant-a', key: nextKey() };
        const answer = await store.begin(scope, {
          fingerprint: 'fp',
          ttlMs: TTL,
          lockTtlMs: LOCK,
          now: Date.now(),
        });
        if (answer.status !== 'new') throw new Error(`expected a new claim, got ${answer.status}`);
        await store.complete(scope, { token: answer.token, result, now: Date.now() });
      },
    },
  } as const;
}

async function memory(): Promise<BenchCase[]> {
  const map = new Map<string, { token: string; result: string | null }>();
  const tasks = storeTasks(createMemoryIdempotencyStore({ maxEntries: 100_000 }));
  const raw = {
    name: 'raw Map (has + set, then set)',
    async: true,
    op: async () => {
      const key = nextKey();
      if (map.has(key)) throw new Error('duplicate key');
      map.set(key, { token: randomUUID(), result: null });
      map.set(key, { token: 'done', result: JSON.stringify(result) });
      if (map.size > 100_000) map.clear();
    },
  };
  return measureBest('idempotency: memory begin+complete', raw.name, [raw, tasks.pair]);
}

async function postgres(): Promise<BenchCase[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const schema = `bench_idempotency_${process.pid}`;
  const sql = pgClient(pool);
  try {
    await migrate(sql, { schema });
    const table = `${quoteSchema(schema)}.bookingkit_idempotency`;
    const tasks = storeTasks(createPostgresIdempotencyStore({ sql, schema }));
    const insert = (key: string) =>
      pool.query(
        `INSERT INTO ${table} (tenant_id, key, fingerprint, state, token, lock_expires_at, expires_at) ` +
          `VALUES ($1, $2, $3, 'in_progress', $4, $5, $6) ON CONFLICT DO NOTHING`,
        ['tenant-a', key, 'fp', randomUUID(), Date.now() + LOCK, Date.now() + TTL],
      );
    const rawInsert = {
      name: 'raw INSERT ... ON CONFLICT DO NOTHING',
      async: true,
      op: () => insert(nextKey()),
    };
    const rawPair = {
      name: 'raw INSERT ... ON CONFLICT DO NOTHING, then UPDATE',
      async: true,
      op: async () => {
        const key = nextKey();
        await insert(key);
        await pool.query(
          `UPDATE ${table} SET state = 'completed', result = $3::text::jsonb WHERE tenant_id = $1 AND key = $2`,
          ['tenant-a', key, JSON.stringify(result)],
        );
      },
    };
    return [
      ...(await measureBest('idempotency: postgres begin', rawInsert.name, [rawInsert, tasks.begin])),
      ...(await measureBest('idempotency: postgres begin+complete', rawPair.name, [rawPair, tasks.pair])),
    ];
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

async function redis(): Promise<BenchCase[]> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `bench:idempotency:${process.pid}:`;
  try {
    const tasks = storeTasks(createRedisIdempotencyStore({ client: ioredisClient(connection), prefix }));
    const setNx = (key: string) =>
      connection.set(
        `${prefix}raw:${key}`,
        JSON.stringify({ token: randomUUID(), state: 'in_progress' }),
        'PX',
        TTL,
        'NX',
      );
    const rawSet = { name: 'raw SET NX PX', async: true, op: () => setNx(nextKey()) };
    const rawPair = {
      name: 'raw SET NX PX, then SET XX PX',
      async: true,
      op: async () => {
        const key = nextKey();
        await setNx(key);
        await connection.set(
          `${prefix}raw:${key}`,
          JSON.stringify({ state: 'completed', result }),
          'PX',
          TTL,
          'XX',
        );
      },
    };
    return [
      ...(await measureBest('idempotency: redis begin', rawSet.name, [rawSet, tasks.begin])),
      ...(await measureBest('idempotency: redis begin+complete', rawPair.name, [rawPair, tasks.pair])),
    ];
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await connection.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    connection.disconnect();
  }
}

/** Runs one server's groups; an unreachable server is reported, not fatal to the other groups. */
async function guarded(name: string, groups: () => Promise<BenchCase[]>): Promise<BenchCase[]> {
  try {
    return await groups();
  } catch (error) {
    console.error(
      `idempotency bench: ${name} skipped: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
}

export async function run(): Promise<BenchCase[]> {
  return [...(await memory()), ...(await guarded('postgres', postgres)), ...(await guarded('redis', redis))];
}
