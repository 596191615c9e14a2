import type { Appointment } from '../domain/appointment.js';
import type { Call } from '../domain/call.js';
import type { Customer } from '../domain/customer.js';
import type { SagaRecord, SagaStepEntry } from '../saga/saga-store.js';
import { hashApiKey } from '../tenancy/api-key.js';
import type { Tenant } from '../tenancy/tenant.js';

/** The day every fixture lives on, and the instant records are created at. */
export const FIXTURE_DAY = '2026-01-05';
/** `createdAt` / `updatedAt` of every fixture: 09:00 UTC on {@link FIXTURE_DAY}. */
export const FIXTURE_TIME = `${FIXTURE_DAY}T09:00:00.000Z`;

let sequence = 0;
const next = (): number => (sequence += 1);

/**
 * The ISO instant of `hhmm` (UTC) on {@link FIXTURE_DAY}, or on `day`.
 *
 * @example
 * ```ts
 * anAppointment({ start: at('10:00'), end: at('10:30') });
 * ```
 */
export function at(hhmm: string, day: string = FIXTURE_DAY): string {
  return new Date(`${day}T${hhmm}:00.000Z`).toISOString();
}

/**
 * A valid, confirmed 30-minute appointment of `tenant-a` on `resource-1` (09:00–09:30 UTC), with a
 * fresh id; `overrides` replace whole fields.
 *
 * @example
 * ```ts
 * declare const appointments: AppointmentRepository;
 * // ---cut---
 * await appointments.insert(anAppointment({ start: at('10:00'), end: at('11:00'), status: 'pending' }));
 * ```
 */
export function anAppointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: `appointment-${next()}`,
    tenantId: 'tenant-a',
    eventTypeId: 'event-type-1',
    resourceId: 'resource-1',
    customerId: null,
    start: at('09:00'),
    end: at('09:30'),
    timeZone: 'Europe/Berlin',
    status: 'confirmed',
    origin: 'api',
    createdBy: { type: 'system' },
    rescheduledBy: null,
    cancelledBy: null,
    cancellationReason: null,
    external: { calendarBookingUid: null, calendarBookingId: null, previousCalendarBookingUids: [] },
    sync: { status: 'pending', attempts: 0, lastError: null, lastAttemptAt: null },
    version: 1,
    idempotencyKey: null,
    metadata: {},
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...overrides,
  };
}

/**
 * A valid customer of `tenant-a` with a fresh id, a phone number and an email unique to it.
 *
 * @example
 * ```ts
 * declare const customers: CustomerRepository;
 * // ---cut---
 * await customers.insert(aCustomer({ phone: '+493012345678' }));
 * ```
 */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  const n = next();
  return {
    id: `customer-${n}`,
    tenantId: 'tenant-a',
    name: `Customer ${n}`,
    email: `customer-${n}@example.com`,
    phone: `+4930${String(n).padStart(7, '0')}`,
    locale: 'de-DE',
    mergedInto: null,
    stats: { bookings: 0, cancellations: 0, noShows: 0 },
    version: 1,
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...overrides,
  };
}

/**
 * A valid inbound call of `tenant-a` with a fresh id, started at 09:00 UTC and still ongoing.
 *
 * @example
 * ```ts
 * declare const calls: CallRepository;
 * // ---cut---
 * await calls.save(aCall({ status: 'ended', endedAt: at('09:05') }), null);
 * ```
 */
export function aCall(overrides: Partial<Call> = {}): Call {
  return {
    id: `call-${next()}`,
    tenantId: 'tenant-a',
    fromNumber: '+4915112345678',
    toNumber: '+493012345678',
    direction: 'inbound',
    callType: 'phone_call',
    status: 'ongoing',
    agentId: 'agent-1',
    customerId: null,
    startedAt: FIXTURE_TIME,
    endedAt: null,
    durationMs: null,
    disconnectionReason: null,
    transcript: null,
    analysis: null,
    costCents: null,
    appointmentIds: [],
    events: [],
    version: 1,
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...overrides,
  };
}

/**
 * A valid active tenant with a fresh id, one inbound number, one route key and the API key
 * `key-<id>` (stored as its hash).
 *
 * @example
 * ```ts
 * const directory = createMemoryTenantDirectory({ tenants: [aTenant({ id: 'tenant-a' })] });
 * ```
 */
export function aTenant(overrides: Partial<Tenant> = {}): Tenant {
  const n = next();
  const id = overrides.id ?? `tenant-${n}`;
  return {
    id,
    name: `Tenant ${n}`,
    status: 'active',
    timeZone: 'Europe/Berlin',
    calendarUnavailablePolicy: 'fail',
    locale: 'en',
    phoneNumbers: [`+4940${String(n).padStart(7, '0')}`],
    apiKeyHashes: [hashApiKey(`key-${id}`)],
    routeKeys: [`route-key-${id}`],
    ...overrides,
  };
}

/** The time saga fixtures are created at (epoch ms). */
export const SAGA_T0 = Date.parse('2026-01-05T09:00:00.000Z');

/**
 * A saga log entry for step `name`, pending unless overridden.
 *
 * @example
 * ```ts
 * aSagaStep('debit', { status: 'completed', attempts: 1 });
 * ```
 */
export function aSagaStep(name: string, overrides: Partial<SagaStepEntry> = {}): SagaStepEntry {
  return {
    name,
    status: 'pending',
    attempts: 0,
    output: null,
    error: null,
    compensationAttempts: 0,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

/**
 * A running saga record (`saga-1`, two steps, `debit` started, leased to `w1` until
 * {@link SAGA_T0} + 1 s), with a JSON input that exercises unicode and nesting.
 *
 * @example
 * ```ts
 * declare const store: SagaStore;
 * // ---cut---
 * await store.create(aSagaRecord({ id: 'saga-2' }));
 * ```
 */
export function aSagaRecord(overrides: Partial<SagaRecord> = {}): SagaRecord {
  return {
    id: 'saga-1',
    name: 'transfer',
    tenantId: 'tenant-a',
    state: 'running',
    input: {
      from: 'acct-1',
      cents: 500,
      tags: ['a', 'b'],
      note: 'Grüße 🎉',
      nested: { ok: true, none: null },
    },
    steps: [aSagaStep('debit', { status: 'started', attempts: 1, startedAt: SAGA_T0 }), aSagaStep('credit')],
    failedStep: null,
    error: null,
    leaseOwner: 'w1',
    leaseExpiresAt: SAGA_T0 + 1_000,
    recoveries: 0,
    version: 1,
    createdAt: SAGA_T0,
    updatedAt: SAGA_T0,
    ...overrides,
  };
}
