import type { Locale } from '../../domain/locale.js';
import { intlTags } from './locale.js';

/**
 * How many (locale, zone, style) formatters are kept. Building an `Intl.DateTimeFormat` costs far
 * more than using one; zones come from tenant data, so the cache is bounded: past the limit, the
 * entry cached first is dropped.
 */
const FORMATTER_LIMIT = 500;
const formatters = new Map<string, Intl.DateTimeFormat>();

type Style = 'day' | 'time' | 'date';

const STYLES: Readonly<Record<Style, Readonly<Record<Locale, Intl.DateTimeFormatOptions>>>> = {
  // "Dienstag, 3. März" / "Tuesday, March 3"
  day: {
    de: { weekday: 'long', day: 'numeric', month: 'long' },
    en: { weekday: 'long', day: 'numeric', month: 'long' },
  },
  // "14:30" / "2:30 PM"
  time: {
    de: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    en: { hour: 'numeric', minute: '2-digit', hour12: true },
  },
  // "3. März 2026" / "March 3, 2026": for dates far enough away that the year matters
  date: {
    de: { day: 'numeric', month: 'long', year: 'numeric' },
    en: { day: 'numeric', month: 'long', year: 'numeric' },
  },
};

function formatter(locale: Locale, timeZone: string, style: Style): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(intlTags[locale], { ...STYLES[style][locale], timeZone });
    if (formatters.size >= FORMATTER_LIMIT) formatters.delete(formatters.keys().next().value!);
    formatters.set(key, cached);
  }
  return cached;
}

// ICU puts narrow no-break spaces before "PM"; speech engines read plain spaces best.
const spaces = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');

/** Where and in which language a time is spoken. */
export interface SpeakTimeOptions {
  readonly locale: Locale;
  /** The tenant's IANA time zone: times are spoken as its wall clock shows them. */
  readonly timeZone: string;
}

/**
 * The day of an instant, as it is said: "Dienstag, 3. März" / "Tuesday, March 3".
 *
 * @throws RangeError for a time zone the runtime does not know.
 * @example
 * ```ts
 * speakDay('2026-03-03T13:30:00.000Z', { locale: 'de', timeZone: 'Europe/Berlin' }); // 'Dienstag, 3. März'
 * ```
 */
export function speakDay(instant: string | number, options: SpeakTimeOptions): string {
  return spaces(formatter(options.locale, options.timeZone, 'day').format(new Date(instant)));
}

/**
 * The wall-clock time of an instant: "14:30" / "2:30 PM".
 *
 * @throws RangeError for a time zone the runtime does not know.
 * @example
 * ```ts
 * speakTime('2026-03-03T13:30:00.000Z', { locale: 'en', timeZone: 'Europe/Berlin' }); // '2:30 PM'
 * ```
 */
export function speakTime(instant: string | number, options: SpeakTimeOptions): string {
  return spaces(formatter(options.locale, options.timeZone, 'time').format(new Date(instant)));
}

/**
 * Day and time together: "Dienstag, 3. März um 14:30" / "Tuesday, March 3 at 2:30 PM".
 *
 * @throws RangeError for a time zone the runtime does not know.
 * @example
 * ```ts
 * speakDateTime('2026-03-03T13:30:00.000Z', { locale: 'de', timeZone: 'Europe/Berlin' });
 * // 'Dienstag, 3. März um 14:30'
 * ```
 */
export function speakDateTime(instant: string | number, options: SpeakTimeOptions): string {
  const joiner = options.locale === 'de' ? 'um' : 'at';
  return `${speakDay(instant, options)} ${joiner} ${speakTime(instant, options)}`;
}

/**
 * A date with its year, for dates the caller might place in another year: "3. März 2026".
 *
 * @throws RangeError for a time zone the runtime does not know.
 * @example
 * ```ts
 * speakDate('2026-03-03T13:30:00.000Z', { locale: 'en', timeZone: 'Europe/Berlin' }); // 'March 3, 2026'
 * ```
 */
export function speakDate(instant: string | number, options: SpeakTimeOptions): string {
  return spaces(formatter(options.locale, options.timeZone, 'date').format(new Date(instant)));
}
