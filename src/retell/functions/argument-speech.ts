import type { z } from 'zod';
import type { LocalizedText } from '../speech/locale.js';
import type { Speech } from '../speech/speech.js';

/**
 * The sentence for arguments that did not pass their schema: the fields left out ("I still need
 * the date and the time."), else the fields not understood. Each field is named once, by its
 * spoken label, in the order the schema reported it.
 * @internal
 */
export function speakArgumentProblem(
  issues: readonly z.core.$ZodIssue[],
  args: unknown,
  speech: Speech,
  labels: Readonly<Record<string, LocalizedText>> = {},
): string {
  const given = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (field === '' || missing.includes(field) || invalid.includes(field)) continue;
    const value = given[field];
    if (value === undefined || value === null || value === '') missing.push(field);
    else invalid.push(field);
  }
  const spoken = (fields: readonly string[]): string[] =>
    fields.map((field) => labels[field]?.[speech.locale] ?? speech.phrases.fieldLabel(field));
  if (missing.length > 0) return speech.phrases.missing(spoken(missing));
  // An issue about the arguments as a whole (not an object, a cross-field rule without a path).
  return speech.phrases.invalid(spoken(invalid.length > 0 ? invalid : ['args']));
}
