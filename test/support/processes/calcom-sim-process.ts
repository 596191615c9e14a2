import type { CalcomSimBooking } from '../../../src/testing/calcom-simulator/sim-booking-record.js';
import type {
  CalcomSimEventTypeInput,
  CalcomSimEventTypeRecord,
} from '../../../src/testing/calcom-simulator/sim-event-type.js';
import type { CalcomSimFaultControl } from '../../../src/testing/calcom-simulator/sim-faults.js';
import type { CalcomSimWebhookSubscription } from '../../../src/testing/calcom-simulator/sim-webhook-subscriptions.js';
import { bundle } from './bundle.js';
import type { CalcomSimSpec } from './calcom-sim-spec.js';
import { startChild, type Child } from './child-process.js';

/** A fault's request match over the wire: a path prefix, or a pattern as a string. */
export interface RemoteRequestMatch {
  readonly method?: string;
  /** A path prefix, e.g. `/v2/bookings`. */
  readonly path?: string;
  /** A regular expression's source, e.g. `^/v2/bookings$`. */
  readonly pathPattern?: string;
}

/** {@link CalcomSimFaultControl} over the control API (path patterns as strings). */
export interface RemoteFaults {
  setLatency(ms: number): Promise<void>;
  setErrorRate(rate: number, status?: number): Promise<void>;
  timeoutNext(count?: number, match?: RemoteRequestMatch): Promise<void>;
  failNext(count?: number, options?: RemoteRequestMatch & { readonly status?: number }): Promise<void>;
  rateLimitNext(
    count?: number,
    options?: RemoteRequestMatch & { readonly resetSeconds?: number },
  ): Promise<void>;
  loseResponseNext(
    count?: number,
    options?: RemoteRequestMatch & { readonly as?: 'drop' | number },
  ): Promise<void>;
  clear(): Promise<void>;
}

/** The simulator's webhook control over the control API. */
export interface RemoteWebhooks {
  duplicateNext(count?: number, times?: number): Promise<void>;
  dropNext(count?: number): Promise<void>;
  hold(): Promise<void>;
  release(order?: 'made' | 'reverse' | readonly number[]): Promise<void>;
  settled(): Promise<void>;
  subscriptions(): Promise<CalcomSimWebhookSubscription[]>;
  /** How many deliveries were made, by outcome (`answered 200`, `failed`, `held`, ...). */
  deliveries(): Promise<{ total: number; byOutcome: Record<string, number> }>;
}

/** The Cal.com simulator running as its own process. */
export interface CalcomSimProcess {
  /** The Cal.com API's base URL (CALCOM_BASE_URL). */
  readonly url: string;
  /** The control API's base URL. */
  readonly controlUrl: string;
  readonly child: Child;
  /** Every booking the simulator holds, in creation order. */
  bookings(): Promise<CalcomSimBooking[]>;
  addEventType(eventType: CalcomSimEventTypeInput): Promise<CalcomSimEventTypeRecord>;
  requestReschedule(uid: string, reason?: string): Promise<CalcomSimBooking>;
  readonly faults: RemoteFaults;
  readonly webhooks: RemoteWebhooks;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Checks that the type of the remote faults covers the simulator's (a compile-time check only). */
type Covers = { [K in keyof CalcomSimFaultControl]: K extends keyof RemoteFaults ? true : never };
const _covers: Covers = {
  setLatency: true,
  setErrorRate: true,
  timeoutNext: true,
  failNext: true,
  rateLimitNext: true,
  loseResponseNext: true,
  clear: true,
};
void _covers;

/**
 * Starts the Cal.com simulator as its own process (so that killing a backend leaves it running and
 * every backend sees the same Cal.com), seeded with `spec`, and resolves once it listens.
 *
 * @example
 * ```ts
 * const calcom = await startCalcomSimulator({ accounts: [{ apiKey: 'cal_a', username: 'a' }] });
 * await calcom.faults.failNext(2, { method: 'POST', path: '/v2/bookings' });
 * await calcom.stop();
 * ```
 */
export async function startCalcomSimulator(spec: CalcomSimSpec): Promise<CalcomSimProcess> {
  const script = await bundle('test/support/processes/calcom-sim-main.ts');
  const child = startChild({
    name: 'calcom-simulator',
    args: ['--enable-source-maps', script],
    env: { ...process.env, CALCOM_SIM_SPEC: JSON.stringify(spec) },
  });
  let ready: RegExpExecArray;
  try {
    ready = await child.waitFor(/calcom-simulator ready (\{.*\})\n/, 30_000, 'the simulator to listen');
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  const { url, controlUrl } = JSON.parse(ready[1]!) as { url: string; controlUrl: string };

  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const value = (await response.json()) as T & { error?: string };
    if (!response.ok)
      throw new Error(`calcom simulator control ${method} ${path}: ${response.status} ${value.error}`);
    return value;
  };
  /** Posts the arguments as an array, trailing `undefined`s left out (JSON would make them null). */
  const post =
    (path: string) =>
    async (...args: unknown[]) => {
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      await call('POST', path, args);
    };

  return {
    url,
    controlUrl,
    child,
    bookings: () => call('GET', '/bookings'),
    addEventType: (eventType) => call('POST', '/event-types', eventType),
    requestReschedule: (uid, reason) => call('POST', '/request-reschedule', { uid, reason }),
    faults: {
      setLatency: post('/faults/setLatency'),
      setErrorRate: post('/faults/setErrorRate'),
      timeoutNext: post('/faults/timeoutNext'),
      failNext: post('/faults/failNext'),
      rateLimitNext: post('/faults/rateLimitNext'),
      loseResponseNext: post('/faults/loseResponseNext'),
      clear: post('/faults/clear'),
    },
    webhooks: {
      duplicateNext: post('/webhooks/duplicateNext'),
      dropNext: post('/webhooks/dropNext'),
      hold: post('/webhooks/hold'),
      release: post('/webhooks/release'),
      settled: post('/webhooks/settled'),
      subscriptions: () => call('GET', '/webhooks/subscriptions'),
      deliveries: () => call('GET', '/webhooks/deliveries'),
    },
    stop: async () => void (await child.stop('SIGTERM', 5_000)),
  };
}
