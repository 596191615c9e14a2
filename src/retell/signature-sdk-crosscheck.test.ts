import { Retell, sign as sdkSign, verify as sdkVerify } from 'retell-sdk';
import { symmetric } from 'retell-sdk/lib/webhook_auth';
import { describe, expect, it } from 'vitest';
import { signRetellBody, verifyRetellSignature } from './signature.js';

// Cross-check against the official TypeScript SDK (`retell-sdk`, a dev dependency): our
// signatures verify with its `verify`, and its `sign` output verifies with ours. Its top-level
// `verify`/`sign` (also the statics `Retell.verify`/`Retell.sign`) always use `Date.now()`;
// `symmetric` takes a fixed timestamp, which the reference vectors need.

// shared/reference/retell.md §2.2: key `test-api-key`, timestamp 1700000000000.
const vectorKey = 'test-api-key';
const vectorTime = 1_700_000_000_000;
const vectors = [
  {
    body: '{"event":"call_ended"}',
    header: 'v=1700000000000,d=07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e',
  },
  {
    body: '{"event":"call_ended","call":{"transcript":"José: ¿sí?"}}',
    header: 'v=1700000000000,d=2f48e240dfc74d6e97766e54fcc61e93f6c15ec48ff88ce7857ad4792067fa47',
  },
  {
    body: '',
    header: 'v=1700000000000,d=3c2757e9ff3f06dc2b4957bb8f8018c615ab2e0c6f522e1de8537bf316688224',
  },
] as const;

const apiKey = 'key_0123456789abcdef0123456789ab';
const bodies = [
  '{"event":"call_started","call":{"call_id":"call_1","agent_id":"agent_1"}}',
  '{"name":"book_appointment","args":{"name":"Zoë Ñúñez","when":"mañana 10:00"},"call":{}}',
  '',
  '{"event":"call_inbound","call_inbound":{"from_number":"+14155550100","to_number":"+14155550199"}}',
];

describe('signature cross-check with the official retell-sdk', () => {
  it('exposes verify and sign at the top level and as Retell statics', () => {
    expect(Retell.verify).toBe(sdkVerify);
    expect(Retell.sign).toBe(sdkSign);
  });

  describe.each(vectors)('reference vector $header', ({ body, header }) => {
    it('is what both implementations sign', async () => {
      expect(signRetellBody(body, vectorKey, { now: vectorTime })).toBe(header);
      expect(await symmetric.sign(body, vectorKey, vectorTime)).toBe(header);
    });

    it('verifies with both implementations at its signing time', async () => {
      expect(verifyRetellSignature(body, header, vectorKey, { now: vectorTime }).ok).toBe(true);
      expect(await symmetric.verify(body, vectorKey, header, { timestamp: vectorTime })).toBe(true);
    });

    it('is refused by both as stale 300001 ms later, and accepted by both at 300000', async () => {
      const late = vectorTime + 300_001;
      expect(verifyRetellSignature(body, header, vectorKey, { now: late })).toEqual({
        ok: false,
        reason: 'stale',
      });
      expect(await symmetric.verify(body, vectorKey, header, { timestamp: late })).toBe(false);
      const edge = vectorTime + 300_000;
      expect(verifyRetellSignature(body, header, vectorKey, { now: edge }).ok).toBe(true);
      expect(await symmetric.verify(body, vectorKey, header, { timestamp: edge })).toBe(true);
    });
  });

  describe.each(bodies)('body %j', (body) => {
    it('signed by us now, verifies with Retell.verify', async () => {
      const header = signRetellBody(body, apiKey);
      expect(await Retell.verify(body, apiKey, header)).toBe(true);
      expect(await sdkVerify(body, apiKey, header)).toBe(true);
    });

    it('signed by Retell.sign now, verifies with ours', async () => {
      const header = await Retell.sign(body, apiKey);
      expect(header).toMatch(/^v=\d+,d=[0-9a-f]{64}$/);
      expect(verifyRetellSignature(body, header, apiKey)).toEqual({
        ok: true,
        timestamp: Number(/^v=(\d+)/.exec(header)?.[1]),
      });
    });

    it('gives the same header from both at one timestamp', async () => {
      const at = 1_764_000_000_123;
      expect(signRetellBody(body, apiKey, { now: at })).toBe(await symmetric.sign(body, apiKey, at));
    });
  });

  describe('tampering, refused by both', () => {
    const body = bodies[0] ?? '';

    it('a body changed after signing (ours signed, both verify)', async () => {
      const header = signRetellBody(body, apiKey);
      const tampered = body.replace('call_1', 'call_2');
      expect(verifyRetellSignature(tampered, header, apiKey)).toEqual({ ok: false, reason: 'mismatch' });
      expect(await Retell.verify(tampered, apiKey, header)).toBe(false);
    });

    it('a body changed after signing (SDK signed, both verify)', async () => {
      const header = await Retell.sign(body, apiKey);
      const tampered = `${body} `;
      expect(verifyRetellSignature(tampered, header, apiKey)).toEqual({ ok: false, reason: 'mismatch' });
      expect(await Retell.verify(tampered, apiKey, header)).toBe(false);
    });

    it('a timestamp changed after signing, within the window', async () => {
      for (const header of [signRetellBody(body, apiKey), await Retell.sign(body, apiKey)]) {
        const signedAt = Number(/^v=(\d+)/.exec(header)?.[1]);
        const moved = header.replace(`v=${signedAt}`, `v=${signedAt - 1}`);
        expect(verifyRetellSignature(body, moved, apiKey)).toEqual({ ok: false, reason: 'mismatch' });
        expect(await Retell.verify(body, apiKey, moved)).toBe(false);
      }
    });

    it('a signature made with another key', async () => {
      const ours = signRetellBody(body, 'key_other');
      const theirs = await Retell.sign(body, 'key_other');
      for (const header of [ours, theirs]) {
        expect(verifyRetellSignature(body, header, apiKey).ok).toBe(false);
        expect(await Retell.verify(body, apiKey, header)).toBe(false);
      }
    });

    it('a fresh-looking signature whose timestamp is 10 minutes old', async () => {
      const old = Date.now() - 600_000;
      const ours = signRetellBody(body, apiKey, { now: old });
      const theirs = await symmetric.sign(body, apiKey, old);
      expect(ours).toBe(theirs);
      expect(verifyRetellSignature(body, ours, apiKey)).toEqual({ ok: false, reason: 'stale' });
      expect(await Retell.verify(body, apiKey, ours)).toBe(false);
    });
  });
});
