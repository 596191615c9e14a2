import type { BookingEvents } from '../../booking/events.js';
import type { Call } from '../../domain/call.js';
import type { CallUpsert } from '../../domain/call-merge.js';
import type { DomainEvent } from '../../events/catalog.js';
import type { EventBus } from '../../events/event-bus.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { RetellCallEventDraft } from '../calls/call-events.js';

/** What {@link recordCallEvent} writes through. @internal */
export interface CallRecorder {
  readonly unitOfWork: UnitOfWork;
  readonly bus: EventBus<BookingEvents>;
}

/** What recording one webhook did. @internal */
export interface RecordedCall {
  /** `false`: this event was recorded for the call before (a duplicate delivery). */
  readonly applied: boolean;
  readonly call: Call;
  /** The events published, in order (none for a duplicate). */
  readonly published: readonly DomainEvent<BookingEvents>[];
}

/**
 * Merges one webhook into the call and, only when it changed the call for the first time, writes
 * its events to the outbox in the same transaction; once committed, publishes them to the
 * in-process listeners. A duplicate delivery (same event, same call) changes nothing and
 * publishes nothing, even when two copies race: the repository applies each event once.
 *
 * @internal
 */
export async function recordCallEvent(
  recorder: CallRecorder,
  tenantId: string,
  upsert: CallUpsert,
  drafts: readonly RetellCallEventDraft[],
  signal: AbortSignal | undefined,
): Promise<RecordedCall> {
  const { bus } = recorder;
  const options = signal ? { signal } : {};
  const recorded = await recorder.unitOfWork.run(async (tx) => {
    const { call, applied } = await tx.calls.upsert(tenantId, upsert, options);
    if (!applied) return { call, applied, published: [] };
    const events = drafts.map(
      (draft) =>
        bus.create(draft.type, draft.data as never, {
          tenantId,
          aggregateType: 'call',
          aggregateId: call.id,
          aggregateVersion: call.version,
          origin: 'voice',
          correlationId: `call:${call.id}`,
        }) as DomainEvent<BookingEvents>,
    );
    const messages = events.flatMap((event) => bus.toOutboxMessages(event));
    if (messages.length > 0) await tx.outbox.append(messages);
    return { call, applied, published: events };
  }, options);
  for (const event of recorded.published) bus.publish(event, { enqueue: false });
  return recorded;
}
