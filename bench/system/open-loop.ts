/**
 * A fixed load that is an open loop: request `i` is sent at `start + i / rate`, whether or not the
 * earlier ones have been answered, and its latency runs from that scheduled moment to the end of
 * its answer. A server that falls behind therefore shows it as growing latency, as it would to
 * webhooks that keep arriving at that rate.
 *
 * autocannon's own rate option does not do this: each connection sends its quota for the second
 * back to back as soon as the second begins, then waits for the next one. At 200 requests a second
 * over 20 connections that is a burst of 200 requests, 20 at a time, at the start of every second:
 * what it measures is the latency of such a burst, not that of a steady 200 a second.
 */
import { Agent, request } from 'node:http';
import { latencyOf, type LoadResult } from './load.js';
import type { PreparedRequest } from './webhook-bodies.js';

/** Options of {@link runOpenLoop}. */
export interface OpenLoopOptions {
  /** Base URL; requests go to `next().path` on it, or `GET /` without `next`. */
  readonly url: string;
  /** Requests per second, evenly spaced. */
  readonly rate: number;
  readonly durationSec: number;
  /** Makes each request (e.g. a signed webhook delivery). */
  readonly next?: () => PreparedRequest;
  /** A request without an answer after this long counts as an error. @default 10 */
  readonly timeoutSec?: number;
  /** Most connections open at once (keep-alive); requests beyond wait for one. @default 1024 */
  readonly maxSockets?: number;
  /** Told of each request that got an answer, with its status. */
  readonly answered?: (request: PreparedRequest, status: number) => void;
}

/** How many of `total` requests, one every `intervalMs`, are due `elapsedMs` after the start. */
export function dueCount(elapsedMs: number, intervalMs: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor(elapsedMs / intervalMs) + 1);
}

/** Runs the load and resolves once every request is answered or has failed. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult> {
  const { hostname, port } = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 1024 });
  const timeoutMs = (options.timeoutSec ?? 10) * 1000;
  const intervalMs = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationSec);
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const pending: Promise<void>[] = [];

  const send = (scheduledAt: number): Promise<void> => {
    const made: PreparedRequest | undefined = options.next?.();
    return new Promise<void>((resolve) => {
      const fail = () => {
        errors += 1;
        resolve();
      };
      const req = request(
        {
          host: hostname,
          port,
          agent,
          method: made?.method ?? 'GET',
          path: made?.path ?? '/',
          timeout: timeoutMs,
          headers: made ? { ...made.headers, 'content-length': String(Buffer.byteLength(made.body)) } : {},
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            times.push(performance.now() - scheduledAt);
            if (made) options.answered?.(made, res.statusCode ?? 0);
            const status = String(res.statusCode ?? 0);
            statuses[status] = (statuses[status] ?? 0) + 1;
            resolve();
          });
          res.on('error', fail);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', fail);
      req.end(made?.body);
    });
  };

  const start = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const pump = () => {
      const due = dueCount(performance.now() - start, intervalMs, total);
      while (sent < due) {
        pending.push(send(start + sent * intervalMs));
        sent += 1;
      }
      if (sent >= total) done();
      else setTimeout(pump, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    pump();
  });
  await Promise.all(pending);
  agent.destroy();
  return {
    requests: times.length,
    durationSec: Math.round(((performance.now() - start) / 1000) * 100) / 100,
    rps: Math.round(times.length / options.durationSec),
    latencyMs: latencyOf(times),
    statuses,
    errors,
  };
}
