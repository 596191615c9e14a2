import { describe, expect, it } from 'vitest';
import { bookingEvents } from './events.js';

const schema = <T extends keyof typeof bookingEvents.specs>(type: T) => bookingEvents.specs[type];

describe('call events', () => {
  it('call.inbound needs no call id: the inbound webhook has none', () => {
    const data = schema('call.inbound').parse({ from: '+4915112345678', to: '+493012345678', agentId: null });
    expect(data.callId).toBeNull();
    expect(
      schema('call.inbound').parse({ callId: 'call_1', from: '+49151', to: '+4930', agentId: 'a' }).callId,
    ).toBe('call_1');
  });

  it('call.ended carries the status, cost in cents and what a call that never connected lacks', () => {
    const data = schema('call.ended').parse({
      callId: 'call_1',
      status: 'not_connected',
      endedAt: null,
      durationMs: null,
      disconnectionReason: 'dial_no_answer',
      costCents: 0,
    });
    expect(data).toMatchObject({ status: 'not_connected', costCents: 0, durationMs: null });
    expect(
      schema('call.ended').parse({
        callId: 'c',
        endedAt: '2030-01-15T09:05:00Z',
        durationMs: 1,
        disconnectionReason: null,
      }),
    ).toMatchObject({ status: 'ended', costCents: null });
    expect(
      schema('call.ended').safeParse({
        callId: 'c',
        endedAt: null,
        durationMs: 1,
        disconnectionReason: null,
        costCents: 1.5,
      }).success,
    ).toBe(false);
  });

  it('call.analyzed carries the analysis as reported, unknown sentiments included', () => {
    const data = schema('call.analyzed').parse({
      callId: 'call_1',
      summary: 'Booked a haircut',
      successful: true,
      sentiment: 'Mixed',
      costCents: 31,
      inVoicemail: false,
      customAnalysis: { service: 'haircut' },
    });
    expect(data).toMatchObject({
      sentiment: 'Mixed',
      inVoicemail: false,
      customAnalysis: { service: 'haircut' },
    });
    const minimal = schema('call.analyzed').parse({
      callId: 'c',
      summary: null,
      successful: null,
      sentiment: null,
      costCents: null,
    });
    expect(minimal).toMatchObject({ inVoicemail: null, customAnalysis: null });
  });

  it('appointment.booked carries the call it was booked in, or null', () => {
    const booked = {
      appointmentId: 'a1',
      eventTypeId: 'e1',
      customerId: null,
      start: '2030-01-15T09:00:00Z',
      end: '2030-01-15T09:30:00Z',
      timeZone: 'Europe/Berlin',
      calendarBookingUid: null,
      bookedBy: { type: 'agent', id: 'agent-1' },
    };
    expect(schema('appointment.booked').parse({ ...booked, callId: 'call_1' }).callId).toBe('call_1');
    expect(schema('appointment.booked').parse(booked).callId).toBeNull();
  });
});
