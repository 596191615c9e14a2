import type { Locale } from '../../domain/locale.js';

/** The BCP 47 tag `Intl` formats each locale with. @internal */
export const intlTags: Readonly<Record<Locale, string>> = { de: 'de-DE', en: 'en-US' };

/**
 * A text in every {@link Locale}: what a function's execution message or a field's spoken
 * name is made of.
 *
 * @example
 * ```ts
 * const label: LocalizedText = { de: 'das Datum', en: 'the date' };
 * ```
 */
export type LocalizedText = Readonly<Record<Locale, string>>;
