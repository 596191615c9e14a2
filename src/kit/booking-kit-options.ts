import type { MemoryCalendarEventTypeInput } from '../adapters/memory/memory-calendar-schedule.js';
import type { BookingServiceOptions } from '../booking/service/booking-service-options.js';
import type { OutboxRelayOptions } from '../events/outbox-relay.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AvailabilityCache } from '../ports/availability-cache.js';
import type { CalendarProvider } from '../ports/calendar-provider.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { OutboxStore } from '../ports/outbox-store.js';
import type { TransactionalStores, UnitOfWork } from '../ports/unit-of-work.js';
import type { SagaStore } from '../saga/saga-store.js';
import type { TenantDirectory } from '../tenancy/tenant-directory.js';
import type { Tenant } from '../tenancy/tenant.js';

/**
 * The stores a kit writes through: the repositories, the outbox and the unit of work that spans
 * them, as `createMemoryStores()` and `createPostgresStores({ sql })` return them.
 */
export interface BookingKitStores extends TransactionalStores {
  /** The whole outbox: the bus writes to it, the relay delivers from it. */
  readonly outbox: OutboxStore;
  /** Transactions over the stores (and over `sagas`, when given). */
  readonly unitOfWork: UnitOfWork<{ readonly sagas?: SagaStore; readonly idempotency?: IdempotencyStore }>;
  /**
   * The saga log in the same database, covered by the unit of work's transactions (as
   * `createPostgresStores` gives it): the kit's default saga store. @default none
   */
  readonly sagas?: SagaStore;
  /**
   * The idempotency store in the same database, covered by the unit of work's transactions (as
   * `createPostgresStores` gives it): the kit's default idempotency store. @default none
   */
  readonly idempotency?: IdempotencyStore;
}

/**
 * A tenant as the kit's `tenants` list takes it: the {@link Tenant} fields, of which only `id` is
 * required. The others default to `name`: the id, `status: 'active'`, `timeZone: 'UTC'`,
 * `calendarUnavailablePolicy: 'fail'`, and no phone numbers, API key hashes or route keys.
 */
export type BookingKitTenant = Pick<Tenant, 'id'> & Partial<Omit<Tenant, 'id'>>;

/** The relay options a kit passes through (the kit supplies the bus, the store, the clock and the logger). */
export type BookingKitRelayOptions = Omit<OutboxRelayOptions<never>, 'bus' | 'store' | 'clock' | 'logger'>;

/** The booking service options a kit passes through (the kit supplies the parts). */
export type BookingKitServiceOptions = Pick<
  BookingServiceOptions,
  | 'admission'
  | 'alternatives'
  | 'calendarPolicy'
  | 'calendarSync'
  | 'eventTypeCacheTtlMs'
  | 'idempotencyTtlMs'
  | 'idempotencyWaitMs'
  | 'ids'
>;

/**
 * Options of {@link createBookingKit}. Every part is optional: what is not given is the embedded
 * memory default. A Postgres deployment passes its adapters:
 *
 * ```ts
 * const sql = pgClient(pool);
 * await migrate(sql);
 * const kit = createBookingKit({
 *   stores: createPostgresStores({ sql }), // with its saga log and idempotency store, in the same transactions
 *   tenants: createPostgresTenantDirectory({ sql }),
 *   calendar,
 * });
 * ```
 */
export interface BookingKitOptions<
  Calendar extends CalendarProvider = CalendarProvider,
  Stores extends BookingKitStores = BookingKitStores,
> extends BookingKitServiceOptions {
  /**
   * The tenants: a list, kept in a memory tenant directory (see {@link BookingKitTenant} for the
   * defaults), or a {@link TenantDirectory} such as `createPostgresTenantDirectory({ sql })`.
   * @default [] (every command is refused with `UnknownTenantError`)
   */
  readonly tenants?: readonly BookingKitTenant[] | TenantDirectory;
  /**
   * The calendar (e.g. the Cal.com provider).
   * @default createMemoryCalendarProvider({ clock, eventTypes })
   */
  readonly calendar?: Calendar;
  /**
   * Event types that seed the memory calendar; only without `calendar` (a calendar of your own
   * has its event types already).
   * @default []
   */
  readonly eventTypes?: readonly MemoryCalendarEventTypeInput[];
  /**
   * Repositories, outbox and unit of work, e.g. `createPostgresStores({ sql })`.
   * @default createMemoryStores({ clock })
   */
  readonly stores?: Stores;
  /**
   * The saga log. Leave it out with `createPostgresStores`: their own log (`stores.sagas`) shares
   * their transactions, so a book commits twice; a log elsewhere is written on its own.
   * @default stores.sagas, else createMemorySagaStore()
   */
  readonly sagas?: SagaStore;
  /**
   * The idempotency store, e.g. `createRedisIdempotencyStore({ client })`. Leave it out with
   * `createPostgresStores`: their own (`stores.idempotency`) shares their transactions.
   * @default stores.idempotency, else createMemoryIdempotencyStore()
   */
  readonly idempotency?: IdempotencyStore;
  /**
   * Where free slots are cached, e.g. `createRedisAvailabilityCache({ client })`.
   * @default createMemoryAvailabilityCache({ clock })
   */
  readonly availabilityCache?: AvailabilityCache;
  /**
   * How long a cached day of free slots is used when no booking change invalidates it, in ms
   * (1 ms – 1 day). Booking changes invalidate it through a queued listener, so at once only
   * while the relay runs (`start()`).
   * @default 300_000
   */
  readonly availabilityTtlMs?: number;
  /** Options of the outbox relay (`batchSize`, `pollIntervalMs`, `leaseMs`, `owner`). @default {} */
  readonly relay?: BookingKitRelayOptions;
  /**
   * How often a started kit looks for sagas whose worker's lease expired (another instance died
   * mid-booking, or this one was restarted within the lease) and finishes or compensates them,
   * in ms; `0` only at `start()`. Without it, a saga of an instance that died while the others
   * keep running would wait for the next restart.
   * @default 60_000
   */
  readonly recoveryIntervalMs?: number;
  /** Time for every part. @default systemClock */
  readonly clock?: Clock;
  /** Logger for every part. @default silentLogger */
  readonly logger?: Logger;
}
