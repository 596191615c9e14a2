import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:reliability`): whole systems of real processes on loopback
 * (backends of the Express example, the Cal.com simulator, Postgres). Not part of `npm test`.
 * RELIABILITY_SIZE=reduced|full picks the load (reduced by default; see test/reliability/size.ts).
 * Files run one after another: each starts its own processes and the load is the point.
 */

export default defineConfig({
  test: {
    name: 'reliability',
    include: ['test/reliability/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
