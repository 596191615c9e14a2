import assert from 'node:assert/strict';
import type { CallUpsert } from '../../domain/call-merge.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { CallRepository } from '../../ports/call-repository.js';
import { at } from '../fixtures.js';
import { abortedSignal, rejectsWith } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import type { ContractTestApi } from './test-api.js';

const CALL = 'call_merge_1';

/** What Retell's lifecycle webhooks of one call tell, as upserts. */
const started: CallUpsert = {
  event: 'call_started',
  id: CALL,
  status: 'ongoing',
  direction: 'inbound',
  callType: 'phone_call',
  fromNumber: '+4915112345678',
  toNumber: '+493012345678',
  agentId: 'agent-1',
  startedAt: at('09:00'),
  transcript: '',
  at: at('09:00'),
};
const ended: CallUpsert = {
  event: 'call_ended',
  id: CALL,
  status: 'ended',
  direction: 'inbound',
  callType: 'phone_call',
  fromNumber: '+4915112345678',
  toNumber: '+493012345678',
  agentId: 'agent-1',
  startedAt: at('09:00'),
  endedAt: at('09:05'),
  durationMs: 300_000,
  disconnectionReason: 'user_hangup',
  transcript: 'Agent: Hello. User: A haircut, please.',
  costCents: 31,
  at: at('09:06'),
};
const analyzed: CallUpsert = {
  ...ended,
  event: 'call_analyzed',
  analysis: { call_summary: 'Booked a haircut', call_successful: true },
  at: at('09:07'),
};

/** The fields of a call that the order of its events must not change. */
function content(call: Awaited<ReturnType<CallRepository['get']>>) {
  assert.ok(call);
  const { version: _v, createdAt: _c, updatedAt: _u, tenantId: _t, events, appointmentIds, ...rest } = call;
  return { ...rest, events: [...events].sort(), appointmentIds: [...appointmentIds].sort() };
}

/**
 * The merge cases of the call repository contract: `upsert` and `linkAppointment` under
 * out-of-order, repeated and concurrent deliveries.
 *
 * @internal
 */
