import { describe, expect, it } from 'vitest';
import { fingerprint } from '../idempotency/fingerprint.js';
import { retellFunctionCallKey, retellWebhookKey } from './idempotency-keys.js';
import { isValidationError } from '../errors/validation-error.js';

const call = {
  call_id: 'Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6',
  agent_id: 'agent_1',
  call_type: 'phone_call',
  call_status: 'ended',
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('retellWebhookKey', () => {
  it('keys lifecycle events on event and call id', () => {
    expect(retellWebhookKey({ event: 'call_ended', call })).toBe(
      'retell:call_ended:Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6',
    );
    expect(
      retellWebhookKey({
        event: 'call_analyzed',
        call: { ...call, call_analysis: { call_successful: true } },
      }),
    ).toBe('retell:call_analyzed:Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6');
  });

  it('gives a retried delivery the same key', () => {
    expect(retellWebhookKey({ event: 'call_ended', call: { ...call, duration_ms: 1 } })).toBe(
      retellWebhookKey({ event: 'call_ended', call }),
    );
  });

  it('keys chat events on the chat id', () => {
    expect(retellWebhookKey({ event: 'chat_ended', chat: { chat_id: 'chat_1' } })).toBe(
      'retell:chat_ended:chat_1',
    );
  });

  it('tells transfers of one call apart by destination', () => {
    const transfer = (number: string) => ({
      event: 'transfer_started',
      call,
      transfer_destination: { number },
      transfer_option: { type: 'warm_transfer' },
    });
    expect(retellWebhookKey(transfer('+14155550100'))).toBe(
      `retell:transfer_started:${call.call_id}:${fingerprint({ transfer_destination: { number: '+14155550100' }, transfer_option: { type: 'warm_transfer' } })}`,
    );
    expect(retellWebhookKey(transfer('+14155550100'))).not.toBe(retellWebhookKey(transfer('+14155550199')));
  });

  it('handles each transcript update once, and a duplicate of it not again', () => {
    const update = (content: string) => ({
      event: 'transcript_updated',
      call: { ...call, transcript_object: [{ role: 'user', content }] },
    });
    expect(retellWebhookKey(update('Hello'))).toBe(retellWebhookKey(update('Hello')));
    expect(retellWebhookKey(update('Hello'))).not.toBe(
      retellWebhookKey(update('Hello, I need an appointment')),
    );
  });

  it('refuses a body without an event or a call id, such as the inbound-call webhook', () => {
    const inbound = thrown(() =>
      retellWebhookKey({ event: 'call_inbound', call_inbound: { from_number: '+1', to_number: '+2' } }),
    );
    expect(isValidationError(inbound)).toBe(true);
    expect(isValidationError(thrown(() => retellWebhookKey({ call })))).toBe(true);
    expect(
      isValidationError(thrown(() => retellWebhookKey({ event: 'call_ended', call: { call_id: '' } }))),
    ).toBe(true);
  });
});

describe('retellFunctionCallKey', () => {
  const body = {
    name: 'book_appointment',
    call,
    args: { start: '2026-01-05T09:30:00Z', service: 'consultation' },
  };

  it('keys a function call on call id, function name and canonical arguments', () => {
    expect(retellFunctionCallKey(body)).toBe(
      `retell-fn:${call.call_id}:book_appointment:${fingerprint(body.args)}`,
    );
  });

  it('matches a retry whatever the order of its arguments', () => {
    expect(
      retellFunctionCallKey({ ...body, args: { service: 'consultation', start: '2026-01-05T09:30:00Z' } }),
    ).toBe(retellFunctionCallKey(body));
  });

  it('tells other arguments, functions and calls apart', () => {
    const keys = [
      body,
      { ...body, args: { ...body.args, start: '2026-01-05T10:00:00Z' } },
      { ...body, name: 'cancel_appointment' },
      { ...body, call: { ...call, call_id: 'call_other' } },
    ].map(retellFunctionCallKey);
    expect(new Set(keys).size).toBe(4);
  });

  it('treats missing arguments as empty ones', () => {
    expect(retellFunctionCallKey({ name: 'check_availability', call })).toBe(
      retellFunctionCallKey({ name: 'check_availability', call, args: {} }),
    );
  });

  it('refuses an args-only body and an invalid tool name, naming the field', () => {
    expect(thrown(() => retellFunctionCallKey(body.args))).toMatchObject({ code: 'VALIDATION' });
    expect(thrown(() => retellFunctionCallKey({ ...body, name: 'book appointment' }))).toMatchObject({
      context: { issues: [{ path: 'name' }] },
    });
  });
});
