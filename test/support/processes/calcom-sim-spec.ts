import type { CalcomSimAccountInput } from '../../../src/testing/calcom-simulator/simulator-options.js';
import type { CalcomSimEventTypeInput } from '../../../src/testing/calcom-simulator/sim-event-type.js';

/** What the simulator process starts with (CALCOM_SIM_SPEC, JSON). */
export interface CalcomSimSpec {
  readonly accounts: readonly CalcomSimAccountInput[];
  readonly eventTypes?: readonly CalcomSimEventTypeInput[];
  /** Cal.com's per-key limit; off unless given, so load tests measure the backend. @default false */
  readonly rateLimitPerMinute?: number | false;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** The control API's port. @default 0 (a free port) */
  readonly controlPort?: number;
}
