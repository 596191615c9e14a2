import { describe, expect, it } from 'vitest';
import { createSpeech } from './speech.js';
import { phrasesFor } from './phrases.js';

const TUESDAY_1430_BERLIN = '2026-03-03T13:30:00.000Z';

describe('createSpeech', () => {
  it('speaks a day and time in German in the tenant time zone', () => {
    const speech = createSpeech('de', 'Europe/Berlin');
    expect(speech.dateTime(TUESDAY_1430_BERLIN)).toBe('Dienstag, 3. März um 14:30');
    expect(speech.date(TUESDAY_1430_BERLIN)).toBe('3. März 2026');
  });

  it('speaks a day and time in English with plain spaces', () => {
    const speech = createSpeech('en', 'Europe/Berlin');
    expect(speech.dateTime(TUESDAY_1430_BERLIN)).toBe('Tuesday, March 3 at 2:30 PM');
  });

  it('speaks the wall clock of the time zone, not of UTC', () => {
    expect(createSpeech('de', 'America/New_York').dateTime(TUESDAY_1430_BERLIN)).toBe(
      'Dienstag, 3. März um 08:30',
    );
    // Late evening UTC is the next day in Tokyo.
    expect(createSpeech('en', 'Asia/Tokyo').day('2026-03-03T20:00:00.000Z')).toBe('Wednesday, March 4');
  });

  it('joins alternatives with "oder" and "or"', () => {
    expect(createSpeech('de', 'UTC').list(['14:00', '14:30', '15:00'], 'or')).toBe('14:00, 14:30 oder 15:00');
    expect(createSpeech('en', 'UTC').list(['2 PM', '3 PM'], 'or')).toBe('2 PM or 3 PM');
  });
});

describe('phrases', () => {
  it('names the missing fields in either language', () => {
    const de = phrasesFor('de');
    const en = phrasesFor('en');
    expect(de.missing([de.fieldLabel('date'), de.fieldLabel('time')])).toBe(
      'Mir fehlen noch das Datum und die Uhrzeit.',
    );
    expect(en.missing([en.fieldLabel('date'), en.fieldLabel('time')])).toBe(
      'I still need the date and the time.',
    );
    expect(en.fieldLabel('pet_name')).toBe('the pet name');
  });

  it('never reads out a code: every sentence is plain words', () => {
    for (const locale of ['de', 'en'] as const) {
      const p = phrasesFor(locale);
      for (const sentence of [p.stillWorking(), p.failed(), p.unknownTenant(), p.calendarUnavailable()]) {
        expect(sentence).not.toMatch(/[A-Z]{2,}_[A-Z]+|\d{3}|Error/);
        expect(sentence.length).toBeLessThan(200);
      }
    }
  });
});
