import type { CustomerErasureResult } from '../../booking/customers/customer-erasure.js';
import type { OutboxAdmin } from '../../ports/outbox-store.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { hasMethods, isClock, numberOption, requireOption } from '../../util/options.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { checkProblemStatuses } from '../problem.js';
import type { ProblemContext } from './problems.js';
import { normaliseBasePath } from './router.js';
import type { CallerContext } from './serve-routes.js';

/** What `POST /admin/reconcile` asks of the reconciliation: one tenant, a window, plan or apply. */
export interface ReconcileRequest {
  /** The tenant of the API key. */
  readonly tenantId: string;
  /** Start of the window, ISO instant (UTC). */
  readonly from: string;
  /** End of the window, ISO instant (UTC), after `from`. */
  readonly to: string;
  /** `true`: plan only, change nothing; `false`: apply the plan. */
  readonly dryRun: boolean;
}

/**
 * Runs a reconciliation and resolves with its report, answered as JSON (so it must be
 * JSON-serialisable). Errors it throws become problem responses. Typically wraps the reconciler
 * of `bookingkit`: `({ tenantId, from, to, dryRun }) => dryRun ? reconciler.plan(...) : ...`.
 */
export type ReconcileFunction = (
  request: ReconcileRequest,
  options: { readonly signal: AbortSignal },
) => Promise<unknown>;

/**
 * Erases one customer's personal data for `DELETE /customers/:id`: `kit.eraseCustomer` of
 * `createBookingKit`. Throws a `NotFoundError` for an unknown customer or another tenant's.
 *
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * // ---cut---
 * const eraseCustomer: EraseCustomerFunction = kit.eraseCustomer;
 * const admin = createAdminApi({ ...kit, eraseCustomer });
 * ```
 */
export type EraseCustomerFunction = (
  tenantId: string,
  customerId: string,
  options: {
    readonly signal: AbortSignal;
    readonly origin: 'admin';
    readonly actor: { readonly type: 'staff' };
  },
) => Promise<CustomerErasureResult>;

/**
 * Options of {@link createAdminApi}. Named as `createBookingKit` names them, so
 * `createAdminApi({ ...kit, reconcile })` fits.
 */
export interface AdminApiOptions {
  /** Finds the tenant of each request's API key. */
  readonly tenants: TenantDirectory;
  /** The stores; their outbox holds the dead letters (any `OutboxStore`). */
  readonly stores: { readonly outbox: Pick<OutboxAdmin, 'list' | 'replay'> };
  /** Serves `POST /reconcile` when given (the route answers 404 without it). @default none */
  readonly reconcile?: ReconcileFunction;
  /**
   * Serves `DELETE /customers/:id` when given (the route answers 404 without it): `kit.eraseCustomer`,
   * which `createAdminApi({ ...kit })` passes on. @default none
   */
  readonly eraseCustomer?: EraseCustomerFunction;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Path the routes are served under. @default '/admin' */
  readonly basePath?: string;
  /** Largest request body accepted, in bytes. @default 16384 (16 KiB) */
  readonly limitBytes?: number;
  /**
   * How many of a tenant's dead letters a replay looks its ids up among (oldest first): ids past
   * them are answered as not found.
   * @default 10000
   */
  readonly replayScanLimit?: number;
  /** Extra error-code-to-status rows for the problem responses. @default {} */
  readonly statuses?: Readonly<Record<string, number>>;
}

/** Options checked, defaults applied. @internal */
export interface ResolvedAdminApi extends ProblemContext {
  readonly tenants: TenantDirectory;
  readonly outbox: Pick<OutboxAdmin, 'list' | 'replay'>;
  readonly reconcile: ReconcileFunction | undefined;
  readonly eraseCustomer: EraseCustomerFunction | undefined;
  readonly clock: Clock;
  readonly basePath: string;
  readonly limitBytes: number;
  readonly replayScanLimit: number;
}

/** What each admin route is given. @internal */
export type AdminRouteContext = CallerContext<ResolvedAdminApi>;

const FACTORY = 'createAdminApi';

/** Checks the options of {@link createAdminApi}. @internal */
export function resolveAdminApiOptions(options: AdminApiOptions): ResolvedAdminApi {
  const details = { factory: FACTORY };
  const tenants = requireOption(
    FACTORY,
    options,
    'tenants',
    'a TenantDirectory, e.g. kit.tenants',
    hasMethods('findByApiKey'),
  );
  const stores = requireOption(
    FACTORY,
    options,
    'stores',
    'the stores, e.g. kit.stores (with an outbox)',
    (value) => hasMethods('list', 'replay')((value as { outbox?: unknown } | null)?.outbox),
  );
  if (options.reconcile !== undefined && typeof options.reconcile !== 'function') {
    throw new InvalidOptionError(
      'reconcile',
      options.reconcile,
      'a function ({ tenantId, from, to, dryRun }, { signal }) => report',
      details,
    );
  }
  if (options.eraseCustomer !== undefined && typeof options.eraseCustomer !== 'function') {
    throw new InvalidOptionError(
      'eraseCustomer',
      options.eraseCustomer,
      'a function (tenantId, customerId, { signal }) => result, e.g. kit.eraseCustomer',
      details,
    );
  }
  const clock =
    options.clock === undefined
      ? systemClock
      : requireOption(FACTORY, options, 'clock', 'a Clock, e.g. systemClock', isClock);
  return {
    tenants,
    outbox: stores.outbox,
    reconcile: options.reconcile,
    eraseCustomer: options.eraseCustomer,
    clock,
    logger: options.logger ?? silentLogger,
    statuses: checkProblemStatuses(options.statuses, details),
    basePath: normaliseBasePath(options.basePath ?? '/admin', FACTORY),
    limitBytes: numberOption('limitBytes', options.limitBytes, 16_384, { integer: true, min: 1 }, details),
    replayScanLimit: numberOption(
      'replayScanLimit',
      options.replayScanLimit,
      10_000,
      { integer: true, min: 1, max: 100_000 },
      details,
    ),
  };
}
