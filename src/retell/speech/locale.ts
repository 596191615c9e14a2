import { z } from 'zod';

/**
 * The languages the voice functions speak: German and English. Sentences, dates and times are
 * phrased in it, and the tool definitions' execution messages are picked by it.
 *
 * @example
 * ```ts
 * const locale: SpeechLocale = SpeechLocale.parse('de');
 * ```
 */
export const SpeechLocale = z.enum(['de', 'en']);
/** @see {@link SpeechLocale} */
export type SpeechLocale = z.infer<typeof SpeechLocale>;

/** The BCP 47 tag `Intl` formats each locale with. @internal */
export const intlTags: Readonly<Record<SpeechLocale, string>> = { de: 'de-DE', en: 'en-US' };

/**
 * A text in every {@link SpeechLocale}: what a function's execution message or a field's spoken
 * name is made of.
 *
 * @example
 * ```ts
 * const label: LocalizedText = { de: 'das Datum', en: 'the date' };
 * ```
 */
export type LocalizedText = Readonly<Record<SpeechLocale, string>>;
