import { z } from 'zod';

/**
 * The states of a circuit breaker: `closed` (calls pass and are counted), `open` (calls are
 * rejected until `until`), `half-open` (a few probe calls test the service), `isolated` (held
 * open by hand until reset) and `disabled` (calls pass and nothing is counted, until reset).
 */
export const CircuitState = z.enum(['closed', 'open', 'half-open', 'isolated', 'disabled']);
/** One of the {@link CircuitState} values. */
export type CircuitState = z.infer<typeof CircuitState>;

const count = z.number().int().nonnegative();

/**
 * The state of one circuit breaker as a store keeps it: plain JSON, the same in every store, so a
 * breaker serialises (`toJSON()`) and rehydrates (`initialState`) through it. The breaker checks
 * an `initialState` with `checkBreakerSnapshot`, which mirrors this schema without zod (a test keeps
 * the two in agreement), so that a consumer bundling only `circuitBreaker` does not bundle zod.
 */
export const BreakerSnapshot = z.object({
  state: CircuitState,
  /** Bumped by every transition; `0` for a breaker never written. Guards every write. */
  generation: count,
  /** When the current state was entered, epoch ms (`0` for a breaker never written). */
  since: z.number(),
  /**
   * `open`: when probes may start (the end of the open period). `half-open`: when an unfinished
   * trial gives up and reopens. Otherwise `null`.
   */
  until: z.number().nullable(),
  /** How many times the breaker opened since it was last closed; drives a growing open period. */
  opens: count,
  /** Half-open probe permits currently taken. */
  probes: count,
  /** Successful probes in the current half-open period. */
  probeSuccesses: count,
  /** Why the current state was entered, e.g. `5 consecutive failures`. */
  reason: z.string().max(500).nullable(),
});
/** The state of one circuit breaker, as stored and serialised. */
export type BreakerSnapshot = z.infer<typeof BreakerSnapshot>;
