import type { CountryCode } from '../../domain/phone-number.js';
import { z } from 'zod';
import { normalizePhoneNumber, type PhoneNumber } from '../../domain/phone-number.js';
import { ValidationError, toValidationIssues, type ValidationIssue } from '../../errors/validation-error.js';

/** What a caller knows about a customer: at least a phone number or an email address. */
export interface CustomerContactInput {
  /** As typed or dialled (`030 1234 5678`, `+49 30 ...`); normalised to E.164. */
  readonly phone?: string | null | undefined;
  /** Compared and stored lower-case. */
  readonly email?: string | null | undefined;
  readonly name?: string | null | undefined;
  /** BCP 47 language tag, e.g. `de-DE`; stored in canonical form. */
  readonly locale?: string | null | undefined;
}

/** Contact details after normalisation; `null` where the input had nothing. */
export interface NormalizedContact {
  readonly phone: PhoneNumber | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly locale: string | null;
}

const optionalText = z
  .string()
  .nullish()
  .transform((value) => {
    const trimmed = value?.trim();
    return trimmed === undefined || trimmed === '' ? null : trimmed;
  });

const Raw = z.object({
  phone: optionalText,
  email: optionalText.pipe(
    z
      .email()
      .transform((email) => email.toLowerCase())
      .nullable(),
  ),
  name: optionalText.pipe(z.string().max(200).nullable()),
  locale: optionalText,
});

function canonicalLocale(locale: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    return canonical !== undefined && canonical.length <= 35 ? canonical : null;
  } catch {
    return null;
  }
}

/**
 * Validates and normalises a customer's contact details: the phone to E.164 (numbers without a
 * country code are read as `defaultCountry`), the email to lower case, the locale to its canonical
 * form, blank strings to `null`.
 *
 * @throws {@link ValidationError} naming each bad field, or `phone` when neither phone nor email is given.
 * @example
 * ```ts
 * normalizeContact({ phone: '030 1234 5678', email: 'Ana@Example.com' }, 'DE');
 * // { phone: '+493012345678', email: 'ana@example.com', name: null, locale: null }
 * ```
 */
export function normalizeContact(
  input: CustomerContactInput,
  defaultCountry?: CountryCode,
): NormalizedContact {
  const parsed = Raw.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ValidationError('customer', toValidationIssues(parsed.error.issues), { cause: parsed.error });
  }
  const issues: ValidationIssue[] = [];
  const { email, name } = parsed.data;
  let phone: PhoneNumber | null = null;
  if (parsed.data.phone !== null) {
    phone = normalizePhoneNumber(parsed.data.phone, defaultCountry);
    if (phone === null) {
      const hint = defaultCountry ? '' : ' (include the country code, e.g. +49…, or set defaultCountry)';
      issues.push({ path: 'phone', message: `is not a valid phone number${hint}` });
    }
  }
  let locale: string | null = null;
  if (parsed.data.locale !== null) {
    locale = canonicalLocale(parsed.data.locale);
    if (locale === null) issues.push({ path: 'locale', message: 'is not a BCP 47 language tag like de-DE' });
  }
  if (parsed.data.phone === null && email === null) {
    issues.push({ path: 'phone', message: 'a phone number or an email address is required' });
  }
  if (issues.length > 0) throw new ValidationError('customer', issues);
  return { phone, email, name, locale };
}
