import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { isBookingKitError } from '../../errors/booking-kit-error.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { numberOption } from '../../util/options.js';
import { jsonResponse } from '../json-response.js';
import { plainProblem } from './problems.js';
import { withSecurityHeaders } from './security-headers.js';

/**
 * One readiness check: resolves when the dependency is fine; throws, or resolves
 * `{ ok: false, detail }`, when it is not. It is given a signal that aborts at the check timeout.
 */
export type ReadinessCheck = (
  signal: AbortSignal,
) => Promise<void | { readonly ok: boolean; readonly detail?: string }>;

/** Options of {@link createHealthHandlers}. */
export interface HealthHandlersOptions {
  /**
   * The checks `GET /ready` runs, by name, all at once, e.g. `{ storage, redis, calendarBreaker,
   * outbox }` (see {@link breakerCheck} and {@link outboxLagCheck}).
   * @default {}
   */
  readonly checks?: Readonly<Record<string, ReadinessCheck>>;
  /** How long one check may take before it counts as failed, in ms. @default 2000 */
  readonly timeoutMs?: number;
  /** Path the two routes are served under (`/health`, `/ready` below it). @default '' */
  readonly basePath?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Where failed checks are logged, with their errors. @default silentLogger */
  readonly logger?: Logger;
}

/** The outcome of one check in the body of `GET /ready`. */
export interface ReadinessCheckResult {
  readonly status: 'ok' | 'fail';
  readonly durationMs: number;
  /**
   * Why it failed: the detail the check gave, `timed out after N ms`, or the code of a bookingkit
   * error (messages of thrown errors are logged, never answered).
   */
  readonly detail?: string;
}

/** Liveness and readiness endpoints. */
export interface HealthHandlers {
  /** `GET /health`: 200 `{ status: 'ok' }` while the process answers at all. */
  health(request: Request): Promise<Response>;
  /**
   * `GET /ready`: runs every check; 200 `{ status: 'ok', checks }` when all pass, else 503
   * `{ status: 'fail', failing: [names], checks }`.
   */
  ready(request: Request): Promise<Response>;
  /** Serves both under `basePath` (404 for any other path, 405 for another method). */
  handle(request: Request): Promise<Response>;
}

/**
 * Builds the liveness (`GET /health`) and readiness (`GET /ready`) endpoints of a backend. A load
 * balancer sends traffic only while `/ready` answers 200; an orchestrator restarts the process
 * when `/health` stops answering. Checks run concurrently, each under `timeoutMs`.
 *
 * @throws {@link bookingkit!InvalidOptionError} naming `createHealthHandlers` for a check that is
 *   not a function or a bad `timeoutMs`.
 * @example
 * ```ts
 * declare const sql: { query(text: string): Promise<unknown> };
 * declare const breaker: CircuitBreaker;
 * declare const outbox: OutboxAdmin;
 * // ---cut---
 * const health = createHealthHandlers({
 *   checks: {
 *     storage: async () => void (await sql.query('SELECT 1')),
 *     calendarBreaker: breakerCheck(breaker),
 *     outbox: outboxLagCheck({ store: outbox, maxLagMs: 60_000 }),
 *   },
 * });
 * // Express: app.get(['/health', '/ready'], toExpress(health.handle));
 * ```
 */
export function createHealthHandlers(options: HealthHandlersOptions = {}): HealthHandlers {
  const factory = 'createHealthHandlers';
  const checks = Object.entries(options.checks ?? {});
  for (const [name, check] of checks) {
    if (typeof check !== 'function') {
      throw new InvalidOptionError(`checks.${name}`, check, 'an async function (signal) => void', {
        factory,
      });
    }
  }
  const timeoutMs = numberOption(
    'timeoutMs',
    options.timeoutMs,
    2_000,
    { min: 1, integer: true },
    { factory },
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');

  const runCheck = async (name: string, check: ReadinessCheck): Promise<ReadinessCheckResult> => {
    const started = clock.now();
    const controller = new AbortController();
    let timer: { clear(): void } | undefined;
    const timedOut = new Promise<{ ok: false; detail: string }>((resolve) => {
      timer = clock.setTimer(() => {
        controller.abort(new Error(`check ${name} timed out`));
        resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` });
      }, timeoutMs);
    });
    try {
      const raced = await Promise.race([check(controller.signal), timedOut]);
      // A check that settles as its signal aborts still timed out.
      const outcome = controller.signal.aborted ? await timedOut : raced;
      const durationMs = clock.now() - started;
      if (!outcome || outcome.ok) return { status: 'ok', durationMs };
      logger.warn({ check: name, detail: outcome.detail }, 'readiness check failed');
      return { status: 'fail', durationMs, ...(outcome.detail ? { detail: outcome.detail } : {}) };
    } catch (error) {
      logger.warn({ check: name, err: error }, 'readiness check failed');
      const detail = isBookingKitError(error) ? error.code : 'failed';
      return { status: 'fail', durationMs: clock.now() - started, detail };
    } finally {
      timer?.clear();
    }
  };

  const health = (_request?: Request): Promise<Response> =>
    Promise.resolve(withSecurityHeaders(jsonResponse(200, { status: 'ok' })));
  const ready = async (_request?: Request): Promise<Response> => {
    const results = await Promise.all(
      checks.map(async ([name, check]) => [name, await runCheck(name, check)] as const),
    );
    const failing = results.filter(([, result]) => result.status === 'fail').map(([name]) => name);
    const body = {
      status: failing.length === 0 ? 'ok' : 'fail',
      ...(failing.length > 0 ? { failing } : {}),
      checks: Object.fromEntries(results),
    };
    return withSecurityHeaders(jsonResponse(failing.length === 0 ? 200 : 503, body));
  };

  return {
    health,
    ready,
    async handle(request) {
      const { pathname } = new URL(request.url);
      const route =
        pathname === `${basePath}/health` ? health : pathname === `${basePath}/ready` ? ready : undefined;
      if (!route) return withSecurityHeaders(plainProblem(404, `No route serves ${pathname}`));
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return withSecurityHeaders(
          plainProblem(405, `${request.method} is not served at ${pathname}; use GET`, {
            allow: 'GET, HEAD',
          }),
        );
      }
      return route(request);
    },
  };
}
