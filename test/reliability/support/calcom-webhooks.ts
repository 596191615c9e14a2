import { calcomSignatureHeader, signCalcomBody } from '../../../src/calcom/signature.js';
import type { TestTenant } from '../../support/processes/tenants.js';
import { send, type Answer } from './api.js';

/** A BOOKING_CREATED body for a booking made in Cal.com itself (not through bookingkit). */
export function bookingCreatedBody(
  tenant: TestTenant,
  booking: { readonly bookingId: number; readonly uid: string; readonly start: string; readonly end: string },
): string {
  const eventType = tenant.eventTypes[0]!;
  return JSON.stringify({
    triggerEvent: 'BOOKING_CREATED',
    createdAt: new Date().toISOString(),
    payload: {
      bookingId: booking.bookingId,
      uid: booking.uid,
      eventTypeId: eventType.id,
      type: eventType.slug,
      title: `${eventType.slug} with Web Visitor ${booking.bookingId}`,
      startTime: booking.start,
      endTime: booking.end,
      status: 'ACCEPTED',
      organizer: { id: 1, name: tenant.id, email: `${tenant.id}@example.com`, timeZone: tenant.timeZone },
      attendees: [
        {
          name: `Web Visitor ${booking.bookingId}`,
          email: `visitor-${booking.bookingId}@example.com`,
          timeZone: tenant.timeZone,
          language: { locale: 'en' },
        },
      ],
      metadata: {},
    },
  });
}

/** Posts `body` to `baseUrl`'s Cal.com webhook route of `tenant`, signed with its secret. */
export function deliverCalcomWebhook(
  baseUrl: string,
  tenant: TestTenant,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<Answer> {
  return send(`${baseUrl}/webhooks/calcom/${tenant.calcom.routeKey}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [calcomSignatureHeader]: signCalcomBody(body, tenant.calcom.webhookSecret),
      ...headers,
    },
    body,
  });
}

/** Runs `tasks` with at most `limit` in flight; resolves to their results in order. */
export async function pool<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
