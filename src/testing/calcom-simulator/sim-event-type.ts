import { z } from 'zod';
import { TimeZone } from '../../domain/common.js';
import type { MemoryCalendarEventTypeInput } from '../../adapters/memory/memory-calendar-schedule.js';

/** Opening hours per weekday (`{ monday: [{ start: '09:00', end: '17:00' }] }`), as the memory calendar takes them. */
export type CalcomSimWeeklyHours = MemoryCalendarEventTypeInput['weeklyHours'];

/**
 * An event type of the simulated Cal.com: its lengths and its schedule (weekly opening hours in a
 * time zone, which the memory calendar turns into slots).
 */
export const CalcomSimEventType = z.object({
  /** Cal.com's numeric id. @default the next free id from 1001 */
  id: z.number().int().positive().optional(),
  /** Username of the owning account. @default the first account */
  owner: z.string().min(1).optional(),
  slug: z.string().min(1).max(200),
  /** @default the slug */
  title: z.string().min(1).optional(),
  /** @default '' */
  description: z.string().default(''),
  /** The default length, in minutes. */
  lengthInMinutes: z.number().int().min(1).max(1440),
  /** Further lengths a booker may choose (variable-length event types); includes the default. */
  lengthInMinutesOptions: z.array(z.number().int().min(1).max(1440)).optional(),
  /** The schedule's time zone: opening hours are wall-clock times there. */
  timeZone: TimeZone,
  /** Opening hours; a day left out is closed. */
  weeklyHours: z.custom<CalcomSimWeeklyHours>((value) => typeof value === 'object' && value !== null, {
    message: 'Expected weekly opening hours like { monday: [{ start: "09:00", end: "17:00" }] }',
  }),
  /** Minutes between slot starts. @default the length */
  slotIntervalMinutes: z.number().int().min(1).max(1440).optional(),
  /** @default 0 */
  minimumBookingNoticeMinutes: z.number().int().min(0).default(0),
  /** Bookings start `pending` (BOOKING_REQUESTED) until the host confirms. @default false */
  requiresConfirmation: z.boolean().default(false),
  /** @default false */
  hidden: z.boolean().default(false),
});
/** An event type as given to the simulator. */
export type CalcomSimEventTypeInput = z.input<typeof CalcomSimEventType>;

/** An event type as the simulator keeps it: the {@link CalcomSimEventType} schema's output. */
export type CalcomSimEventType = z.output<typeof CalcomSimEventType>;

/** An event type as the simulator holds it (`addEventType` returns it): the input with its id, owner and every allowed length. */
export interface CalcomSimEventTypeRecord extends Omit<
  z.output<typeof CalcomSimEventType>,
  'id' | 'owner' | 'title'
> {
  readonly id: number;
  /** Username of the owning account. */
  readonly owner: string;
  /** Id of the owning account. */
  readonly ownerId: number;
  readonly title: string;
  /** Every length a booking may have, in minutes, the default first. */
  readonly lengths: readonly number[];
}

/**
 * The memory calendar's view of an event type (`length` overrides the default length). All
 * event types of an account share its host, so they block each other's time as in Cal.com.
 *
 * @internal
 */
export function memoryEventTypeOf(eventType: CalcomSimEventTypeRecord, length = eventType.lengthInMinutes) {
  return {
    tenantId: eventType.owner,
    id: String(eventType.id),
    slug: eventType.slug,
    title: eventType.title,
    durationMinutes: length,
    timeZone: eventType.timeZone,
    weeklyHours: eventType.weeklyHours,
    slotIntervalMinutes: eventType.slotIntervalMinutes,
    minimumNoticeMinutes: eventType.minimumBookingNoticeMinutes,
    hostId: eventType.owner,
  } satisfies MemoryCalendarEventTypeInput;
}

/**
 * `EventTypeOutput_2024_06_14`: the fields the document requires, with the defaults Cal.com
 * gives an event type nobody configured further.
 *
 * @internal
 */
export function eventTypeOutput(eventType: CalcomSimEventTypeRecord): Record<string, unknown> {
  return {
    id: eventType.id,
    lengthInMinutes: eventType.lengthInMinutes,
    ...(eventType.lengths.length > 1 ? { lengthInMinutesOptions: [...eventType.lengths] } : {}),
    title: eventType.title,
    slug: eventType.slug,
    description: eventType.description,
    locations: [],
    bookingFields: [],
    disableGuests: false,
    slotInterval: eventType.slotIntervalMinutes ?? null,
    minimumBookingNotice: eventType.minimumBookingNoticeMinutes,
    beforeEventBuffer: 0,
    afterEventBuffer: 0,
    recurrence: null,
    metadata: {},
    price: 0,
    currency: 'usd',
    lockTimeZoneToggleOnBookingPage: false,
    seatsPerTimeSlot: null,
    forwardParamsSuccessRedirect: null,
    successRedirectUrl: null,
    isInstantEvent: false,
    seatsShowAvailabilityCount: null,
    scheduleId: null,
    confirmationPolicy: eventType.requiresConfirmation
      ? { type: 'always', noticeThreshold: null }
      : undefined,
    hidden: eventType.hidden,
    bookingRequiresAuthentication: false,
    ownerId: eventType.ownerId,
    users: [eventType.owner],
  };
}

/**
 * The 2024-04-15 shape Cal.com serves `GET /v2/event-types` in when the version header is missing
 * or unknown: event types grouped per profile, v1-like field names.
 *
 * @internal
 */
export function legacyEventTypesOutput(
  eventTypes: readonly CalcomSimEventTypeRecord[],
): Record<string, unknown> {
  return {
    eventTypeGroups: [
      {
        eventTypes: eventTypes.map((eventType) => ({
          id: eventType.id,
          title: eventType.title,
          slug: eventType.slug,
          length: eventType.lengthInMinutes,
          hidden: eventType.hidden,
        })),
      },
    ],
    profiles: [],
  };
}
