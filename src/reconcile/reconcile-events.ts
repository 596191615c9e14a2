import type { BookingEvents } from '../booking/events.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../ports/logger.js';
import type { PlanItem } from './drift.js';

/** Publishes the reconciler's events; a failing bus is logged, never fatal. @internal */
export interface ReconcileEvents {
  driftDetected(item: PlanItem): void;
  healed(item: PlanItem): void;
  manualReview(item: PlanItem, reason: string): void;
}

/** Creates {@link ReconcileEvents} over `bus` (none: nothing is published). @internal */
export function reconcileEvents(
  bus: EventBus<BookingEvents> | undefined,
  logger: Logger,
  tenantId: string,
  runId: string,
): ReconcileEvents {
  const meta = (item: PlanItem) => ({
    tenantId,
    aggregateType: item.local ? 'appointment' : 'calendar_booking',
    aggregateId: item.local?.id ?? item.remote?.uid ?? runId,
    aggregateVersion: item.local?.version ?? 0,
    origin: 'reconciliation',
    correlationId: runId,
  });
  const publish = (build: () => Parameters<EventBus<BookingEvents>['publish']>[0]): void => {
    if (!bus) return;
    try {
      bus.publish(build());
    } catch (error) {
      logger.warn({ err: error, runId }, 'could not publish a reconciliation event');
    }
  };
  const refs = (item: PlanItem) => ({
    runId,
    kind: item.class,
    appointmentId: item.local?.id ?? null,
    calendarBookingUid: item.remote?.uid ?? item.local?.calendarBookingUid ?? null,
  });
  return {
    driftDetected: (item) =>
      publish(() =>
        bus!.create('reconciliation.drift_detected', { ...refs(item), details: item.details }, meta(item)),
      ),
    healed: (item) =>
      publish(() => bus!.create('reconciliation.healed', { ...refs(item), action: item.action }, meta(item))),
    manualReview: (item, reason) =>
      publish(() =>
        bus!.create(
          'appointment.manual_review_required',
          { appointmentId: item.local?.id ?? null, sagaId: null, reason: reason.slice(0, 2000) || 'drift' },
          meta(item),
        ),
      ),
  };
}
