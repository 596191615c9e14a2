import assert from 'node:assert/strict';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { AuditAggregate, AuditEntry, AuditLog } from '../../ports/audit-log.js';
import { at } from '../fixtures.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { auditErasureCases } from './audit-erasure.cases.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

const APPOINTMENT: AuditAggregate = { type: 'appointment', id: 'appointment-1' };

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  const eventId = overrides.eventId ?? 'event-1';
  return {
    eventId,
    type: 'appointment.booked',
    tenantId: 'tenant-a',
    aggregateType: APPOINTMENT.type,
    aggregateId: APPOINTMENT.id,
    aggregateVersion: 1,
    origin: 'voice',
    actor: { type: 'customer', id: 'customer-1' },
    correlationId: 'request-1',
    causationId: null,
    occurredAt: at('09:00'),
    recordedAt: at('09:01'),
    data: { appointmentId: APPOINTMENT.id, bookedBy: { type: 'customer', id: 'customer-1' }, tags: ['a'] },
    ...overrides,
  };
}

/**
 * The {@link AuditLog} contract: every adapter must pass it. Appends are idempotent per tenant and
 * event id (the first entry wins); an aggregate's history lists oldest first, by the instant of
 * `occurredAt` and then by event id (code-point order), in keyset pages. Times come back as the
 * same instants, not necessarily in the same notation.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { auditLogContract } from 'bookingkit/testing';
 * auditLogContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryAuditLog());
 * ```
 */
