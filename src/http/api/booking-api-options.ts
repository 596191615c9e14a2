import type { AvailabilityService } from '../../booking/availability/availability-service.js';
import type { BookingService } from '../../booking/service/booking-service.js';
import { reentrantAdmission, type Admission } from '../../booking/service/admission.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { Policy } from '../../resilience/policy.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { hasMethods, isClock, numberOption, requireOption } from '../../util/options.js';
import { checkProblemStatuses } from '../problem.js';
import type { HttpIdempotencySettings } from './http-idempotency.js';
import type { ProblemContext } from './problems.js';
import { normaliseBasePath } from './router.js';
import type { CallerContext } from './serve-routes.js';

/**
 * Options of {@link createBookingApi}. The parts are named as `createBookingKit` names them, so a
 * kit fits as it is: `createBookingApi(kit)` or `createBookingApi({ ...kit, basePath: '/v1' })`.
 */
export interface BookingApiOptions {
  /** Runs the commands (book, reschedule, cancel). */
  readonly service: BookingService;
  /** Answers `GET /availability`. */
  readonly availability: Pick<AvailabilityService, 'getSlots'>;
  /** Where appointments are read (`GET /appointments`, `GET /appointments/:id`). */
  readonly stores: { readonly appointments: Pick<AppointmentRepository, 'get' | 'list'> };
  /** Finds the tenant of each request's API key. */
  readonly tenants: TenantDirectory;
  /** Stores the answers of POST requests for their `Idempotency-Key` (may be the service's own). */
  readonly idempotency: IdempotencyStore;
  /**
   * The service's admission control (`kit.admission`), applied to each POST before its
   * `Idempotency-Key` is claimed: a request refused for overload answers 503 with `Retry-After`
   * at once and writes nothing (no claim to release), and an admitted request's command runs in
   * the request's slot. Pass the service's own: another policy is a second limit in front of it,
   * and without one every request claims its key before the service can refuse it.
   * @default none
   */
  readonly admission?: Policy | false | undefined;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Where failures are logged (codes and statuses; never bodies or keys). @default silentLogger */
  readonly logger?: Logger;
  /** Path the routes are served under. @default '/api' */
  readonly basePath?: string;
  /** Largest request body accepted, in bytes (413 beyond). @default 65536 (64 KiB) */
  readonly limitBytes?: number;
  /** How long an `Idempotency-Key` and its answer are kept, in ms. @default 86400000 (24 h) */
  readonly idempotencyTtlMs?: number;
  /**
   * How long a request whose key is still in flight waits for the first one's answer before it
   * is refused with 409, in ms.
   * @default 2000
   */
  readonly idempotencyWaitMs?: number;
  /** Extra error-code-to-status rows for the problem responses. @default {} */
  readonly statuses?: Readonly<Record<string, number>>;
}

/** Options checked, defaults applied. @internal */
export interface ResolvedBookingApi extends ProblemContext {
  readonly service: BookingService;
  readonly availability: Pick<AvailabilityService, 'getSlots'>;
  readonly appointments: Pick<AppointmentRepository, 'get' | 'list'>;
  readonly tenants: TenantDirectory;
  readonly basePath: string;
  readonly limitBytes: number;
  readonly idempotency: HttpIdempotencySettings;
  /** Admits the POSTs, around their idempotent handling; `undefined` for none. */
  readonly admission: Admission | undefined;
}

/** What each route is given. @internal */
export type ApiRouteContext = CallerContext<ResolvedBookingApi>;

const FACTORY = 'createBookingApi';

/** Checks the options of {@link createBookingApi}. @internal */
export function resolveBookingApiOptions(options: BookingApiOptions): ResolvedBookingApi {
  const details = { factory: FACTORY };
  const service = requireOption(
    FACTORY,
    options,
    'service',
    'a BookingService, e.g. kit.service',
    hasMethods('book', 'reschedule', 'cancel'),
  );
  const availability = requireOption(
    FACTORY,
    options,
    'availability',
    'an AvailabilityService, e.g. kit.availability',
    hasMethods('getSlots'),
  );
  const stores = requireOption(
    FACTORY,
    options,
    'stores',
    'the stores, e.g. kit.stores (with appointments)',
    (value) => hasMethods('get', 'list')((value as { appointments?: unknown } | null)?.appointments),
  );
  const tenants = requireOption(
    FACTORY,
    options,
    'tenants',
    'a TenantDirectory, e.g. kit.tenants',
    hasMethods('findByApiKey'),
  );
  const store = requireOption(
    FACTORY,
    options,
    'idempotency',
    'an IdempotencyStore, e.g. kit.idempotency',
    hasMethods('begin', 'complete', 'release'),
  );
  const admission =
    options.admission === undefined || options.admission === false
      ? undefined
      : reentrantAdmission(
          requireOption(
            FACTORY,
            options,
            'admission',
            "the service's admission Policy (kit.admission), or false",
            hasMethods('execute'),
          ) as Policy,
        );
  const clock =
    options.clock === undefined
      ? systemClock
      : requireOption(FACTORY, options, 'clock', 'a Clock, e.g. systemClock', isClock);
  const ttlMs = numberOption(
    'idempotencyTtlMs',
    options.idempotencyTtlMs,
    86_400_000,
    { min: 1_000, integer: true },
    details,
  );
  return {
    service,
    availability,
    appointments: stores.appointments,
    tenants,
    clock,
    logger: options.logger ?? silentLogger,
    statuses: checkProblemStatuses(options.statuses, details),
    basePath: normaliseBasePath(options.basePath ?? '/api', FACTORY),
    admission,
    limitBytes: numberOption('limitBytes', options.limitBytes, 65_536, { integer: true, min: 1 }, details),
    idempotency: {
      store,
      clock,
      ttlMs,
      lockTtlMs: Math.min(60_000, ttlMs),
      waitMs: numberOption(
        'idempotencyWaitMs',
        options.idempotencyWaitMs,
        2_000,
        { integer: true, max: 60_000 },
        details,
      ),
    },
  };
}
