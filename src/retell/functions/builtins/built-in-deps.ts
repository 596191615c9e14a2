import type { AvailabilityService } from '../../../booking/availability/availability-service.js';
import type { BookingService } from '../../../booking/service/booking-service.js';
import type { CalendarEventType } from '../../../ports/calendar-provider.js';
import type { AppointmentRepository } from '../../../ports/appointment-repository.js';
import type { CustomerRepository } from '../../../ports/customer-repository.js';
import type { TimeRange } from '../../../domain/time-range.js';
import type { RetellFunctionAnswer, RetellFunctionContext } from '../define-function.js';
import { localDateKey } from '../local-time.js';
import type { ServiceCatalog } from '../service-catalog.js';

/** What the built-in functions work with. @internal */
export interface BuiltInDeps {
  readonly service: Pick<BookingService, 'book' | 'reschedule' | 'cancel'>;
  readonly availability: Pick<AvailabilityService, 'getSlots' | 'findAlternatives'>;
  readonly catalog: ServiceCatalog;
  readonly appointments: Pick<AppointmentRepository, 'get' | 'list'>;
  readonly customers: Pick<CustomerRepository, 'get' | 'findByPhone'>;
  /** How many alternatives are offered for a taken time. */
  readonly alternatives: number;
}

/** The event type a caller asked for, or the answer that says it is not offered. @internal */
export async function serviceOrAnswer(
  deps: BuiltInDeps,
  context: RetellFunctionContext,
  asked: string,
): Promise<CalendarEventType | RetellFunctionAnswer> {
  const found = await deps.catalog.find(context.tenant.tenantId, asked);
  if (found) return found;
  const offered = (await deps.catalog.list(context.tenant.tenantId)).map((type) => type.title);
  return {
    say: context.speech.phrases.unknownService(asked, offered.slice(0, 8)),
    data: { services: offered.slice(0, 20) },
  };
}

/** Tells an event type from an answer. @internal */
export function isAnswer(value: CalendarEventType | RetellFunctionAnswer): value is RetellFunctionAnswer {
  return 'say' in value;
}

/** The default length of an event type, ms. @internal */
export function lengthMs(type: CalendarEventType): number {
  return (type.lengthsInMinutes[0] ?? 30) * 60_000;
}

/**
 * Times spoken relative to a reference: the time alone on the reference's day, day and time
 * otherwise ("15:00 oder Mittwoch, 4. März um 09:00"). @internal
 */
export function speakTimes(
  context: RetellFunctionContext,
  slots: readonly TimeRange[],
  referenceStart: string,
): string[] {
  const { speech, tenant } = context;
  const day = localDateKey(referenceStart, tenant.timeZone);
  return slots.map((slot) =>
    localDateKey(slot.start, tenant.timeZone) === day ? speech.time(slot.start) : speech.dateTime(slot.start),
  );
}

/** Slots as structured data: instants and how they are said. @internal */
export function slotData(
  context: RetellFunctionContext,
  slots: readonly TimeRange[],
): { start: string; end: string; spoken: string }[] {
  return slots.map((slot) => ({
    start: slot.start,
    end: slot.end,
    spoken: context.speech.dateTime(slot.start),
  }));
}
