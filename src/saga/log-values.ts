import { ValidationError } from '../errors/validation-error.js';
import type { JsonValue, SerializedError } from './saga-store.js';
import { isNonRetryableError } from './step-errors.js';

/**
 * Passes a value through JSON, as the log will store it: a resumed saga must see exactly what an
 * uninterrupted one saw, so steps always receive the logged form (`Date`s become strings,
 * `undefined` becomes `null`, ...).
 *
 * @throws {@link ValidationError} when the value cannot be written as JSON (a cycle, a `BigInt`).
 * @internal
 */
export function toLogged(value: unknown, subject: string): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(subject, [{ path: '', message: `must be JSON-serialisable (${message})` }], {
      cause: error,
    });
  }
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

/**
 * JSON text with object keys sorted, so that two equal values compare equal whatever their key
 * order (Postgres `jsonb` does not keep it).
 *
 * @internal
 */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The logged form of an error: name, message and stable code. A {@link NonRetryableError} is
 * logged as the error it wraps.
 *
 * @internal
 */
export function serializeError(error: unknown): SerializedError {
  const subject = isNonRetryableError(error) && error.cause !== undefined ? error.cause : error;
  if (subject instanceof Error) {
    const code = (subject as { code?: unknown }).code;
    return { name: subject.name, message: subject.message, code: typeof code === 'string' ? code : null };
  }
  return { name: 'Error', message: typeof subject === 'string' ? subject : safeString(subject), code: null };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
