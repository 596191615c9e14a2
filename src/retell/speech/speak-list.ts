import type { Locale } from '../../domain/locale.js';
import { intlTags } from './locale.js';

const lists = new Map<string, Intl.ListFormat>();

/**
 * Joins items the way they are said: "14:00, 14:30 oder 15:00" (`or`), "A, B und C" (`and`).
 * An empty list is an empty string.
 *
 * @example
 * ```ts
 * speakList(['14:00', '14:30', '15:00'], 'de', 'or'); // '14:00, 14:30 oder 15:00'
 * ```
 */
export function speakList(items: readonly string[], locale: Locale, joiner: 'and' | 'or'): string {
  const key = `${locale}|${joiner}`;
  let format = lists.get(key);
  if (!format) {
    format = new Intl.ListFormat(intlTags[locale], {
      type: joiner === 'or' ? 'disjunction' : 'conjunction',
    });
    lists.set(key, format);
  }
  return format.format(items);
}