export function auditLogContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<AuditLog>,
): void {
  api.describe(`AuditLog contract: ${name}`, () => {
    const log = useSubject(api, factory);
    auditErasureCases(api, log);
    const history = async (tenantId = 'tenant-a', aggregate = APPOINTMENT) =>
      (await log().listByAggregate(tenantId, aggregate, { limit: 1000 })).items;

    api.it('records an entry and lists back an equal one', async () => {
      const recorded = entry({ causationId: 'event-0', actor: null, aggregateVersion: 7 });
      assert.equal(await log().append(recorded), true);
      assert.deepEqual(await history(), [recorded]);
    });

    api.it('records an event once per tenant: a redelivery changes nothing', async () => {
      assert.equal(await log().append(entry()), true);
      assert.equal(await log().append(entry({ origin: 'calcom', data: { changed: true } })), false);
      assert.equal(await log().append(entry({ aggregateId: 'appointment-2' })), false);
      assert.deepEqual(await history(), [entry()]);
      assert.deepEqual(await history('tenant-a', { type: 'appointment', id: 'appointment-2' }), []);
      assert.equal(await log().append(entry({ tenantId: 'tenant-b' })), true);
      assert.deepEqual(await history('tenant-b'), [entry({ tenantId: 'tenant-b' })]);
    });

    api.it('records one of many concurrent appends of the same event', async () => {
      const appends = Array.from({ length: 10 }, (_, i) => log().append(entry({ origin: `origin-${i}` })));
      const { values, errors } = await settleAll(appends);
      assert.deepEqual(errors, []);
      assert.equal(values.filter(Boolean).length, 1);
      assert.equal((await history()).length, 1);
    });

    api.it('lists an aggregate oldest first by instant, then by event id', async () => {
      await log().append(entry({ eventId: 'e-late', occurredAt: at('11:00') }));
      await log().append(entry({ eventId: 'e-b', occurredAt: at('10:00') }));
      await log().append(entry({ eventId: 'e-a', occurredAt: at('10:00') }));
      // 09:30 UTC, written with an offset: ordered by the instant, not by the text.
      await log().append(entry({ eventId: 'e-offset', occurredAt: '2026-01-05T10:30:00.000+01:00' }));
      await log().append(entry({ eventId: 'e-first', occurredAt: at('09:00') }));
      const items = await history();
      assert.deepEqual(
        items.map((e) => e.eventId),
        ['e-first', 'e-offset', 'e-a', 'e-b', 'e-late'],
      );
      assert.equal(Date.parse(items[1]!.occurredAt), Date.parse(at('09:30')));
    });

    api.it('keeps aggregates, aggregate types and tenants apart', async () => {
      await log().append(entry({ eventId: 'mine' }));
      await log().append(entry({ eventId: 'other-id', aggregateId: 'appointment-2' }));
      await log().append(entry({ eventId: 'other-type', aggregateType: 'customer' }));
      await log().append(entry({ eventId: 'other-tenant', tenantId: 'tenant-b' }));
      assert.deepEqual(
        (await history()).map((e) => e.eventId),
        ['mine'],
      );
      assert.deepEqual(
        (await history('tenant-a', { type: 'customer', id: APPOINTMENT.id })).map((e) => e.eventId),
        ['other-type'],
      );
      assert.deepEqual(await history('tenant-c'), []);
    });

    api.it('refuses a missing, empty or non-string tenant id when listing and appending', async () => {
      await log().append(entry());
      await refusesInvalidTenantIds((tenantId) => log().listByAggregate(tenantId, APPOINTMENT));
      await refusesInvalidTenantIds((tenantId) => log().append(entry({ eventId: 'other', tenantId })));
    });

    api.it('pages through a history with cursors, without repeats or gaps', async () => {
      const ids = Array.from({ length: 7 }, (_, i) => `e${i}`);
      for (const [i, eventId] of ids.entries()) {
        // Two entries share each instant, so pages also break between equal times.
        await log().append(entry({ eventId, occurredAt: at(`1${Math.floor(i / 2)}:00`) }));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await log().listByAggregate(
          'tenant-a',
          APPOINTMENT,
          cursor === undefined ? { limit: 3 } : { limit: 3, cursor },
        );
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((e) => e.eventId));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      assert.deepEqual(seen, ids);
      assert.equal(pages, 3);
      const exact = await log().listByAggregate('tenant-a', APPOINTMENT, { limit: 7 });
      assert.equal(exact.items.length, 7);
      assert.equal(exact.nextCursor, null, 'no cursor when nothing follows');
    });

    api.it('copies entries in and out', async () => {
      const original = entry();
      const expected = structuredClone(original);
      await log().append(original);
      (original.data as { appointmentId: string }).appointmentId = 'changed';
      const [read] = await history();
      assert.ok(read);
      (read.data as { tags: string[] }).tags.push('changed');
      assert.deepEqual(await history(), [expected]);
    });

    api.it(
      'rejects a malformed entry with a ValidationError naming the fields, and records nothing',
      async () => {
        const error = await rejectsWith(
          log().append(entry({ eventId: '', occurredAt: 'yesterday', aggregateVersion: -1 })),
          isValidationError,
          'ValidationError',
        );
        const paths = error.context.issues.map((issue) => issue.path);
        for (const path of ['eventId', 'occurredAt', 'aggregateVersion'])
          assert.ok(paths.includes(path), path);
        await rejectsWith(
          log().append(entry({ actor: { type: 'robot' } as unknown as AuditEntry['actor'] })),
          isValidationError,
          'ValidationError',
        );
        assert.deepEqual(await history(), []);
      },
    );

    api.it('rejects a cursor it did not make and a page size out of range', async () => {
      await log().append(entry());
      await rejectsWith(
        log().listByAggregate('tenant-a', APPOINTMENT, { cursor: 'not-a-cursor' }),
        isValidationError,
        'ValidationError',
      );
      for (const limit of [0, 1001, 2.5]) {
        await rejectsWith(
          log().listByAggregate('tenant-a', APPOINTMENT, { limit }),
          isInvalidOptionError,
          'InvalidOptionError',
        );
      }
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const signal = abortedSignal();
      await assert.rejects(log().append(entry(), { signal }), /stop/);
      await assert.rejects(log().listByAggregate('tenant-a', APPOINTMENT, {}, { signal }), /stop/);
      assert.deepEqual(await history(), []);
    });
  });
}
