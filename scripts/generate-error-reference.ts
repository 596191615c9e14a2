// Writes docs/errors.md from the error reference table (src/http/error-reference.ts), the one
// source of every code's HTTP status, meaning and action. Run with `npm run docs:errors`; a test
// fails when the committed page differs from what this renders.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorReference, type ErrorReferenceEntry } from '../src/http/error-reference.js';
import { statusTitle } from '../src/http/problem.js';

/** A table cell: pipes escaped and line breaks flattened, so text cannot break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The Markdown of the error reference page, rows in the table's order. */
export function renderErrorReference(table: Readonly<Record<string, ErrorReferenceEntry>>): string {
  const rows = Object.entries(table).map(
    ([code, { name, status, meaning, action }]) =>
      `| \`${code}\` | \`${name}\` | ${status} ${statusTitle(status)} | ${cell(meaning)} | ${cell(action)} |`,
  );
  return [
    '<!-- Generated from src/http/error-reference.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    '# Error reference',
    '',
    'Every error bookingkit throws on purpose carries a stable `code`. This page lists each code, the',
    'error class that carries it, the HTTP status that `problemResponse` (`bookingkit/http`) answers',
    'with, what it means and what to do about it. Codes that are the server’s fault are listed with',
    'their 5xx status on purpose.',
    '',
    'Client errors (4xx) answer an RFC 9457 problem body with the `code` and the error’s message as',
    '`detail`; a validation error adds `issues` (each offending field) and a slot conflict adds',
    '`alternatives` (the nearest free slots). Server errors (5xx) answer a fixed `detail` and no code, so',
    'internals never reach the caller: look the failure up in the server’s log. When the error knows',
    'when to try again (an open circuit, an unreachable calendar, a concurrent request with the same',
    'Idempotency-Key), the response carries `Retry-After` in seconds.',
    '',
    '| code | error | HTTP status | meaning | what to do |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
  writeFileSync(target, renderErrorReference(errorReference));
  console.log(`wrote ${target} (${Object.keys(errorReference).length} codes)`);
}
