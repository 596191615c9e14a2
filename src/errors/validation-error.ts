import type { z } from 'zod';
import { BookingKitError, errorGuard } from './booking-kit-error.js';

/** One problem found while validating input: where, and what is wrong. */
export interface ValidationIssue {
  /** Dotted path to the offending field (`customer.email`, `slots.2.start`); empty for the root. */
  readonly path: string;
  /** What is wrong, in words a user can act on. */
  readonly message: string;
}

/**
 * Turns zod issues into {@link ValidationIssue}s with dotted paths, so error messages name the
 * field and the problem instead of dumping zod's internals.
 *
 * @example
 * ```ts
 * declare const schema: z.ZodType;
 * declare const input: unknown;
 * // ---cut---
 * import { z } from 'zod';
 * const parsed = schema.safeParse(input);
 * if (!parsed.success) console.log(toValidationIssues(parsed.error.issues));
 * ```
 */
export function toValidationIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): ValidationIssue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map((segment) => String(segment))].filter((s) => s !== '').join('.');
    return { path, message: issue.message };
  });
}

/** Renders issues as one line: `customer.email: Invalid email; start: Required`. */
export function formatValidationIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`))
    .join('; ');
}

/** Context of a {@link ValidationError}. */
export interface ValidationErrorContext {
  /** What was being validated, e.g. `BookCommand` or `webhook body`. */
  readonly subject: string;
  /** Every problem found. */
  readonly issues: readonly ValidationIssue[];
}

/**
 * Input failed validation. The message lists each offending field and the problem; the same
 * facts are in `context.issues` for programmatic use.
 *
 * @example
 * ```ts
 * declare const input: unknown;
 * // ---cut---
 * const result = parseWith(BookCommand, input, 'BookCommand'); // throws ValidationError
 * ```
 */
export class ValidationError extends BookingKitError<'VALIDATION', ValidationErrorContext> {
  override name = 'ValidationError';

  constructor(subject: string, issues: readonly ValidationIssue[], options: { cause?: unknown } = {}) {
    super(
      'VALIDATION',
      `Invalid ${subject}: ${formatValidationIssues(issues)}`,
      { subject, issues },
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link ValidationError}.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isValidationError(error)) return new Response(error.message, { status: 400 });
 *   throw error;
 * }
 * ```
 */
export const isValidationError = errorGuard<ValidationError>('ValidationError', 'VALIDATION');

/**
 * Parses `input` with `schema`, throwing a {@link ValidationError} that names each bad field.
 *
 * @throws {@link ValidationError} when the input does not match the schema.
 * @example
 * ```ts
 * declare const body: unknown;
 * // ---cut---
 * const command = parseWith(BookCommand, body, 'BookCommand');
 * ```
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(subject, toValidationIssues(parsed.error.issues), { cause: parsed.error });
}
