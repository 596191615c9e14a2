import { describe, expect, it } from 'vitest';
import { dateKeyInZone, formatInZone, parseInstant } from './sim-time.js';

describe('simulator time formatting', () => {
  it('writes an instant as wall-clock time with the zone offset', () => {
    const instant = Date.parse('2050-09-05T07:00:00Z');
    expect(formatInZone(instant, 'Europe/Berlin')).toBe('2050-09-05T09:00:00.000+02:00');
    expect(formatInZone(instant, 'America/New_York')).toBe('2050-09-05T03:00:00.000-04:00');
    expect(formatInZone(instant, 'Asia/Kolkata')).toBe('2050-09-05T12:30:00.000+05:30');
    expect(formatInZone(instant, 'UTC')).toBe('2050-09-05T07:00:00.000+00:00');
  });

  it('keys an instant by its date in the zone', () => {
    const instant = Date.parse('2050-09-05T23:30:00Z');
    expect(dateKeyInZone(instant, 'UTC')).toBe('2050-09-05');
    expect(dateKeyInZone(instant, 'Europe/Berlin')).toBe('2050-09-06');
  });

  it('parses only ISO dates', () => {
    expect(parseInstant('2050-09-05')).toBe(Date.parse('2050-09-05T00:00:00Z'));
    expect(parseInstant('tomorrow')).toBeNaN();
    expect(parseInstant(5)).toBeNaN();
  });
});
