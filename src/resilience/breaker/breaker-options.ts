import { createMemoryBreakerStateStore } from './memory-breaker-state-store.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { BreakerStateStore } from './breaker-state-store.js';
import type { BreakerSnapshot } from './breaker-snapshot.js';
import { checkBreakerSnapshot } from './breaker-snapshot-check.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import {
  checkClockOption,
  checkFunctionOption,
  checkLoggerOption,
  checkStringOption,
  hasMethods,
  numberOption,
  optionalOption,
} from '../../util/options.js';
import { formatValidationIssues } from '../../errors/validation-error.js';
import { uuidv7 } from '../../util/uuid.js';
import { constantBackoff, type Backoff } from '../backoff.js';
import { isFailureResponse, isServiceFault } from '../http.js';
import { consecutiveFailures } from './consecutive-failures.js';
import { checkWindow, type TripPolicy } from './trip-policy.js';

/** Options of {@link circuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * The breaker's name: its key in the store, and the name in its errors and events. Required
   * with a `store`, so that two breakers never share state by accident.
   * @default 'circuit-breaker'
   */
  readonly name?: string;
  /** When the closed breaker opens. @default consecutiveFailures(5) */
  readonly policy?: TripPolicy;
  /**
   * How long the breaker stays open before it lets probes through: a fixed time, or a
   * {@link Backoff} over the number of times it opened since it last closed (so an outage that
   * goes on is probed less and less often).
   * @default 60_000
   */
  readonly openDuration?: number | Backoff;
  /** Probe calls allowed at once in half-open, across every instance sharing the store. @default 1 */
  readonly halfOpenMaxProbes?: number;
  /** Successful probes that close the breaker. @default 2 */
  readonly halfOpenSuccessThreshold?: number;
  /** A half-open trial that has not concluded after this long gives up and reopens. @default 60_000 */
  readonly halfOpenMaxWaitMs?: number;
  /**
   * Which errors count against the breaker. Errors that do not count as successes: the service
   * answered. @default isServiceFault (HTTP 4xx other than 408 and 429 do not count)
   */
  readonly isFailure?: (error: unknown) => boolean;
  /** Which results count against the breaker. @default isFailureResponse (a fetch `Response` with 5xx, 408 or 429) */
  readonly isFailureResult?: (result: unknown) => boolean;
  /**
   * Failures must come from at least this many distinct instances (within the window) before the
   * breaker opens, so that one sick instance cannot trip the breaker for the others.
   * @default 1
   */
  readonly minInstances?: number;
  /**
   * Where the state lives; share a Redis store between instances to share the breaker. Create
   * breakers once and reuse them: on a store that watches (memory) a breaker stays subscribed for
   * as long as the store lives.
   * @default a new memory store
   */
  readonly store?: BreakerStateStore;
  /** Identifies this instance in the shared window. @default a random id */
  readonly instanceId?: string;
  /** How long this instance trusts its copy of the shared state before reading it again (0: read before every call). @default 1_000 */
  readonly cacheTtlMs?: number;
  /**
   * Successes are written to the store in batches: when this many are waiting, or `flushIntervalMs`
   * after the first of them. Failures and slow calls are written at once, after the successes
   * before them. @default 100
   */
  readonly maxBatch?: number;
  /** @default 1_000 */
  readonly flushIntervalMs?: number;
  /**
   * A store operation that takes longer is abandoned (the breaker then lets calls through rather
   * than block on its own bookkeeping). @default 1_000
   */
  readonly storeTimeoutMs?: number;
  /**
   * State to start from (a previous `toJSON()`), applied if the store holds nothing for the breaker.
   * @default none: a new breaker starts closed
   */
  readonly initialState?: BreakerSnapshot;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Receives store errors and failing event listeners. @default silentLogger */
  readonly logger?: Logger;
}

/**
 * {@link CircuitBreakerOptions} with every default applied.
 *
 * @internal
 */
export interface NormalizedBreakerOptions {
  readonly name: string;
  readonly policy: TripPolicy;
  readonly openDuration: Backoff;
  readonly halfOpenMaxProbes: number;
  readonly halfOpenSuccessThreshold: number;
  readonly halfOpenMaxWaitMs: number;
  readonly isFailure: (error: unknown) => boolean;
  readonly isFailureResult: (result: unknown) => boolean;
  readonly minInstances: number;
  readonly store: BreakerStateStore;
  readonly instanceId: string;
  readonly cacheTtlMs: number;
  readonly maxBatch: number;
  readonly flushIntervalMs: number;
  readonly storeTimeoutMs: number;
  readonly initialState: BreakerSnapshot | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}

const MAX_MS = 86_400_000;
const FACTORY = 'circuitBreaker';
const details = { factory: FACTORY } as const;

