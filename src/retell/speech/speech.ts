import type { Locale } from '../../domain/locale.js';
import { phrasesFor, type Phrases } from './phrases.js';
import { speakList } from './speak-list.js';
import { speakDate, speakDateTime, speakDay, speakTime } from './speak-time.js';

/** Everything a voice function says, bound to one tenant's language and time zone. */
export interface Speech {
  readonly locale: Locale;
  readonly timeZone: string;
  /** The sentences of `locale`. */
  readonly phrases: Phrases;
  /** "Dienstag, 3. März" / "Tuesday, March 3". */
  day(instant: string | number): string;
  /** "14:30" / "2:30 PM". */
  time(instant: string | number): string;
  /** "Dienstag, 3. März um 14:30" / "Tuesday, March 3 at 2:30 PM". */
  dateTime(instant: string | number): string;
  /** "3. März 2026" / "March 3, 2026". */
  date(instant: string | number): string;
  /** "14:00, 14:30 oder 15:00". */
  list(items: readonly string[], joiner: 'and' | 'or'): string;
}

/**
 * Binds the speakable formatting to a locale and an IANA time zone (a tenant's).
 *
 * @throws RangeError for a time zone the runtime does not know (on first use).
 * @example
 * ```ts
 * const speech = createSpeech('de', 'Europe/Berlin');
 * speech.dateTime('2026-03-03T13:30:00.000Z'); // 'Dienstag, 3. März um 14:30'
 * speech.phrases.slotFree(speech.dateTime('2026-03-03T13:30:00.000Z'));
 * ```
 */
export function createSpeech(locale: Locale, timeZone: string): Speech {
  const options = { locale, timeZone };
  return {
    locale,
    timeZone,
    phrases: phrasesFor(locale),
    day: (instant) => speakDay(instant, options),
    time: (instant) => speakTime(instant, options),
    dateTime: (instant) => speakDateTime(instant, options),
    date: (instant) => speakDate(instant, options),
    list: (items, joiner) => speakList(items, locale, joiner),
  };
}
