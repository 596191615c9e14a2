/**
 * How integration tests find the real servers.
 *
 * - `DATABASE_URL` / `REDIS_URL` set: the tests run against them, and an unreachable server is a
 *   failure.
 * - Not set, outside CI: Postgres tests run on PGlite; Redis tests are skipped, with the reason.
 * - Not set under CI (`CI=true`): a failure, never a silent skip.
 */
export const isCI = process.env.CI === 'true' || process.env.CI === '1';

export const databaseUrl = process.env.DATABASE_URL;
export const redisUrl = process.env.REDIS_URL;

if (isCI && !databaseUrl)
  throw new Error('CI=true but DATABASE_URL is not set: the Postgres tests must run against the real server');
if (isCI && !redisUrl)
  throw new Error('CI=true but REDIS_URL is not set: the Redis tests must run against the real server');

/** Why the Redis tests are skipped, or `undefined` when they run. */
export const redisSkipReason = redisUrl
  ? undefined
  : 'REDIS_URL is not set; set it (e.g. redis://127.0.0.1:6379) to run the Redis adapter tests';

/** A prefix unique to this test process, so parallel test files never share keys or schemas. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
