/**
 * One load run with autocannon from this process against a server in another: a closed loop at
 * full speed (`connections` requests in flight). Latency percentiles are computed from every
 * response's own time, not from a histogram bucket. The fixed rate is an open loop of its own
 * (`open-loop.ts`): autocannon's rate option sends each second's quota in a burst.
 */
import autocannon from 'autocannon';
import type { PreparedRequest } from './webhook-bodies.js';

/** Latency percentiles, ms. */
export interface Latency {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** What one run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly durationSec: number;
  /** Answered requests per second. */
  readonly rps: number;
  readonly latencyMs: Latency;
  /** Answers by HTTP status. */
  readonly statuses: Record<string, number>;
  /** Connection errors and timeouts (requests never answered). */
  readonly errors: number;
}

/** The `q`-quantile (0-1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** p50, p95, p99, max and mean of `values` (ms), rounded to 0.01 ms. */
export function latencyOf(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  const sum = sorted.reduce((total, v) => total + v, 0);
  return {
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sum / Math.max(1, sorted.length)),
  };
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSec: number;
  /** Makes each request; omitted: `GET /`. */
  readonly next?: () => PreparedRequest;
  /** Seconds before a request counts as an error. @default 10 */
  readonly timeoutSec?: number;
  /** Told of each request that got an answer, with its status (e.g. a `DeliverySource`'s `answered`). */
  readonly answered?: (request: PreparedRequest, status: number) => void;
}

/** Runs one load and measures it. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const { next } = options;
  const began = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    timeout: options.timeoutSec ?? 10,
    ...(next
      ? {
          requests: [
            {
              // One request definition and no pipelining: a connection's context holds the
              // request it sent last, which is the one the next answer on it is for.
              setupRequest: (request: autocannon.Request, context: { made?: PreparedRequest }) => {
                const made = next();
                context.made = made;
                return {
                  ...request,
                  method: made.method,
                  path: made.path,
                  headers: made.headers,
                  body: made.body,
                };
              },
              onResponse: (status: number, _body: string, context: { made?: PreparedRequest }) => {
                if (context.made) options.answered?.(context.made, status);
              },
            },
          ],
        }
      : {}),
  });
  const tracker = instance as unknown as NodeJS.EventEmitter;
  tracker.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  tracker.on('reqError', () => void (errors += 1));
  await instance;
  const durationSec = (performance.now() - began) / 1000;
  return {
    requests: times.length,
    durationSec: Math.round(durationSec * 100) / 100,
    rps: Math.round(times.length / options.durationSec),
    latencyMs: latencyOf(times),
    statuses,
    errors,
  };
}
