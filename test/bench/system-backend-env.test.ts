import { describe, expect, it } from 'vitest';
import { backendEnvironment } from '../../bench/system/processes.js';

// The system benchmark runs the example once on PGlite and once on Postgres + Redis. Run with
// DATABASE_URL set (as its docs say), the "PGlite" backend inherited it and ran on that server's
// shared database instead, where an earlier run's appointments then refused every import as a
// slot conflict: the storage a backend runs on is what the benchmark gives it, nothing else.

describe('the environment of a benchmark backend', () => {
  const inherited = {
    PATH: '/usr/bin',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    REDIS_URL: 'redis://127.0.0.1:6379',
    DATA_DIR: '/somewhere/else',
    REDIS_KEY_PREFIX: 'other:',
  };

  it('does not inherit the storage of the process that runs the benchmark', () => {
    const env = backendEnvironment(inherited, { DATA_DIR: '/tmp/bench-pglite' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.REDIS_KEY_PREFIX).toBeUndefined();
    expect(env.DATA_DIR).toBe('/tmp/bench-pglite');
    expect(env.PATH).toBe('/usr/bin');
  });

  it('uses the storage the benchmark gives it', () => {
    const env = backendEnvironment(inherited, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bench_system_webhooks_1',
      REDIS_URL: 'redis://127.0.0.1:40001',
    });
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/bench_system_webhooks_1');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:40001');
    expect(env.DATA_DIR).toBeUndefined();
  });
});
