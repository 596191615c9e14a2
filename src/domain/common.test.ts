import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Instant, Metadata, TimeZone } from './common.js';

function messages(schema: z.ZodType, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  if (parsed.success) return expect.fail(`expected ${JSON.stringify(input)} to be refused`);
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('Instant', () => {
  it('normalises an instant with an offset to UTC', () => {
    expect(Instant.parse('2030-01-15T10:00:00+01:00')).toBe('2030-01-15T09:00:00.000Z');
    expect(Instant.parse('2030-01-15T10:00:00-05:30')).toBe('2030-01-15T15:30:00.000Z');
  });

  it('normalises a UTC instant to the one ISO form, milliseconds included', () => {
    expect(Instant.parse('2030-01-15T10:00:00Z')).toBe('2030-01-15T10:00:00.000Z');
    expect(Instant.parse('2030-01-15T10:00:00.5Z')).toBe('2030-01-15T10:00:00.500Z');
    expect(Instant.parse('2030-01-15T10:00:00.000Z')).toBe('2030-01-15T10:00:00.000Z');
  });

  it('refuses a date-time without a time zone and says to add one', () => {
    expect(messages(Instant, '2030-01-15T10:00:00')).toEqual([
      ': Missing time zone: add a time zone offset or Z, e.g. 2030-01-15T10:00:00Z or 2030-01-15T10:00:00+01:00',
    ]);
  });

  it('refuses a date without a time and says what to send instead', () => {
    expect(messages(Instant, '2030-01-15')).toEqual([
      ': A date without a time: send a date-time with a time zone, e.g. 2030-01-15T09:00:00Z',
    ]);
  });

  it('refuses garbage and impossible dates with an example of the expected form', () => {
    const expected = [
      ': Not an ISO 8601 date-time: expected e.g. 2030-01-15T09:00:00Z or 2030-01-15T10:00:00+01:00',
    ];
    expect(messages(Instant, 'next tuesday')).toEqual(expected);
    expect(messages(Instant, '2030-02-30T10:00:00Z')).toEqual(expected);
    expect(messages(Instant, '')).toEqual(expected);
  });

  it('refuses a value that is not a string', () => {
    expect(messages(Instant, 1_700_000_000_000)).toEqual([
      ': Expected an ISO 8601 date-time string, e.g. 2030-01-15T09:00:00Z',
    ]);
  });

  it('keeps normalising inside an object and reports the field', () => {
    const Range = z.object({ start: Instant });
    expect(Range.parse({ start: '2030-01-15T10:00:00+01:00' })).toEqual({
      start: '2030-01-15T09:00:00.000Z',
    });
    expect(messages(Range, { start: '2030-01-15T10:00:00' })[0]).toMatch(/^start: Missing time zone/);
  });
});

describe('Metadata', () => {
  const reserved = ['__proto__', 'constructor', 'prototype'] as const;

  it('accepts flat JSON values', () => {
    expect(Metadata.parse({ source: 'voice', attempt: 2, vip: true, note: null })).toEqual({
      source: 'voice',
      attempt: 2,
      vip: true,
      note: null,
    });
  });

  it.each(reserved)('refuses the key %s from parsed JSON with a message', (key) => {
    const input: unknown = JSON.parse(`{"ok": "yes", "${key}": 1}`);
    expect(messages(Metadata, input)).toEqual([
      `${key}: "${key}" is a reserved key (it could alter object prototypes); rename it`,
    ]);
  });

  it.each(reserved)('refuses the key %s as an own property of an object literal', (key) => {
    expect(messages(Metadata, { [key]: 'x' })).toEqual([
      `${key}: "${key}" is a reserved key (it could alter object prototypes); rename it`,
    ]);
  });

  it('refuses a reserved key whose value is an object, which would otherwise vanish', () => {
    const input: unknown = JSON.parse('{"a": 1, "__proto__": {"isAdmin": true}}');
    expect(messages(Metadata, input)).toEqual([
      '__proto__: "__proto__" is a reserved key (it could alter object prototypes); rename it',
    ]);
  });

  it('reports the path of a reserved key inside a command-like object', () => {
    const Command = z.object({ metadata: Metadata.optional() });
    expect(messages(Command, JSON.parse('{"metadata": {"constructor": "x"}}'))).toEqual([
      'metadata.constructor: "constructor" is a reserved key (it could alter object prototypes); rename it',
    ]);
  });
});

describe('TimeZone', () => {
  afterEach(() => vi.restoreAllMocks());

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

  it('accepts IANA zone names and refuses others with a message', () => {
    expect(TimeZone.parse('Europe/Berlin')).toBe('Europe/Berlin');
    expect(TimeZone.parse('UTC')).toBe('UTC');
    expect(messages(TimeZone, 'Mars/Olympus_Mons')).toEqual([': Invalid IANA time zone']);
    expect(messages(TimeZone, '')).toEqual([': Invalid IANA time zone']);
  });

  it('asks the runtime about a zone once, however many values name it', () => {
    const formats = countFormatters();
    for (let i = 0; i < 100; i += 1)
      expect(TimeZone.parse('America/Argentina/Salta')).toBe('America/Argentina/Salta');
    expect(formats.built).toBeLessThanOrEqual(1);
  });

  it('asks again about an invalid name each time, so that junk input fills no cache', () => {
    const formats = countFormatters();
    for (let i = 0; i < 3; i += 1) expect(TimeZone.safeParse('Atlantis/Capital').success).toBe(false);
    expect(formats.built).toBe(3);
  });
});
