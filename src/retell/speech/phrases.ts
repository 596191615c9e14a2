import type { Locale } from '../../domain/locale.js';
import { englishPhrases } from './phrases-en.js';
import { germanPhrases } from './phrases-de.js';

/** One day of free times, spoken: the day and its first few times. */
export interface SpokenDay {
  readonly day: string;
  readonly times: readonly string[];
}

/**
 * The sentences the voice functions answer with, in one language. Every argument is already
 * spoken text (a day, a time, a list); the sentences are short, name what the agent can do next,
 * and never carry an error code or a stack trace.
 */
export interface Phrases {
  /** The spoken name of an argument ("the date" / "das Datum"); an unknown one is read as words. */
  fieldLabel(field: string): string;
  /** The line's tenant is not known: nothing else is said. */
  unknownTenant(): string;
  /** A function the router does not offer. */
  unknownFunction(): string;
  /** Arguments the agent left out (spoken labels). */
  missing(labels: readonly string[]): string;
  /** Arguments the agent gave in a form that is not understood (spoken labels). */
  invalid(labels: readonly string[]): string;
  /** The work outlived its time budget; it goes on, and asking again gets its answer. */
  stillWorking(): string;
  /** Anything unexpected: nothing was kept, trying again is safe. */
  failed(): string;
  /** The calendar cannot be reached. */
  calendarUnavailable(): string;
  /** The service asked for is not offered; `offered` lists what is. */
  unknownService(asked: string, offered: readonly string[]): string;
  /** The tenant offers nothing bookable. */
  noServices(): string;
  /** The services offered. */
  services(names: readonly string[]): string;
  /** The time asked for is free. */
  slotFree(when: string): string;
  /** The time asked for is taken; the nearest free times, maybe none. */
  slotTaken(when: string, alternatives: readonly string[]): string;
  /** Free times of one day; `more` further ones not read out. */
  freeTimes(day: string, times: readonly string[], more: number): string;
  /** Free times over several days; `moreDays` further days with free times not read out. */
  freeDays(days: readonly SpokenDay[], moreDays: number): string;
  /** A one-day range as it follows "nothing is free": "on Tuesday, March 3" / "am Dienstag, 3. März". */
  onDay(day: string): string;
  /** A range of days: "between Tuesday, March 3 and Friday, March 6". */
  betweenDays(first: string, last: string): string;
  /** Nothing free in the range asked for; `alternatives` are the nearest free times after it. */
  nothingFree(range: string, alternatives: readonly string[]): string;
  /** The time asked for lies in the past. */
  inPast(when: string): string;
  /** The calendar does not take bookings at that time (outside its hours, or refused). */
  notBookable(when: string): string;
  /** Booked; `queued`: the calendar gets it a little later. */
  booked(service: string, when: string, queued: boolean): string;
  /** Moved. */
  rescheduled(when: string, queued: boolean): string;
  /** Cancelled. */
  cancelled(when: string): string;
  /** No appointment with that id for this caller. */
  appointmentNotFound(): string;
  /** The appointment belongs to another caller. */
  notYourAppointment(): string;
  /** It was cancelled already. */
  alreadyCancelled(when: string): string;
  /** It cannot be changed any more (cancelled, no-show, over). */
  cannotChange(when: string): string;
  /** The caller's number is unknown (web call, withheld number). */
  noCallerNumber(): string;
  /** No upcoming appointments for the caller. */
  noAppointments(): string;
  /** The caller's upcoming appointments, each "service on when". */
  appointments(entries: readonly string[]): string;
  /** One appointment: "Beratung am Dienstag, 3. März um 14:30". */
  appointmentEntry(service: string, when: string): string;
}

const PHRASES: Readonly<Record<Locale, Phrases>> = { de: germanPhrases, en: englishPhrases };

/**
 * The sentences of a locale.
 *
 * @example
 * ```ts
 * phrasesFor('de').stillWorking(); // 'Ich bin noch dabei. Fragen Sie mich bitte gleich noch einmal.'
 * ```
 */
export function phrasesFor(locale: Locale): Phrases {
  return PHRASES[locale];
}
