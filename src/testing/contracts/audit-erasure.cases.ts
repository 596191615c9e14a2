import assert from 'node:assert/strict';
import type { AuditEntry, AuditLog } from '../../ports/audit-log.js';
import { at } from '../fixtures.js';
import { abortedSignal } from './assertions.js';
import type { ContractTestApi } from './test-api.js';

function entry(eventId: string, aggregateId: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    eventId,
    type: 'appointment.cancelled',
    tenantId: 'tenant-a',
    aggregateType: 'appointment',
    aggregateId,
    aggregateVersion: 2,
    origin: 'voice',
    actor: { type: 'customer', id: 'customer-1' },
    correlationId: 'request-1',
    causationId: null,
    occurredAt: at('09:00'),
    recordedAt: at('09:01'),
    data: { appointmentId: aggregateId, reason: 'Ana is ill' },
    ...overrides,
  };
}

const withoutReason = (e: AuditEntry): unknown => ({ ...(e.data as object), reason: null });

/**
 * Cases of the {@link AuditLog} contract for `anonymise`: the data of the given aggregates'
 * entries is rewritten and everything else kept; other aggregates and tenants are untouched;
 * anonymising again changes nothing; a rewrite that throws writes nothing.
 *
 * @internal
 */
export function auditErasureCases(api: ContractTestApi, log: () => AuditLog): void {
  api.describe('anonymise', () => {
    api.it("rewrites the data of the aggregates' entries and keeps the rest of each entry", async () => {
      const first = entry('event-1', 'a1');
      const second = entry('event-2', 'a2', { occurredAt: at('09:30') });
      await log().append(first);
      await log().append(second);
      const aggregates = [
        { type: 'appointment', id: 'a1' },
        { type: 'appointment', id: 'a2' },
      ];
      assert.equal(await log().anonymise('tenant-a', aggregates, withoutReason), 2);
      const { items } = await log().listByAggregate('tenant-a', { type: 'appointment', id: 'a1' });
      assert.deepEqual(
        items.map((e) => ({
          ...e,
          occurredAt: Date.parse(e.occurredAt),
          recordedAt: Date.parse(e.recordedAt),
        })),
        [
          {
            ...first,
            occurredAt: Date.parse(first.occurredAt),
            recordedAt: Date.parse(first.recordedAt),
            data: { appointmentId: 'a1', reason: null },
          },
        ],
      );
      assert.equal(await log().anonymise('tenant-a', aggregates, withoutReason), 0, 'again: nothing');
    });

    api.it("leaves other aggregates' and other tenants' entries as they were", async () => {
      const other = entry('event-3', 'a3');
      const elsewhere = entry('event-4', 'a1', { tenantId: 'tenant-b' });
      await log().append(other);
      await log().append(elsewhere);
      assert.equal(await log().anonymise('tenant-a', [{ type: 'appointment', id: 'a1' }], withoutReason), 0);
      const [kept] = (await log().listByAggregate('tenant-a', { type: 'appointment', id: 'a3' })).items;
      const [keptElsewhere] = (await log().listByAggregate('tenant-b', { type: 'appointment', id: 'a1' }))
        .items;
      assert.deepEqual(kept?.data, other.data);
      assert.deepEqual(keptElsewhere?.data, elsewhere.data);
    });

    api.it('writes nothing when a rewrite throws, and honours an aborted signal', async () => {
      await log().append(entry('event-1', 'a1'));
      await log().append(entry('event-2', 'a1', { occurredAt: at('09:30') }));
      let calls = 0;
      const failing = (e: AuditEntry): unknown => {
        calls += 1;
        if (calls === 2) throw new Error('boom');
        return withoutReason(e);
      };
      await assert.rejects(log().anonymise('tenant-a', [{ type: 'appointment', id: 'a1' }], failing), /boom/);
      const { items } = await log().listByAggregate('tenant-a', { type: 'appointment', id: 'a1' });
      assert.deepEqual(
        items.map((e) => e.data),
        [
          { appointmentId: 'a1', reason: 'Ana is ill' },
          { appointmentId: 'a1', reason: 'Ana is ill' },
        ],
      );
      await assert.rejects(
        log().anonymise('tenant-a', [{ type: 'appointment', id: 'a1' }], withoutReason, {
          signal: abortedSignal(),
        }),
      );
    });
  });
}
