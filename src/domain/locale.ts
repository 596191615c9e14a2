import { z } from 'zod';

/**
 * A language bookingkit speaks to callers in: `de` (German) or `en` (English). A tenant's
 * locale picks the language of its voice agent's phrases and its notifications.
 *
 * @example
 * ```ts
 * Locale.parse('de'); // 'de'
 * Locale.safeParse('fr').success; // false
 * ```
 */
export const Locale = z.enum(['de', 'en']);
/** @see {@link Locale} */
export type Locale = z.infer<typeof Locale>;

/** The locale of a tenant configured without one. */
export const DEFAULT_LOCALE: Locale = 'en';
