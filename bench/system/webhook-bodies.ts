/**
 * Signed webhook deliveries for the webhook benchmark, made on demand: Cal.com's BOOKING_CREATED
 * (each a new booking the backend imports: distinct uid and time per tenant) and Retell's
 * call_ended (each a new call of a tenant's number), signed as Cal.com and Retell sign them. Every
 * `redeliverEvery`-th delivery repeats an earlier one byte for byte, as both vendors redeliver, so
 * the deduplication path is part of the load.
 */
import { signCalcomBody } from '../../src/calcom/signature.js';
import { signRetellBody } from '../../src/retell/signature.js';
import type { Fleet } from './fleet.js';

/** One HTTP request, as autocannon takes it. */
export interface PreparedRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Makes the next delivery; `unique` counts the new (not repeated) ones made so far. A load that
 * stops at a deadline makes deliveries it never sends, or cuts them off unanswered, so what the
 * backend must have stored is what `answered` was told of: `answeredUnique` counts the distinct
 * deliveries (by body) that got a 2xx answer.
 */
export interface DeliverySource {
  next(): PreparedRequest;
  answered(request: PreparedRequest, status: number): void;
  readonly unique: number;
  readonly made: number;
  readonly answeredUnique: number;
}

const HALF_HOUR = 30 * 60_000;

/** Where the bench's imported bookings start: a Monday far enough ahead not to meet live slots. */
const firstSlot = Date.UTC(2031, 0, 6, 0, 0, 0);

const webhookTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function repeating(make: (n: number) => PreparedRequest, redeliverEvery: number): DeliverySource {
  const recent: PreparedRequest[] = [];
  let unique = 0;
  let made = 0;
  const acknowledged = new Set<string>();
  return {
    answered(request, status) {
      if (status >= 200 && status < 300) acknowledged.add(request.body);
    },
    get answeredUnique() {
      return acknowledged.size;
    },
    next() {
      made += 1;
      if (redeliverEvery > 0 && made % redeliverEvery === 0 && recent.length > 0) {
        return recent[(made / redeliverEvery) % recent.length]!;
      }
      const request = make(unique);
      unique += 1;
      recent.push(request);
      if (recent.length > 64) recent.shift();
      return request;
    },
    get unique() {
      return unique;
    },
    get made() {
      return made;
    },
  };
}

/**
 * Cal.com BOOKING_CREATED deliveries, round-robin over the fleet's tenants, each a new booking
 * (`run` keeps uids apart between runs on one database) in its own half hour.
 */
export function calcomDeliveries(fleetSpec: Fleet, run: string, redeliverEvery = 10): DeliverySource {
  const { tenants } = fleetSpec;
  return repeating((n) => {
    const tenant = tenants[n % tenants.length]!;
    const start = firstSlot + Math.floor(n / tenants.length) * HALF_HOUR;
    const uid = `bench-${run}-${n}`;
    const body = JSON.stringify({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: new Date().toISOString(),
      payload: {
        type: 'consultation',
        title: 'Consultation between Bench and Caller',
        description: '',
        startTime: webhookTime(start),
        endTime: webhookTime(start + HALF_HOUR),
        organizer: {
          id: 1,
          name: `Bench ${tenant.id}`,
          email: `${tenant.id}@example.com`,
          username: tenant.id,
          timeZone: 'UTC',
          language: { locale: 'en' },
        },
        responses: { name: { label: 'your_name', value: `Caller ${n}` } },
        attendees: [
          {
            name: `Caller ${n}`,
            email: `caller${n}@example.com`,
            timeZone: 'Europe/Berlin',
            language: { locale: 'en' },
          },
        ],
        location: 'integrations:daily',
        eventTypeId: tenant.eventTypeId,
        uid,
        iCalUID: `${uid}@Cal.com`,
        length: 30,
        bookingId: 1_000_000 + n,
        metadata: {},
        status: 'ACCEPTED',
      },
    });
    return {
      method: 'POST',
      path: `/webhooks/calcom/${tenant.routeKey}`,
      headers: {
        'content-type': 'application/json',
        'x-cal-signature-256': signCalcomBody(body, tenant.webhookSecret),
      },
      body,
    };
  }, redeliverEvery);
}

/** Retell call_ended deliveries, round-robin over the fleet's numbers, each a new call. */
export function retellDeliveries(fleetSpec: Fleet, run: string, redeliverEvery = 10): DeliverySource {
  const { tenants } = fleetSpec;
  return repeating((n) => {
    const tenant = tenants[n % tenants.length]!;
    const end = Date.now();
    const body = JSON.stringify({
      event: 'call_ended',
      call: {
        call_id: `call_bench_${run}_${n}`,
        agent_id: 'agent_bench',
        agent_version: 1,
        call_type: 'phone_call',
        direction: 'inbound',
        from_number: `+4917${String(n % 100_000_000).padStart(8, '0')}`,
        to_number: tenant.phoneNumber,
        call_status: 'ended',
        start_timestamp: end - 95_000,
        end_timestamp: end,
        duration_ms: 95_000,
        disconnection_reason: 'user_hangup',
        transcript: 'Agent: Hello.\nUser: Hi, I would like an appointment.',
      },
    });
    return {
      method: 'POST',
      path: '/webhooks/retell',
      headers: {
        'content-type': 'application/json',
        'x-retell-signature': signRetellBody(body, fleetSpec.retellApiKey),
      },
      body,
    };
  }, redeliverEvery);
}