function checkPolicy(policy: unknown): TripPolicy {
  if (typeof policy !== 'object' || policy === null || typeof (policy as TripPolicy).trip !== 'function') {
    throw new InvalidOptionError(
      'policy',
      policy,
      'a TripPolicy, e.g. consecutiveFailures(5) or countWindow({ size: 100 })',
      details,
    );
  }
  const given = policy as TripPolicy;
  const { window, slowCallDurationMs } = given;
  checkWindow('policy.window', window, details);
  numberOption('policy.slowCallDurationMs', slowCallDurationMs, 0, { min: 1, max: 3_600_000 }, details);
  return { window, slowCallDurationMs, trip: (stats) => given.trip(stats) };
}

function checkInitialState(state: unknown): BreakerSnapshot | undefined {
  if (state === undefined) return undefined;
  const checked = checkBreakerSnapshot(state);
  if (!checked.ok)
    throw new InvalidOptionError(
      'initialState',
      state,
      `a breaker snapshot (${formatValidationIssues(checked.issues)})`,
      details,
    );
  return checked.snapshot;
}

const optional = <K extends keyof CircuitBreakerOptions>(
  options: CircuitBreakerOptions,
  option: K,
  expected: string,
  isValid: (value: unknown) => boolean,
): void => optionalOption(FACTORY, options, option, expected, isValid);

/**
 * Validates the options eagerly and applies the defaults; every error names `circuitBreaker`.
 *
 * @internal
 */
export function normalizeBreakerOptions(options: CircuitBreakerOptions): NormalizedBreakerOptions {
  if (options.store !== undefined && options.name === undefined) {
    throw new InvalidOptionError(
      'name',
      undefined,
      'a breaker name when a store is given: it is the key in the store',
      details,
    );
  }
  const openDuration = options.openDuration;
  optional(
    options,
    'openDuration',
    'milliseconds or a Backoff, e.g. 60_000 or exponentialBackoff()',
    (value) => typeof value === 'number' || hasMethods('delay')(value),
  );
  for (const name of ['isFailure', 'isFailureResult'] as const)
    checkFunctionOption(name, options[name], false, details);
  optional(
    options,
    'store',
    'a BreakerStateStore, e.g. createRedisBreakerStateStore({ client })',
    hasMethods('record'),
  );
  checkClockOption(options.clock, details);
  checkLoggerOption(options.logger, details);
  const store = options.store;
  return {
    name:
      options.name === undefined ? 'circuit-breaker' : checkStringOption('name', options.name, 200, details),
    policy: options.policy === undefined ? consecutiveFailures(5) : checkPolicy(options.policy),
    openDuration:
      typeof openDuration === 'object'
        ? openDuration
        : constantBackoff(
            numberOption('openDuration', openDuration, 60_000, { min: 1, max: MAX_MS }, details),
          ),
    halfOpenMaxProbes: numberOption(
      'halfOpenMaxProbes',
      options.halfOpenMaxProbes,
      1,
      { integer: true, min: 1, max: 1_000 },
      details,
    ),
    halfOpenSuccessThreshold: numberOption(
      'halfOpenSuccessThreshold',
      options.halfOpenSuccessThreshold,
      2,
      { integer: true, min: 1, max: 1_000 },
      details,
    ),
    halfOpenMaxWaitMs: numberOption(
      'halfOpenMaxWaitMs',
      options.halfOpenMaxWaitMs,
      60_000,
      { min: 1, max: MAX_MS },
      details,
    ),
    isFailure: options.isFailure ?? isServiceFault,
    isFailureResult: options.isFailureResult ?? isFailureResponse,
    minInstances: numberOption(
      'minInstances',
      options.minInstances,
      1,
      { integer: true, min: 1, max: 1_000 },
      details,
    ),
    store: store ?? createMemoryBreakerStateStore(),
    instanceId:
      options.instanceId === undefined
        ? uuidv7().slice(-12)
        : checkStringOption('instanceId', options.instanceId, 100, details),
    cacheTtlMs: numberOption('cacheTtlMs', options.cacheTtlMs, 1_000, { max: MAX_MS }, details),
    maxBatch: numberOption(
      'maxBatch',
      options.maxBatch,
      100,
      { integer: true, min: 1, max: 1_000_000 },
      details,
    ),
    flushIntervalMs: numberOption(
      'flushIntervalMs',
      options.flushIntervalMs,
      1_000,
      { max: MAX_MS },
      details,
    ),
    storeTimeoutMs: numberOption(
      'storeTimeoutMs',
      options.storeTimeoutMs,
      1_000,
      { min: 1, max: MAX_MS, allowInfinity: true },
      details,
    ),
    initialState: checkInitialState(options.initialState),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
  };
}