export function callMergeCases(api: ContractTestApi, repo: () => CallRepository): void {
  api.describe('upsert and linkAppointment', () => {
    api.it('creates a call from its first event and merges the next ones in', async () => {
      const first = await repo().upsert('tenant-a', started);
      assert.equal(first.applied, true);
      assert.equal(first.call.status, 'ongoing');
      assert.equal(first.call.version, 1);
      assert.deepEqual(first.call.events, ['call_started']);
      assert.equal(first.call.createdAt, at('09:00'));
      assert.deepEqual(await repo().get('tenant-a', CALL), first.call);
      await repo().upsert('tenant-a', ended);
      const last = await repo().upsert('tenant-a', analyzed);
      assert.equal(last.call.version, 3);
      assert.equal(last.call.status, 'ended');
      assert.equal(last.call.costCents, 31);
      assert.equal(last.call.durationMs, 300_000);
      assert.equal(last.call.transcript, ended.transcript);
      assert.deepEqual(last.call.analysis, analyzed.analysis);
      assert.equal(last.call.updatedAt, at('09:07'));
      assert.equal(last.call.createdAt, at('09:00'));
      assert.deepEqual(await repo().get('tenant-a', CALL), last.call);
    });

    api.it('gives the same call whatever order the events arrive in', async () => {
      const orders = [
        [started, ended, analyzed],
        [analyzed, ended, started],
        [ended, analyzed, started],
        [analyzed, started, ended],
      ];
      const results = [];
      for (const [index, order] of orders.entries()) {
        const tenant = `tenant-order-${index}`;
        for (const upsert of order) await repo().upsert(tenant, upsert);
        const call = await repo().get(tenant, CALL);
        assert.equal(call?.version, 3);
        results.push(content(call));
      }
      for (const result of results.slice(1)) assert.deepEqual(result, results[0]);
      assert.equal(results[0]?.status, 'ended');
      assert.equal(results[0]?.transcript, ended.transcript);
    });

    api.it('never moves the status back, and a late event only fills unknown fields', async () => {
      await repo().upsert('tenant-a', { event: 'call_ended', id: CALL, status: 'ended', transcript: 'full' });
      const late = await repo().upsert('tenant-a', started);
      assert.equal(late.applied, true);
      assert.equal(late.call.status, 'ended');
      assert.equal(late.call.transcript, 'full');
      assert.equal(late.call.fromNumber, started.fromNumber);
      assert.equal(late.call.startedAt, started.startedAt);
      await repo().upsert('tenant-b', { event: 'call_started', id: CALL, status: 'ongoing' });
      const failed = await repo().upsert('tenant-b', {
        event: 'call_ended',
        id: CALL,
        status: 'not_connected',
      });
      assert.equal(failed.call.status, 'not_connected');
    });

    api.it(
      'keeps the analysis when call_ended arrives after call_analyzed, and null erases nothing',
      async () => {
        await repo().upsert('tenant-a', analyzed);
        const { call } = await repo().upsert('tenant-a', {
          ...ended,
          analysis: null,
          costCents: null,
          transcript: null,
        });
        assert.deepEqual(call.analysis, analyzed.analysis);
        assert.equal(call.costCents, 31);
        assert.equal(call.transcript, ended.transcript);
      },
    );

    api.it('applies each event of a call once: a duplicate changes nothing and says so', async () => {
      const first = await repo().upsert('tenant-a', ended);
      const again = await repo().upsert('tenant-a', { ...ended, costCents: 99, at: at('09:30') });
      assert.equal(again.applied, false);
      assert.deepEqual(again.call, first.call);
      assert.deepEqual(await repo().get('tenant-a', CALL), first.call);
    });

    api.it('stores unknown statuses and values as they came', async () => {
      const { call } = await repo().upsert('tenant-a', {
        event: 'call_parked',
        id: CALL,
        status: 'parked',
        direction: 'sideways',
        callType: 'sip_call',
      });
      assert.equal(call.status, 'parked');
      assert.equal(call.direction, 'sideways');
      assert.deepEqual(await repo().get('tenant-a', CALL), call);
      const endedNow = await repo().upsert('tenant-a', { event: 'call_ended', id: CALL, status: 'ended' });
      assert.equal(endedNow.call.status, 'ended');
    });

    api.it('merges concurrent upserts of different events and links of one call, losing none', async () => {
      const events = [started, ended, analyzed, { event: 'transcript_updated', id: CALL, status: 'ongoing' }];
      const links = ['appointment-1', 'appointment-2', 'appointment-1'];
      const results = await Promise.all([
        ...events.map((upsert) => repo().upsert('tenant-a', upsert)),
        ...events.map((upsert) => repo().upsert('tenant-a', upsert)),
        ...links.map((id) => repo().linkAppointment('tenant-a', CALL, id)),
      ]);
      assert.ok(results.length > 0);
      const call = await repo().get('tenant-a', CALL);
      assert.ok(call);
      assert.deepEqual([...call.events].sort(), events.map((e) => e.event).sort());
      assert.deepEqual([...call.appointmentIds].sort(), ['appointment-1', 'appointment-2']);
      assert.equal(call.status, 'ended');
      assert.deepEqual(call.analysis, analyzed.analysis);
      assert.equal(call.version, events.length + 2);
    });

    api.it('links an appointment to a call not stored yet, once, and keeps the link', async () => {
      const placeholder = await repo().linkAppointment('tenant-a', CALL, 'appointment-1');
      assert.equal(placeholder.status, 'registered');
      assert.equal(placeholder.direction, null);
      assert.deepEqual(placeholder.appointmentIds, ['appointment-1']);
      assert.deepEqual(placeholder.events, []);
      const again = await repo().linkAppointment('tenant-a', CALL, 'appointment-1');
      assert.deepEqual(again, placeholder);
      await repo().upsert('tenant-a', ended);
      const linked = await repo().linkAppointment('tenant-a', CALL, 'appointment-2');
      assert.deepEqual(linked.appointmentIds, ['appointment-1', 'appointment-2']);
      assert.equal(linked.status, 'ended');
      assert.equal(linked.fromNumber, ended.fromNumber);
      assert.deepEqual(await repo().get('tenant-a', CALL), linked);
      const viaUpsert = await repo().upsert('tenant-a', {
        ...analyzed,
        appointmentIds: ['appointment-1', 'appointment-3'],
      });
      assert.deepEqual(viaUpsert.call.appointmentIds, ['appointment-1', 'appointment-2', 'appointment-3']);
    });

    api.it('keeps the calls of tenants apart', async () => {
      await repo().upsert('tenant-a', ended);
      const ofB = await repo().upsert('tenant-b', started);
      assert.equal(ofB.applied, true);
      assert.equal(ofB.call.tenantId, 'tenant-b');
      assert.equal(ofB.call.status, 'ongoing');
      await repo().linkAppointment('tenant-b', CALL, 'appointment-b');
      assert.deepEqual((await repo().get('tenant-a', CALL))?.appointmentIds, []);
      assert.equal((await repo().get('tenant-a', CALL))?.status, 'ended');
      await refusesInvalidTenantIds((tenantId) => repo().upsert(tenantId, ended));
      await refusesInvalidTenantIds((tenantId) => repo().linkAppointment(tenantId, CALL, 'appointment-1'));
    });

    api.it('refuses an invalid patch naming the field, and an aborted signal, storing nothing', async () => {
      const invalid = await rejectsWith(
        repo().upsert('tenant-a', { ...ended, costCents: -1 }),
        isValidationError,
        'ValidationError',
      );
      assert.ok(
        invalid.context.issues.some((issue) => issue.path === 'costCents'),
        invalid.message,
      );
      await rejectsWith(
        repo().upsert('tenant-a', { ...ended, event: '' }),
        isValidationError,
        'ValidationError',
      );
      await rejectsWith(repo().linkAppointment('tenant-a', CALL, ''), isValidationError, 'ValidationError');
      const signal = abortedSignal();
      await assert.rejects(repo().upsert('tenant-a', ended, { signal }), /stop/);
      await assert.rejects(repo().linkAppointment('tenant-a', CALL, 'appointment-1', { signal }), /stop/);
      assert.equal(await repo().get('tenant-a', CALL), null);
    });
  });
}
