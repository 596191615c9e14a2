import { z } from 'zod';

// Parsing numbers needs libphonenumber-js and its metadata (~120 KB minified); it lives in
// normalize-phone-number.ts, so that the schema and the mask below do not bring it into a
// consumer's bundle (docs/decisions/0008-bundle-boundaries.md).
export { normalizePhoneNumber } from './normalize-phone-number.js';

/** A phone number in E.164 form (`+4930123456`). */
export const PhoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { message: 'Expected an E.164 phone number like +4930123456' });
/** @see {@link PhoneNumber} */
export type PhoneNumber = z.infer<typeof PhoneNumber>;

type Letter =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E'
  | 'F'
  | 'G'
  | 'H'
  | 'I'
  | 'J'
  | 'K'
  | 'L'
  | 'M'
  | 'N'
  | 'O'
  | 'P'
  | 'Q'
  | 'R'
  | 'S'
  | 'T'
  | 'U'
  | 'V'
  | 'W'
  | 'X'
  | 'Y'
  | 'Z';

/**
 * An ISO 3166-1 alpha-2 country code (`DE`, `US`), the country assumed for phone numbers written
 * without a country code. Our own type, so that bookingkit's declarations do not import
 * libphonenumber-js; a code it does not know normalises no number (the result is `null`).
 *
 * @example
 * ```ts
 * const country: CountryCode = 'DE';
 * ```
 */
export type CountryCode = `${Letter}${Letter}`;

/**
 * Masks a phone number for logs: keeps the country code and the last two digits.
 *
 * @example
 * ```ts
 * maskPhoneNumber('+493012345678'); // '+49********78'
 * ```
 */
export function maskPhoneNumber(phone: string): string {
  if (phone.length <= 5) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}
