import { beforeAll, describe, expect, it } from 'vitest';
import { measureSurface, surfaceProblems, type Surface } from '../../scripts/count-exports.js';

// The curated public surface (see src/index.ts and each entry's index.ts): every name comes
// through one entry, nothing tagged @internal leaks, and zod schemas follow
// docs/decisions/0005-schema-naming.md.
let surface: Surface;
beforeAll(() => {
  surface = measureSurface();
}, 60_000);

describe('the public surface', () => {
  it('has no problems: one route per name, no @internal name, schemas named by the rule', () => {
    expect(surfaceProblems(surface)).toEqual([]);
  });

  it('keeps internal helpers out of every entry', () => {
    const everyName = Object.values(surface.entries).flatMap(({ runtime, types }) => [...runtime, ...types]);
    for (const name of [
      'attendeeFor',
      'findCause',
      'isCalendarOutage',
      'CALENDAR_SYNC_LISTENER',
      'sleep',
      'overlaps',
      'quoteSchema',
      'useSubject',
    ])
      expect(everyName).not.toContain(name);
  });

  it('serves the Cal.com and Retell idempotency keys from their vendor entries only', () => {
    expect(surface.entries['bookingkit/calcom']?.runtime).toContain('calcomWebhookKey');
    expect(surface.entries['bookingkit/retell']?.runtime).toEqual(
      expect.arrayContaining(['retellWebhookKey', 'retellFunctionCallKey']),
    );
    expect(surface.entries.bookingkit?.runtime).not.toContain('calcomWebhookKey');
    expect(surface.entries.bookingkit?.runtime).not.toContain('retellWebhookKey');
  });
});
