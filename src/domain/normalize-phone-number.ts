import { parsePhoneNumberFromString, type CountryCode as LibCountryCode } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from './phone-number.js';

/**
 * Normalises a phone number as people and telephony systems write it (`030 1234 5678`,
 * `+49 (30) 1234-5678`, `0049...`) to E.164, or returns `null` when it is not a valid number.
 *
 * @param defaultCountry - country assumed for numbers written without a country code.
 * @example
 * ```ts
 * normalizePhoneNumber('030 1234 5678', 'DE'); // '+493012345678'
 * normalizePhoneNumber('not a number'); // null
 * ```
 */
export function normalizePhoneNumber(input: string, defaultCountry?: CountryCode): PhoneNumber | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry as LibCountryCode | undefined);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}
