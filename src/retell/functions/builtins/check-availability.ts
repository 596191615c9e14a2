import { z } from 'zod';
import type { TimeRange } from '../../../domain/time-range.js';
import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import { localDateKey, LocalDateArg, localDayStart, localInstant, LocalTimeArg } from '../local-time.js';
import {
  isAnswer,
  lengthMs,
  serviceOrAnswer,
  slotData,
  speakTimes,
  type BuiltInDeps,
} from './built-in-deps.js';

/** Longest range looked at, in days; a longer one is cut to it. */
const MAX_RANGE_DAYS = 31;
/** Times read out for one day; days read out for a range, with their first times. */
const SPOKEN_TIMES = 5;
const SPOKEN_DAYS = 3;
const TIMES_PER_SPOKEN_DAY = 3;
/** Slots returned as data: enough to choose from, far below Retell's 15,000 characters. */
const DATA_SLOTS = 40;

const CheckAvailabilityArgs = z.object({
  service: z.string().min(1).max(200).describe('The service the caller wants, by its name.'),
  date: LocalDateArg.describe('The day asked for (the first day of a range), as YYYY-MM-DD.'),
  end_date: LocalDateArg.optional().describe(
    'The last day of a range, as YYYY-MM-DD; leave out for one day.',
  ),
  time: LocalTimeArg.optional().describe(
    'A time the caller wishes, as HH:mm (24-hour); leave out to list free times.',
  ),
});

/** The tool definition's half of `check_availability`. */
export const checkAvailabilitySpec: RetellFunctionSpec<typeof CheckAvailabilityArgs> = {
  name: 'check_availability',
  description:
    'Checks free appointment times for a service on a day or a range of days. With a time, says whether it is free and offers the nearest free times when it is not.',
  parameters: CheckAvailabilityArgs,
  executionMessage: { de: 'Ich sehe kurz im Kalender nach.', en: 'Let me check the calendar.' },
  mutates: false,
};

/** `check_availability`: free times of a service, or whether a wished time is free. @internal */
export function createCheckAvailability(deps: BuiltInDeps): RetellFunction<typeof CheckAvailabilityArgs> {
  return {
    ...checkAvailabilitySpec,
    async run(args, context) {
      const { tenant, speech } = context;
      const type = await serviceOrAnswer(deps, context, args.service);
      if (isAnswer(type)) return type;

      if (args.time !== undefined) {
        const start = localInstant(args.date, args.time, tenant.timeZone);
        const wished: TimeRange = { start, end: new Date(Date.parse(start) + lengthMs(type)).toISOString() };
        if (Date.parse(start) < context.now) return { say: speech.phrases.inPast(speech.dateTime(start)) };
        const day = await deps.availability.getSlots(tenant.tenantId, type.id, {
          start: new Date(localDayStart(args.date, tenant.timeZone)).toISOString(),
          end: new Date(localDayStart(args.date, tenant.timeZone, 1)).toISOString(),
        });
        if (day.some((slot) => slot.start === wished.start && slot.end === wished.end)) {
          return {
            say: speech.phrases.slotFree(speech.dateTime(start)),
            data: { available: true, service: type.title, slot: slotData(context, [wished])[0]! },
          };
        }
        const offers = await deps.availability.findAlternatives(
          tenant.tenantId,
          type.id,
          wished,
          deps.alternatives,
          {
            timeZone: tenant.timeZone,
          },
        );
        return {
          say: speech.phrases.slotTaken(speech.dateTime(start), speakTimes(context, offers, start)),
          data: { available: false, service: type.title, alternatives: slotData(context, offers) },
        };
      }

      const lastDate = args.end_date !== undefined && args.end_date > args.date ? args.end_date : args.date;
      const fromMs = localDayStart(args.date, tenant.timeZone);
      const toMs = Math.min(
        localDayStart(lastDate, tenant.timeZone, 1),
        localDayStart(args.date, tenant.timeZone, MAX_RANGE_DAYS),
      );
      const slots = await deps.availability.getSlots(tenant.tenantId, type.id, {
        start: new Date(fromMs).toISOString(),
        end: new Date(toMs).toISOString(),
      });
      const range =
        lastDate === args.date
          ? speech.phrases.onDay(speech.day(fromMs))
          : speech.phrases.betweenDays(speech.day(fromMs), speech.day(toMs - 1));
      const data = {
        service: type.title,
        slots: slotData(context, slots.slice(0, DATA_SLOTS)),
        more: Math.max(0, slots.length - DATA_SLOTS),
      };
      if (slots.length === 0) {
        const wished = {
          start: new Date(toMs).toISOString(),
          end: new Date(toMs + lengthMs(type)).toISOString(),
        };
        const next = await deps.availability.findAlternatives(
          tenant.tenantId,
          type.id,
          wished,
          deps.alternatives,
          {
            timeZone: tenant.timeZone,
          },
        );
        return {
          say: speech.phrases.nothingFree(
            range,
            next.map((slot) => speech.dateTime(slot.start)),
          ),
          data: { ...data, alternatives: slotData(context, next) },
        };
      }
      const byDay = new Map<string, TimeRange[]>();
      for (const slot of slots) {
        const key = localDateKey(slot.start, tenant.timeZone);
        byDay.set(key, [...(byDay.get(key) ?? []), slot]);
      }
      if (byDay.size === 1) {
        const [daySlots] = [...byDay.values()] as [TimeRange[]];
        return {
          say: speech.phrases.freeTimes(
            speech.day(daySlots[0]!.start),
            daySlots.slice(0, SPOKEN_TIMES).map((slot) => speech.time(slot.start)),
            Math.max(0, daySlots.length - SPOKEN_TIMES),
          ),
          data,
        };
      }
      const days = [...byDay.values()].slice(0, SPOKEN_DAYS).map((daySlots) => ({
        day: speech.day(daySlots[0]!.start),
        times: daySlots.slice(0, TIMES_PER_SPOKEN_DAY).map((slot) => speech.time(slot.start)),
      }));
      return { say: speech.phrases.freeDays(days, Math.max(0, byDay.size - SPOKEN_DAYS)), data };
    },
  };
}
