import { Bench } from 'tinybench';

/** One measured case of a benchmark group. */
export interface BenchCase {
  /** Group the case belongs to, e.g. `event-bus: 3 listeners`. */
  readonly group: string;
  /** Case name, e.g. `bookingkit (no validation)`. */
  readonly name: string;
  readonly opsPerSec: number;
  /** Name of the case in the same group that ratios are taken against. */
  readonly baseline: string;
}

/** A benchmark module: `bench/<name>.bench.ts` exports `run`. */
export type BenchModule = { run(): Promise<BenchCase[]> };

/** One task: `op` is called `batch` times per sample, so sub-microsecond operations are measurable. */
export interface BenchTask {
  readonly name: string;
  readonly op: () => unknown;
  /** Set when `op` returns a promise that must be awaited. */
  readonly async?: boolean;
}

/**
 * Measures every task of one group in the same run (interleaved warm-up, same process), and
 * returns ops/s per task with the baseline named.
 */
export async function measureGroup(
  group: string,
  baseline: string,
  tasks: readonly BenchTask[],
  options: { batch?: number; time?: number } = {},
): Promise<BenchCase[]> {
  const batch = options.batch ?? 1_000;
  const bench = new Bench({ time: options.time ?? 400, warmupTime: 100 });
  for (const task of tasks) {
    if (task.async) {
      bench.add(task.name, async () => {
        for (let i = 0; i < batch; i += 1) await task.op();
      });
    } else {
      bench.add(task.name, () => {
        for (let i = 0; i < batch; i += 1) task.op();
      });
    }
  }
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result as { throughput?: { mean?: number }; hz?: number } | undefined;
    const hz = result?.throughput?.mean ?? result?.hz ?? 0;
    return { group, name: task.name, opsPerSec: hz * batch, baseline };
  });
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of `sorted` (ascending), by the nearest-rank method: the
 * smallest value that at least `p` percent of the values do not exceed. `NaN` for no values.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
