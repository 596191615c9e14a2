import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - `unit`: tests beside the code (`src/**`), no servers.
 * - `integration`: `test/**` against memory, PGlite and, when DATABASE_URL / REDIS_URL are set,
 *   the real Postgres and Redis; type tests; the README example.
 * - `system`: slow whole-system suites (end-to-end, reliability) under `test/system/`. `npm test`
 *   runs all three; CI runs `system` once, not on every Node version.
 */
export default defineConfig({
  test: {
    // Vitest's default leaves one core idle (n - 1 workers): on a two-core machine that runs every
    // file one after another. The test files wait on I/O much of the time, so use every core.
    maxWorkers: availableParallelism(),
    // Test files of a worker share its module graph instead of importing everything anew per
    // file (import time was most of the run). Tests keep their state in what they create, never
    // in module-level variables; the system project below keeps full isolation.
    isolate: false,
    globalSetup: ['test/support/pglite-template.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/modules/**', 'test/system/**', 'test/reliability/**'],
          typecheck: {
            enabled: true,
            include: ['src/**/*.test-d.ts', 'test/types/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: { name: 'system', include: ['test/system/**/*.test.ts'], isolate: true },
      },
    ],
  },
});
