import type { AvailabilityService } from '../../booking/availability/availability-service.js';
import type { BookingService } from '../../booking/service/booking-service.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { CalendarProvider } from '../../ports/calendar-provider.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import {
  checkClockOption,
  checkLoggerOption,
  hasMethods,
  numberOption,
  requireOption,
} from '../../util/options.js';
import { defaultRetellToleranceMs } from '../signature.js';
import type { Locale } from '../../domain/locale.js';
import type { RetellFunction, RetellTenantContext } from './define-function.js';
import type { RetellFunctionCallInfo } from './function-call.js';

/** Options of {@link createRetellFunctionRouter}. */
export interface RetellFunctionRouterOptions {
  /**
   * The Retell API key with the webhook badge, that signs the function requests; or a function
   * that picks it for a request (e.g. by its path), `null` when there is none (answered 401).
   */
  readonly apiKey: string | ((request: Request) => string | null | Promise<string | null>);
  /**
   * The tenant a call belongs to (e.g. by `call.to_number` for inbound calls, or by the agent),
   * or `null`: the agent then hears a polite refusal and nothing of any tenant is read.
   */
  readonly resolveTenant: (call: RetellFunctionCallInfo) => Promise<RetellTenantContext | null>;
  /** Where bookings go (origin `voice`, linked to the call). */
  readonly service: Pick<BookingService, 'book' | 'reschedule' | 'cancel'>;
  /** Free slots and alternatives. */
  readonly availability: Pick<AvailabilityService, 'getSlots' | 'findAlternatives'>;
  /** The tenants' event types are the services offered. */
  readonly calendar: Pick<CalendarProvider, 'listEventTypes'>;
  /** Appointments and customers, for `find_my_appointments` and to check whose appointment it is. */
  readonly stores: {
    readonly appointments: Pick<AppointmentRepository, 'get' | 'list'>;
    readonly customers: Pick<CustomerRepository, 'get' | 'findByPhone'>;
  };
  /** Keeps each function call's answer, so Retell's retries get it instead of running again. */
  readonly idempotency: IdempotencyStore;
  /**
   * The host's own functions, validated, bounded and idempotent like the built-ins (see
   * `defineRetellFunction`). One named like a built-in replaces it.
   * @default []
   */
  readonly functions?: readonly RetellFunction[];
  /** Offer the built-in functions. @default true */
  readonly builtIns?: boolean;
  /** Alternatives offered for a taken time (1–10). @default 3 */
  readonly alternatives?: number;
  /** How long a tenant's services (event types) are cached, ms. @default 300_000 */
  readonly serviceCacheTtlMs?: number;
  /** How long a changing function's answer is replayed to a repeat, ms. @default 86_400_000 */
  readonly replayTtlMs?: number;
  /** How long a read's answer is replayed to a repeat, ms. @default 30_000 */
  readonly readReplayMs?: number;
  /**
   * How long a call's claim is held while its work runs, ms; a repeat after it may run the work
   * again (a booking is still made once: the booking service is idempotent on the same key).
   * @default 120_000
   */
  readonly lockTtlMs?: number;
  /** The language of the refusal when no tenant is found. @default 'en' */
  readonly defaultLocale?: Locale;
  /** Largest answer, in characters (Retell cuts at 15,000). @default 12_000 */
  readonly maxResponseChars?: number;
  /** Largest request body, bytes (the call object carries the transcript so far). @default 4194304 */
  readonly limitBytes?: number;
  /** Largest distance of the signature's timestamp from now, ms. @default 300_000 */
  readonly toleranceMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Failures (never bodies, arguments or keys). @default silentLogger */
  readonly logger?: Logger;
}

/** @internal */
export const FACTORY = 'createRetellFunctionRouter';

/** The router's options, checked, with their defaults. @internal */
export function resolveRouterOptions(options: RetellFunctionRouterOptions) {
  const isFunction = (value: unknown): boolean => typeof value === 'function';
  const apiKey = requireOption(
    FACTORY,
    options,
    'apiKey',
    'the Retell API key with the webhook badge, or a function picking it',
    (v) => (typeof v === 'string' && v.length > 0) || typeof v === 'function',
  );
  const resolveTenant = requireOption(
    FACTORY,
    options,
    'resolveTenant',
    'a function from the call to its tenant context or null',
    isFunction,
  );
  const service = requireOption(
    FACTORY,
    options,
    'service',
    'the BookingService, e.g. kit.service',
    hasMethods('book', 'reschedule', 'cancel'),
  );
  const availability = requireOption(
    FACTORY,
    options,
    'availability',
    'the AvailabilityService, e.g. kit.availability',
    hasMethods('getSlots', 'findAlternatives'),
  );
  const calendar = requireOption(
    FACTORY,
    options,
    'calendar',
    'a CalendarProvider, e.g. kit.calendar',
    hasMethods('listEventTypes'),
  );
  const stores = requireOption(
    FACTORY,
    options,
    'stores',
    'the stores with appointments and customers, e.g. kit.stores',
    (v) => {
      const s = v as { appointments?: unknown; customers?: unknown };
      return hasMethods('get', 'list')(s.appointments) && hasMethods('get', 'findByPhone')(s.customers);
    },
  );
  const idempotency = requireOption(
    FACTORY,
    options,
    'idempotency',
    'an IdempotencyStore, e.g. kit.idempotency',
    hasMethods('begin', 'complete', 'release'),
  );
  const details = { factory: FACTORY };
  checkClockOption(options.clock, details);
  checkLoggerOption(options.logger, details);
  const alternatives = numberOption(
    'alternatives',
    options.alternatives,
    3,
    { min: 1, max: 10, integer: true },
    details,
  );
  const serviceCacheTtlMs = numberOption(
    'serviceCacheTtlMs',
    options.serviceCacheTtlMs,
    300_000,
    { min: 0, integer: true },
    details,
  );
  const replayTtlMs = numberOption(
    'replayTtlMs',
    options.replayTtlMs,
    86_400_000,
    { min: 1, integer: true },
    details,
  );
  const readReplayMs = numberOption(
    'readReplayMs',
    options.readReplayMs,
    30_000,
    { min: 1, integer: true },
    details,
  );
  const lockTtlMs = numberOption('lockTtlMs', options.lockTtlMs, 120_000, { min: 1, integer: true }, details);
  const maxResponseChars = numberOption(
    'maxResponseChars',
    options.maxResponseChars,
    12_000,
    { min: 500, max: 15_000, integer: true },
    details,
  );
  const limitBytes = numberOption(
    'limitBytes',
    options.limitBytes,
    4 * 1024 * 1024,
    { integer: true },
    details,
  );
  const toleranceMs = numberOption(
    'toleranceMs',
    options.toleranceMs,
    defaultRetellToleranceMs,
    { integer: true },
    details,
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const defaultLocale = options.defaultLocale ?? 'en';
  return {
    apiKey,
    resolveTenant,
    service,
    availability,
    calendar,
    stores,
    idempotency,
    alternatives,
    serviceCacheTtlMs,
    replayTtlMs,
    readReplayMs,
    lockTtlMs,
    maxResponseChars,
    limitBytes,
    toleranceMs,
    clock,
    logger,
    defaultLocale,
  };
}
