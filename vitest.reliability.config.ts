import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:reliability`): whole systems of real processes on loopback
 * (backends of the Express example, the Cal.com simulator, Postgres). Not part of `npm test`.
 * RELIABILITY_SIZE=reduced|full picks the load (reduced by default; see test/reliability/size.ts).
 * Files run one after another: each starts its own processes and the load is the point.
 */
/**
 * Scenarios that do not pass yet (issue #15): 4 (Cal.com faults: after the faults, a backend's
 * calendar breaker stayed open past the test's 150 s). They run only with
 * RELIABILITY_KNOWN_FAILING=1, so that the suite CI runs stays a gate.
 */
const KNOWN_FAILING = ['test/reliability/faults.test.ts'];

export default defineConfig({
  test: {
    name: 'reliability',
    include: ['test/reliability/**/*.test.ts'],
    exclude: process.env.RELIABILITY_KNOWN_FAILING === '1' ? [] : KNOWN_FAILING,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
