/**
 * The reliability suite's load, by RELIABILITY_SIZE: `reduced` (the default; what CI runs, in
 * under 6 minutes) or `full` (issue #15's figures; run it by hand:
 * `RELIABILITY_SIZE=full npm run test:reliability`).
 */
export interface ReliabilitySize {
  readonly name: 'reduced' | 'full';
  /** Scenario 1: concurrent booking attempts, for this many slots, across two backends. */
  readonly booking: { readonly attempts: number; readonly slots: number };
  /** Scenario 2: distinct webhook events, each delivered 1 to `maxCopies` times. */
  readonly webhooks: { readonly events: number; readonly maxCopies: number };
  /** Scenario 3: kill rounds, each SIGKILLing a backend amid `bookings` bookings. */
  readonly kills: { readonly rounds: number; readonly bookings: number };
  /** Scenario 6: fuzz cases, spread over the webhook, function-call and REST bodies and headers. */
  readonly fuzz: { readonly cases: number };
}

const SIZES: Readonly<Record<ReliabilitySize['name'], ReliabilitySize>> = {
  reduced: {
    name: 'reduced',
    booking: { attempts: 200, slots: 20 },
    webhooks: { events: 1_000, maxCopies: 3 },
    kills: { rounds: 10, bookings: 10 },
    fuzz: { cases: 1_000 },
  },
  full: {
    name: 'full',
    booking: { attempts: 1_000, slots: 100 },
    webhooks: { events: 10_000, maxCopies: 5 },
    kills: { rounds: 10, bookings: 50 },
    fuzz: { cases: 10_000 },
  },
};

/** The size RELIABILITY_SIZE names (`reduced` when unset). */
export function reliabilitySize(env: NodeJS.ProcessEnv = process.env): ReliabilitySize {
  const name = env.RELIABILITY_SIZE ?? 'reduced';
  if (name !== 'reduced' && name !== 'full')
    throw new Error(`RELIABILITY_SIZE must be "reduced" or "full", got "${name}"`);
  return SIZES[name];
}
