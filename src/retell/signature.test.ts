import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { defaultRetellToleranceMs, signRetellBody, verifyRetellSignature } from './signature.js';

// Test vectors from shared/reference/retell.md §2.2, computed there with `openssl dgst -sha256 -hmac`
// and the official SDKs (npm retell-sdk 5.66.1 and 4.66.0). Key `test-api-key`, timestamp below.
const apiKey = 'test-api-key';
const signedAt = 1_700_000_000_000;
const vectors = [
  {
    name: 'the SDK test body',
    body: '{"event":"call_ended"}',
    header: 'v=1700000000000,d=07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e',
  },
  {
    name: 'a body with non-ASCII characters (signed over its UTF-8 bytes)',
    body: '{"event":"call_ended","call":{"transcript":"José: ¿sí?"}}',
    header: 'v=1700000000000,d=2f48e240dfc74d6e97766e54fcc61e93f6c15ec48ff88ce7857ad4792067fa47',
  },
  {
    name: 'an empty body (bodiless GET/DELETE function call)',
    body: '',
    header: 'v=1700000000000,d=3c2757e9ff3f06dc2b4957bb8f8018c615ab2e0c6f522e1de8537bf316688224',
  },
] as const;

const first = vectors[0];

describe('verifyRetellSignature', () => {
  describe.each(vectors)('with the documented vector for $name', ({ body, header }) => {
    it('accepts the body given as text', () => {
      expect(verifyRetellSignature(body, header, apiKey, { now: signedAt })).toEqual({
        ok: true,
        timestamp: signedAt,
      });
    });

    it('accepts the body given as its UTF-8 bytes', () => {
      expect(verifyRetellSignature(Buffer.from(body, 'utf8'), header, apiKey, { now: signedAt }).ok).toBe(
        true,
      );
      expect(
        verifyRetellSignature(new TextEncoder().encode(body), header, apiKey, { now: signedAt }).ok,
      ).toBe(true);
    });

    it('is reproduced by signRetellBody', () => {
      expect(signRetellBody(body, apiKey, { now: signedAt })).toBe(header);
    });

    it('refuses the same header under another key', () => {
      expect(verifyRetellSignature(body, header, 'key_other', { now: signedAt })).toEqual({
        ok: false,
        reason: 'mismatch',
      });
    });
  });

  it('refuses the non-ASCII vector when the body was re-encoded with \\u escapes', () => {
    const reencoded = JSON.stringify(JSON.parse(vectors[1].body)).replace(/é/g, '\\u00e9');
    expect(verifyRetellSignature(reencoded, vectors[1].header, apiKey, { now: signedAt })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a body that differs by one byte', () => {
    expect(verifyRetellSignature('{"event":"call_ended"} ', first.header, apiKey, { now: signedAt }).ok).toBe(
      false,
    );
  });

  describe('replay window', () => {
    it('accepts a signature exactly 300000 ms old, the inclusive edge', () => {
      expect(verifyRetellSignature(first.body, first.header, apiKey, { now: signedAt + 300_000 }).ok).toBe(
        true,
      );
    });

    it('refuses a signature 300001 ms old as stale', () => {
      expect(verifyRetellSignature(first.body, first.header, apiKey, { now: signedAt + 300_001 })).toEqual({
        ok: false,
        reason: 'stale',
      });
    });

    it('accepts a signature from up to 300000 ms in the future and refuses 300001 ms', () => {
      expect(verifyRetellSignature(first.body, first.header, apiKey, { now: signedAt - 300_000 }).ok).toBe(
        true,
      );
      expect(verifyRetellSignature(first.body, first.header, apiKey, { now: signedAt - 300_001 })).toEqual({
        ok: false,
        reason: 'stale',
      });
    });

    it('uses a 5-minute window by default', () => {
      expect(defaultRetellToleranceMs).toBe(300_000);
    });

    it('honours a custom toleranceMs', () => {
      const options = { now: signedAt + 1_001, toleranceMs: 1_000 };
      expect(verifyRetellSignature(first.body, first.header, apiKey, options)).toEqual({
        ok: false,
        reason: 'stale',
      });
      expect(
        verifyRetellSignature(first.body, first.header, apiKey, { ...options, now: signedAt + 1_000 }).ok,
      ).toBe(true);
    });

    it('uses the system time when no now is given, so a 2023 vector is stale today', () => {
      expect(verifyRetellSignature(first.body, first.header, apiKey)).toEqual({ ok: false, reason: 'stale' });
      expect(verifyRetellSignature(first.body, signRetellBody(first.body, apiKey), apiKey).ok).toBe(true);
    });
  });

  describe('header parsing', () => {
    const digest = first.header.slice('v=1700000000000,d='.length);

    it('accepts an upper-case hex digest, as the official TypeScript SDK does', () => {
      const upper = `v=${signedAt},d=${digest.toUpperCase()}`;
      expect(verifyRetellSignature(first.body, upper, apiKey, { now: signedAt }).ok).toBe(true);
    });

    it.each([undefined, null, ''])('reports a header of %j as missing', (header) => {
      expect(verifyRetellSignature(first.body, header, apiKey, { now: signedAt })).toEqual({
        ok: false,
        reason: 'missing',
      });
    });

    it.each([
      ['a bare digest', digest],
      ['the fields swapped', `d=${digest},v=${signedAt}`],
      ['a space after the comma', `v=${signedAt}, d=${digest}`],
      ['a leading space', ` v=${signedAt},d=${digest}`],
      ['trailing text', `v=${signedAt},d=${digest},x=1`],
      ['a 63-digit digest', `v=${signedAt},d=${digest.slice(1)}`],
      ['a 65-digit digest', `v=${signedAt},d=${digest}0`],
      ['a non-hex digit', `v=${signedAt},d=${digest.slice(1)}g`],
      ['a negative timestamp', `v=-${signedAt},d=${digest}`],
      ['a fractional timestamp', `v=${signedAt}.5,d=${digest}`],
      ['a timestamp in exponent notation', `v=17e11,d=${digest}`],
      ['a timestamp beyond the safe-integer range', `v=99999999999999999999,d=${digest}`],
      ['a sha256= prefix', `v=${signedAt},d=sha256=${digest}`],
    ])('reports %s as malformed', (_name, header) => {
      expect(verifyRetellSignature(first.body, header, apiKey, { now: signedAt })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    });

    it('signs the canonical decimal timestamp, as the official SDK does, so leading zeros still verify', () => {
      expect(
        verifyRetellSignature(first.body, `v=0${signedAt},d=${digest}`, apiKey, { now: signedAt }).ok,
      ).toBe(true);
    });
  });

  describe('bad arguments', () => {
    it('throws InvalidOptionError for an empty API key instead of verifying with it', () => {
      expect(() => verifyRetellSignature(first.body, first.header, '', { now: signedAt })).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          context: expect.objectContaining({ option: 'apiKey' }),
        }),
      );
    });

    it('throws for a parsed object passed as the raw body', () => {
      const parsed = JSON.parse(first.body) as unknown as string;
      let caught: unknown;
      try {
        verifyRetellSignature(parsed, first.header, apiKey, { now: signedAt });
      } catch (error) {
        caught = error;
      }
      expect(isInvalidOptionError(caught) && caught.context.option).toBe('rawBody');
    });

    it.each([Number.NaN, Number.POSITIVE_INFINITY, -1])(
      'refuses now = %s rather than failing open',
      (now) => {
        expect(() => verifyRetellSignature(first.body, first.header, apiKey, { now })).toThrow(
          /Option "now"/,
        );
      },
    );

    it.each([-1, 1.5, Number.NaN])('refuses toleranceMs = %s', (toleranceMs) => {
      expect(() =>
        verifyRetellSignature(first.body, first.header, apiKey, { now: signedAt, toleranceMs }),
      ).toThrow(/Option "toleranceMs"/);
    });
  });
});

describe('signRetellBody', () => {
  it('produces v=<now>,d=<HMAC-SHA256 of body + now>', () => {
    const body = '{"event":"call_started"}';
    const expected = createHmac('sha256', 'key_abc').update(`${body}1234`).digest('hex');
    expect(signRetellBody(body, 'key_abc', { now: 1234 })).toBe(`v=1234,d=${expected}`);
  });

  it('refuses a fractional signing time', () => {
    expect(() => signRetellBody('{}', apiKey, { now: 1.5 })).toThrow(/Option "now"/);
  });
});
