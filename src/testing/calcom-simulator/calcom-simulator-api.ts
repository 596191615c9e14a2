import type { CalcomSimAccount } from './sim-accounts.js';
import type { CalcomSimBooking } from './sim-booking-record.js';
import type { CalcomSimEventTypeInput, CalcomSimEventTypeRecord } from './sim-event-type.js';
import type { CalcomSimFaultControl } from './sim-faults.js';
import type { CalcomSimListenOptions } from './sim-http-server.js';
import type { MswHttpNamespace } from './sim-msw.js';
import type { CalcomSimWebhookControl } from './sim-webhook-delivery.js';
import type { CalcomSimWebhookSubscription } from './sim-webhook-subscriptions.js';

/** Webhook control, with the subscriptions and the dashboard's ping. */
export interface CalcomSimWebhooks extends CalcomSimWebhookControl {
  /** Every subscription of every account. */
  subscriptions(): CalcomSimWebhookSubscription[];
  /** Sends `PING` to a subscription, as the dashboard's "Ping test" button does. */
  ping(subscriptionId: number): void;
}

/**
 * An in-memory Cal.com API v2 for tests: event types with schedules, slots, reservations,
 * bookings, webhooks and their subscriptions, the version-header, auth and rate-limit behaviour,
 * and faults on demand. Serve it as a fetch-style handler (`handle`, `fetch`), as msw handlers
 * (`mswHandlers`) or on a local port (`listen`).
 */
export interface CalcomSimulator {
  /** Answers one request as Cal.com would. Rejects with a `TypeError` for a dropped connection. */
  handle(request: Request): Promise<Response>;
  /** `fetch` over {@link CalcomSimulator.handle}: pass it to a client as its `fetch`. */
  readonly fetch: typeof fetch;
  /** The accounts and their API keys. */
  readonly accounts: readonly CalcomSimAccount[];
  /**
   * Adds an event type (or replaces the one with its id) and returns it with its id.
   * @throws {@link bookingkit!ValidationError} naming the bad field.
   */
  addEventType(eventType: CalcomSimEventTypeInput): CalcomSimEventTypeRecord;
  /** A booking by uid, as the simulator holds it. */
  getBooking(uid: string): CalcomSimBooking | undefined;
  /** Every booking, in creation order (the old halves of reschedules included). */
  bookings(): CalcomSimBooking[];
  /**
   * What the host's "Request reschedule" button in Cal.com's dashboard does (API v2 has no
   * endpoint for it): the booking is cancelled and BOOKING_CANCELLED goes out with
   * `requestReschedule: true` (and no `rescheduledToUid`).
   * @throws a `CalcomSimError` with status 404 for an unknown booking, 400 for one no longer active.
   */
  requestReschedule(uid: string, reason?: string): Promise<CalcomSimBooking>;
  readonly webhooks: CalcomSimWebhooks;
  readonly faults: CalcomSimFaultControl;
  /**
   * Serves the simulator on a local port (node:http) and resolves to its base URL, e.g.
   * `http://127.0.0.1:49152`: point a client's base URL there. A dropped connection destroys the
   * socket; a request held back by a timeout fault ends when the client gives up.
   * @throws when the simulator is already listening.
   */
  listen(options?: CalcomSimListenOptions): Promise<string>;
  /** Stops the server `listen` started (and cuts its open connections); nothing when none runs. */
  close(): Promise<void>;
  /**
   * msw handlers for `${baseUrl}/v2/*`, made with msw's `http` namespace, which you pass in:
   * `server.use(...calcom.mswHandlers(http))`. bookingkit does not depend on msw.
   * @param baseUrl - @default 'https://api.cal.com'
   */
  mswHandlers<Handler>(http: MswHttpNamespace<Handler>, baseUrl?: string): Handler[];
}
