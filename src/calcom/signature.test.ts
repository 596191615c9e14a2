import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { calcomUnsignedMarker, signCalcomBody, verifyCalcomSignature } from './signature.js';

const secret = 'whsec_test';

// Computed once, independently of this code, with:
//   printf '%s' '<body>' | openssl dgst -sha256 -hmac 'whsec_test'     (in a UTF-8 locale)
const opensslVectors = [
  {
    name: 'a body with non-ASCII text',
    body: '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-05T09:00:00.000Z","payload":{"uid":"bk_1","title":"Café ☕ mit Zoë"}}',
    signature: '90b7eac591125fba0b274f68551edcd6c0225b41d35d30f7b66aa355fe1e8e36',
  },
  {
    name: 'an empty body',
    body: '',
    signature: '43c0f4d23c8e8841358fad4624b1a592799222b29f25bb59baea43cdcb522ed1',
  },
] as const;

const body = opensslVectors[0].body;
const signature = opensslVectors[0].signature;

describe('verifyCalcomSignature', () => {
  describe.each(opensslVectors)('with the openssl vector for $name', (vector) => {
    it('accepts the body as text and as UTF-8 bytes', () => {
      expect(verifyCalcomSignature(vector.body, vector.signature, secret)).toEqual({ ok: true });
      expect(verifyCalcomSignature(Buffer.from(vector.body, 'utf8'), vector.signature, secret)).toEqual({
        ok: true,
      });
    });

    it('is reproduced by signCalcomBody', () => {
      expect(signCalcomBody(vector.body, secret)).toBe(vector.signature);
    });

    it('agrees with node:crypto', () => {
      expect(createHmac('sha256', secret).update(vector.body, 'utf8').digest('hex')).toBe(vector.signature);
    });
  });

  it.each([
    ['a plain ASCII booking', '{"triggerEvent":"BOOKING_CANCELLED","payload":{"uid":"x"}}', 'another-secret'],
    ['an emoji-heavy body', '{"title":"🎉 Zoë’s party 🎂"}', 'sécret-ünïcode'],
    ['whitespace-significant JSON', '{ "a" : 1 }\n', 'k'],
  ])('accepts %s signed with node:crypto', (_name, text, key) => {
    const expected = createHmac('sha256', key).update(Buffer.from(text, 'utf8')).digest('hex');
    expect(verifyCalcomSignature(new TextEncoder().encode(text), expected, key).ok).toBe(true);
    expect(signCalcomBody(text, key)).toBe(expected);
  });

  it('refuses the signature of a re-serialised body', () => {
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifyCalcomSignature(reserialised, signature, secret)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyCalcomSignature(body, signature, 'whsec_other')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts the digest in upper-case hex, since the decoded bytes are compared', () => {
    expect(verifyCalcomSignature(body, signature.toUpperCase(), secret)).toEqual({ ok: true });
  });

  it('refuses a webhook registered without a secret as unsigned', () => {
    expect(verifyCalcomSignature(body, calcomUnsignedMarker, secret)).toEqual({
      ok: false,
      reason: 'unsigned',
    });
    expect(calcomUnsignedMarker).toBe('no-secret-provided');
  });

  it.each([undefined, null, ''])('reports a header of %j as missing', (header) => {
    expect(verifyCalcomSignature(body, header, secret)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['a sha256= prefix', `sha256=${signature}`],
    ['63 hex digits', signature.slice(1)],
    ['65 hex digits', `${signature}0`],
    ['a non-hex character', `${signature.slice(1)}z`],
    ['surrounding spaces', ` ${signature} `],
    ['base64', Buffer.from(signature, 'hex').toString('base64')],
  ])('reports %s as malformed', (_name, header) => {
    expect(verifyCalcomSignature(body, header, secret)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('throws InvalidOptionError for an empty secret rather than accepting unsigned webhooks', () => {
    let caught: unknown;
    try {
      verifyCalcomSignature(body, signature, '');
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught) && caught.context.option).toBe('secret');
  });

  it('throws for a parsed object passed as the raw body', () => {
    expect(() => verifyCalcomSignature(JSON.parse(body) as string, signature, secret)).toThrow(
      /Option "rawBody"/,
    );
  });
});
