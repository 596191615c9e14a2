import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addDays,
  formatLocalDate,
  isTimeZone,
  localDateOf,
  weekdayOf,
  zonedInstant,
  ZONE_CACHE_LIMIT,
  zoneOffsetMs,
} from './zoned-time.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('zoned time', () => {
  it('tells the local date of an instant, which differs from the UTC date near midnight', () => {
    const instant = Date.parse('2026-01-05T23:30:00.000Z');
    expect(formatLocalDate(localDateOf(instant, 'Europe/Berlin'))).toBe('2026-01-06');
    expect(formatLocalDate(localDateOf(instant, 'America/Los_Angeles'))).toBe('2026-01-05');
  });

  it('maps a local time to its instant on both sides of daylight saving', () => {
    expect(iso(zonedInstant({ year: 2026, month: 1, day: 5 }, 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-01-05T08:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2026, month: 7, day: 6 }, 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-07-06T07:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2026, month: 3, day: 29 }, 10 * 60, 'Europe/Berlin'))).toBe(
      '2026-03-29T08:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2026, month: 1, day: 5 }, 1440, 'UTC'))).toBe('2026-01-06T00:00:00.000Z');
  });

  it('moves a time skipped by spring-forward past the gap, and takes the first of a repeated time', () => {
    // Berlin skips 02:00–03:00 on 2026-03-29 and repeats 02:00–03:00 on 2026-10-25.
    expect(iso(zonedInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin'))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('computes offsets, weekdays and date arithmetic across month ends', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-05T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
    expect(weekdayOf({ year: 2026, month: 1, day: 5 })).toBe(1);
    expect(formatLocalDate(addDays({ year: 2026, month: 2, day: 27 }, 2))).toBe('2026-03-01');
    expect(formatLocalDate(addDays({ year: 2026, month: 1, day: 1 }, -1))).toBe('2025-12-31');
  });
});

describe('zone formatters', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The `n`th of many spellings of one zone (`n` < 2^16): `Intl` takes zone names in any letter case. */
  const spelling = (n: number): string => {
    let bit = 0;
    return [...'america/argentina/buenos_aires']
      .map((char) => (/[a-z]/.test(char) && (n >> bit++) % 2 === 1 ? char.toUpperCase() : char))
      .join('');
  };

  /** Counts the `Intl.DateTimeFormat`s built from now on (they are built as usual). */
  function countFormatters(): { readonly built: number } {
    const Real = Intl.DateTimeFormat;
    const spy = vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (
      ...args: ConstructorParameters<typeof Intl.DateTimeFormat>
    ) {
      return new Real(...args);
    });
    return {
      get built() {
        return spy.mock.calls.length;
      },
    };
  }

  function countCalls(): { readonly calls: number } {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    return {
      get calls() {
        return spy.mock.calls.length;
      },
    };
  }

  it('tells IANA zone names from other strings', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('builds one formatter per zone, shared by validation and wall-clock arithmetic', () => {
    const formats = countFormatters();
    expect(isTimeZone('Pacific/Chatham')).toBe(true);
    for (let i = 0; i < 50; i += 1) {
      expect(zoneOffsetMs(Date.parse('2026-01-05T12:00:00Z') + i, 'Pacific/Chatham')).toBe(13.75 * 3_600_000);
    }
    expect(isTimeZone('Pacific/Chatham')).toBe(true);
    expect(formats.built).toBeLessThanOrEqual(1);
  });

  it(`keeps the formatters of at most ${ZONE_CACHE_LIMIT} zones, dropping the oldest`, () => {
    for (let n = 0; n <= ZONE_CACHE_LIMIT; n += 1) expect(isTimeZone(spelling(n))).toBe(true);
    const formats = countFormatters();
    expect(isTimeZone(spelling(ZONE_CACHE_LIMIT))).toBe(true);
    expect(formats.built).toBe(0);
    expect(isTimeZone(spelling(0))).toBe(true);
    expect(formats.built).toBe(1);
  });

  it('answers every offset as Intl does, across transitions, half-hour shifts and odd historical offsets', () => {
    // Direct computation through a formatter of our own, as the answer to compare with.
    const direct = (instantMs: number, timeZone: string): number => {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }).formatToParts(new Date(instantMs));
      const field = (type: string) => Number(parts.find((part) => part.type === type)!.value);
      const wall = Date.UTC(
        field('year'),
        field('month') - 1,
        field('day'),
        field('hour'),
        field('minute'),
        field('second'),
      );
      return wall - Math.floor(instantMs / 1000) * 1000;
    };
    const cases: [string, string][] = [
      ['Europe/Berlin', '2026-03-29T00:00:00.000Z'], // spring forward at 01:00Z
      ['Europe/Berlin', '2026-10-25T00:00:00.000Z'], // fall back at 01:00Z
      ['Australia/Lord_Howe', '2026-04-04T14:00:00.000Z'], // a 30-minute shift
      ['America/St_Johns', '2026-11-01T03:00:00.000Z'], // a half-hour zone's fall back
      ['Europe/Amsterdam', '1937-06-30T22:00:00.000Z'], // +00:19:32 to +00:20
      ['Africa/Monrovia', '1972-01-06T23:00:00.000Z'], // -00:44:30 to UTC
    ];
    for (const [zone, around] of cases) {
      const from = Date.parse(around) - 3 * 3_600_000;
      // Every 7 minutes and 13 seconds over six hours, twice: the second pass reads what the first cached.
      for (let pass = 0; pass < 2; pass += 1) {
        for (let t = from; t < from + 6 * 3_600_000; t += 433_000 + pass) {
          expect(zoneOffsetMs(t, zone), `${zone} at ${iso(t)}`).toBe(direct(t, zone));
          expect(zoneOffsetMs(t + 999, zone), `${zone} at ${iso(t + 999)}`).toBe(direct(t + 999, zone));
        }
      }
    }
  });

  it('formats once per zone and hour, not once per question', () => {
    const formats = countCalls();
    const start = Date.parse('2030-02-03T10:00:00.000Z');
    for (let i = 0; i < 1_000; i += 1) zoneOffsetMs(start + i * 1_000, 'Asia/Kolkata');
    expect(formats.calls).toBeLessThanOrEqual(2);
    expect(zoneOffsetMs(start, 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });
});
