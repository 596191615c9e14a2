import { checkNumberOption } from '../../util/options.js';

// Faults on demand. One-shot faults apply to the next matching requests in the order they were
// asked for; the latency and the error rate stay until changed or cleared.

/** Which requests a one-shot fault applies to. @default every request */
export interface CalcomSimRequestMatch {
  /** e.g. `POST`. */
  readonly method?: string;
  /** A path prefix (`/v2/bookings`) or a pattern. */
  readonly path?: string | RegExp;
}

/** A one-shot fault, as the simulator applies it. @internal */
export type SimOneShotFault =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'fail'; readonly status: number }
  | { readonly kind: 'rate-limited'; readonly resetSeconds: number }
  | { readonly kind: 'lose-response'; readonly as: 'drop' | number };

/** Faults the simulator injects on demand. */
export interface CalcomSimFaultControl {
  /** Every request waits `ms` on the simulator's clock before it is handled. @default 0 */
  setLatency(ms: number): void;
  /**
   * This share of requests (0 to 1) is answered with `status` before anything is done, drawn
   * with the simulator's `random`. @default 0, status 500
   */
  setErrorRate(rate: number, status?: number): void;
  /** The next `count` matching requests are never answered, until the caller aborts them. */
  timeoutNext(count?: number, match?: CalcomSimRequestMatch): void;
  /** The next `count` matching requests are answered with `status` (5xx) without being carried out. */
  failNext(count?: number, options?: CalcomSimRequestMatch & { readonly status?: number }): void;
  /**
   * A 429 burst: the next `count` matching requests are refused as if the key's limit were
   * spent, with `X-RateLimit-Reset-Default: resetSeconds`. @default resetSeconds 60
   */
  rateLimitNext(count?: number, options?: CalcomSimRequestMatch & { readonly resetSeconds?: number }): void;
  /**
   * The next `count` matching requests are carried out (the write happens), then the answer is
   * lost: the connection drops (`as: 'drop'`, a network error) or a 5xx status comes back.
   * @default as 'drop'
   */
  loseResponseNext(count?: number, options?: CalcomSimRequestMatch & { readonly as?: 'drop' | number }): void;
  /** Removes every fault. */
  clear(): void;
}

/** @internal */
export interface SimFaults extends CalcomSimFaultControl {
  readonly latencyMs: number;
  /** Whether the error rate strikes this request, and with which status. */
  drawError(): number | null;
  /** The first pending one-shot fault that matches, consumed. */
  take(method: string, path: string, phase: 'before' | 'after'): SimOneShotFault | null;
}

interface Pending {
  readonly fault: SimOneShotFault;
  readonly match: CalcomSimRequestMatch;
  left: number;
}

const matches = (match: CalcomSimRequestMatch, method: string, path: string): boolean =>
  (match.method === undefined || match.method.toUpperCase() === method) &&
  (match.path === undefined ||
    (typeof match.path === 'string' ? path.startsWith(match.path) : match.path.test(path)));

/** @internal */
export function createSimFaults(random: () => number): SimFaults {
  const details = { factory: 'CalcomSimulator.faults' };
  let latencyMs = 0;
  let errorRate = 0;
  let errorStatus = 500;
  let pending: Pending[] = [];

  const add = (fault: SimOneShotFault, count: number, match: CalcomSimRequestMatch = {}): void => {
    checkNumberOption('count', count, { min: 1, integer: true }, details);
    pending.push({ fault, match, left: count });
  };
  const status5xx = (status: number): number =>
    checkNumberOption('status', status, { min: 500, max: 599, integer: true }, details);

  return {
    get latencyMs() {
      return latencyMs;
    },
    setLatency(ms) {
      latencyMs = checkNumberOption('ms', ms, { min: 0 }, details);
    },
    setErrorRate(rate, status = 500) {
      errorRate = checkNumberOption('rate', rate, { min: 0, max: 1 }, details);
      errorStatus = status5xx(status);
    },
    timeoutNext: (count = 1, match) => add({ kind: 'timeout' }, count, match),
    failNext: (count = 1, options = {}) =>
      add({ kind: 'fail', status: status5xx(options.status ?? 500) }, count, options),
    rateLimitNext: (count = 1, options = {}) =>
      add(
        {
          kind: 'rate-limited',
          resetSeconds: checkNumberOption(
            'resetSeconds',
            options.resetSeconds ?? 60,
            { min: 0, integer: true },
            details,
          ),
        },
        count,
        options,
      ),
    loseResponseNext(count = 1, options = {}) {
      const as = options.as ?? 'drop';
      add({ kind: 'lose-response', as: as === 'drop' ? as : status5xx(as) }, count, options);
    },
    clear() {
      latencyMs = 0;
      errorRate = 0;
      pending = [];
    },
    drawError: () => (errorRate > 0 && random() < errorRate ? errorStatus : null),
    take(method, path, phase) {
      const entry = pending.find(
        (candidate) =>
          (candidate.fault.kind === 'lose-response') === (phase === 'after') &&
          matches(candidate.match, method, path),
      );
      if (!entry) return null;
      entry.left -= 1;
      if (entry.left === 0) pending = pending.filter((candidate) => candidate !== entry);
      return entry.fault;
    },
  };
}
