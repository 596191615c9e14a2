import { describe, expect, it } from 'vitest';
import { isValidationError, type ValidationError } from '../errors/validation-error.js';
import { parseRetellWebhook } from './webhook.js';
import { retellWebhookEvents } from './webhook-schema.js';

const phoneCall = {
  call_id: 'Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6',
  agent_id: 'agent_1',
  agent_version: 3,
  call_type: 'phone_call',
  call_status: 'ended',
  direction: 'inbound',
  from_number: '+14155550100',
  to_number: '+14155550199',
  start_timestamp: 1_700_000_000_000,
  end_timestamp: 1_700_000_060_000,
  disconnection_reason: 'user_hangup',
  transcript: 'Agent: Hello\nUser: Hi',
};

function parseError(body: unknown): ValidationError {
  try {
    parseRetellWebhook(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (error) {
    if (isValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseRetellWebhook', () => {
  it('parses call_ended with a phone call, narrowed by event and call_type', () => {
    const webhook = parseRetellWebhook(JSON.stringify({ event: 'call_ended', call: phoneCall }));
    expect(webhook.known).toBe(true);
    if (!webhook.known || webhook.event !== 'call_ended') throw new Error('narrowing failed');
    expect(webhook.call.call_id).toBe(phoneCall.call_id);
    if (webhook.call.call_type !== 'phone_call') throw new Error('narrowing failed');
    expect(webhook.call.direction).toBe('inbound');
    expect(webhook.call.from_number).toBe('+14155550100');
  });

  it('parses call_analyzed with its analysis and cost', () => {
    const call = {
      ...phoneCall,
      call_analysis: {
        call_summary: 'Booked a cut for Friday',
        user_sentiment: 'Positive',
        call_successful: true,
      },
      call_cost: { combined_cost: 42, product_costs: [{ product: 'elevenlabs_tts', cost: 12 }] },
    };
    const webhook = parseRetellWebhook(JSON.stringify({ event: 'call_analyzed', call }));
    if (!webhook.known || webhook.event !== 'call_analyzed') throw new Error('narrowing failed');
    expect(webhook.call.call_analysis?.call_summary).toBe('Booked a cut for Friday');
    expect(webhook.call.call_cost?.combined_cost).toBe(42);
  });

  it('parses call_started with a web call and no phone numbers', () => {
    const { direction: _d, from_number: _f, to_number: _t, ...rest } = phoneCall;
    const call = { ...rest, call_type: 'web_call', call_status: 'ongoing', access_token: 'tok' };
    const webhook = parseRetellWebhook(JSON.stringify({ event: 'call_started', call }));
    if (!webhook.known || webhook.event !== 'call_started') throw new Error('narrowing failed');
    expect(webhook.call.call_type).toBe('web_call');
  });

  it('parses a transfer event with its top-level destination object', () => {
    const body = {
      event: 'transfer_started',
      call: { ...phoneCall, call_status: 'ongoing', transfer_destination: '+14155550123' },
      transfer_destination: { number: '+14155550123', extension: '12' },
      transfer_option: { type: 'warm_transfer' },
    };
    const webhook = parseRetellWebhook(JSON.stringify(body));
    if (!webhook.known || webhook.event !== 'transfer_started') throw new Error('narrowing failed');
    expect(webhook.transfer_destination?.extension).toBe('12');
    expect(webhook.call.transfer_destination).toBe('+14155550123');
  });

  it('parses the inbound-call webhook, which has no call id', () => {
    const body = {
      event: 'call_inbound',
      call_inbound: { from_number: '+14155550100', to_number: '+14155550199' },
    };
    const webhook = parseRetellWebhook(JSON.stringify(body));
    if (!webhook.known || webhook.event !== 'call_inbound') throw new Error('narrowing failed');
    expect(webhook.call_inbound.to_number).toBe('+14155550199');
    expect(webhook.call_inbound.agent_id).toBeUndefined();
  });

  it('accepts chat events by name and passes their undocumented body through', () => {
    const webhook = parseRetellWebhook(JSON.stringify({ event: 'chat_ended', chat: { chat_id: 'chat_1' } }));
    expect(webhook).toMatchObject({ known: true, event: 'chat_ended', chat: { chat_id: 'chat_1' } });
  });

  it('keeps unknown extra fields on the envelope and the call', () => {
    const body = {
      event: 'call_ended',
      call: { ...phoneCall, brand_new_field: { a: 1 } },
      event_timestamp: 5,
    };
    const webhook = parseRetellWebhook(JSON.stringify(body));
    expect(webhook).toMatchObject({ event_timestamp: 5, call: { brand_new_field: { a: 1 } } });
  });

  it('accepts null for optional fields and unknown disconnection reasons', () => {
    const call = {
      ...phoneCall,
      disconnection_reason: 'some_future_reason',
      call_analysis: null,
      recording_url: null,
    };
    expect(parseRetellWebhook(JSON.stringify({ event: 'call_ended', call })).known).toBe(true);
  });

  it('returns an unknown event explicitly instead of throwing, with the body intact', () => {
    const webhook = parseRetellWebhook(JSON.stringify({ event: 'call_teleported', call: { x: 1 } }));
    expect(webhook).toEqual({
      known: false,
      event: 'call_teleported',
      body: { event: 'call_teleported', call: { x: 1 } },
    });
  });

  it('parses a body given as UTF-8 bytes, non-ASCII text included', () => {
    const body = { event: 'call_ended', call: { ...phoneCall, transcript: 'José: ¿sí?' } };
    const webhook = parseRetellWebhook(new TextEncoder().encode(JSON.stringify(body)));
    if (!webhook.known || webhook.event !== 'call_ended') throw new Error('narrowing failed');
    expect(webhook.call.transcript).toBe('José: ¿sí?');
  });

  it('knows every documented event name', () => {
    expect([...retellWebhookEvents].sort()).toEqual(
      [
        'call_started',
        'call_ended',
        'call_analyzed',
        'transcript_updated',
        'transfer_started',
        'transfer_bridged',
        'transfer_cancelled',
        'transfer_ended',
        'call_inbound',
        'chat_started',
        'chat_ended',
        'chat_analyzed',
        'chat_inbound',
      ].sort(),
    );
  });

  describe('refuses malformed bodies with a ValidationError naming the field', () => {
    it('when a documented event lacks call.call_id', () => {
      const { call_id: _id, ...call } = phoneCall;
      const error = parseError({ event: 'call_ended', call });
      expect(error.context.issues.map((issue) => issue.path)).toContain('call.call_id');
      expect(error.message).toMatch(/^Invalid Retell "call_ended" webhook: call\.call_id: /);
    });

    it('when a call event has no call at all', () => {
      expect(parseError({ event: 'call_analyzed' }).context.issues.map((issue) => issue.path)).toEqual([
        'call',
      ]);
    });

    it('when a phone call lacks its direction', () => {
      const { direction: _d, ...call } = phoneCall;
      expect(parseError({ event: 'call_ended', call }).context.issues.map((issue) => issue.path)).toEqual([
        'call.direction',
      ]);
    });

    it('when the event name is missing or not a string', () => {
      expect(parseError({ call: phoneCall }).context.issues).toEqual([
        { path: 'event', message: 'Expected the event name, a non-empty string' },
      ]);
      expect(parseError({ event: 7 }).context.issues[0]?.path).toBe('event');
    });

    it.each([
      ['not JSON', '{"event":', 'Body is not valid JSON'],
      ['a JSON array', '[]', 'Expected a JSON object'],
      ['JSON null', 'null', 'Expected a JSON object'],
      ['empty', '', 'Body is not valid JSON'],
    ])('when the body is %s', (_name, body, message) => {
      expect(parseError(body).context.issues).toEqual([{ path: '', message }]);
    });

    it('when the bytes are not valid UTF-8', () => {
      let caught: unknown;
      try {
        parseRetellWebhook(Uint8Array.from([0x7b, 0xff, 0x7d]));
      } catch (error) {
        caught = error;
      }
      expect(isValidationError(caught) && caught.context.issues[0]?.message).toBe('Body is not valid UTF-8');
    });
  });
});
