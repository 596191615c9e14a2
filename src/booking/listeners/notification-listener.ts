import type { Customer } from '../../domain/customer.js';
import type { BookingEvents } from '../events.js';
import type { DomainEvent } from '../../events/catalog.js';
import type { EventBus } from '../../events/event-bus.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { Notification, Notifier } from '../../ports/notifier.js';
import type { Disposable } from '../../util/disposable.js';
import {
  disposeAll,
  requireBus,
  requireDependency,
  type BookingListenerOptions,
} from './listener-support.js';
import { checkFunctionOption } from '../../util/options.js';

/** What {@link registerNotifications} needs. */
export interface NotificationDeps {
  readonly notifier: Notifier;
  /** To look up the recipient. */
  readonly customers: CustomerRepository;
  /** To find the customer and time zone of an appointment (later events do not carry them). */
  readonly appointments: AppointmentRepository;
  /** Skipped notifications are logged at `debug`. @default silentLogger */
  readonly logger?: Logger;
}

/** Where a notification goes. */
export interface NotificationRoute {
  readonly channel: Notification['channel'];
  readonly recipient: string;
}

/** Options of {@link registerNotifications}. */
export interface NotificationListenerOptions extends BookingListenerOptions {
  /**
   * Picks the channel and address for a customer, or `null` to send nothing.
   * @default email when the customer has an address, otherwise SMS to the phone number
   */
  readonly route?: (customer: Customer) => NotificationRoute | null;
  /**
   * Origins whose changes are not notified, e.g. `['calcom']` when Cal.com sends its own emails.
   * @default []
   */
  readonly skipOrigins?: readonly string[];
}

/** The event types that notify the customer; each is its own template. */
export const NOTIFIED_EVENT_TYPES = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
] as const;

type NotifiedEvent = DomainEvent<BookingEvents, (typeof NOTIFIED_EVENT_TYPES)[number]>;

const MAX_MERGE_HOPS = 10;

const defaultRoute = (customer: Customer): NotificationRoute | null => {
  if (customer.email !== null) return { channel: 'email', recipient: customer.email };
  if (customer.phone !== null) return { channel: 'sms', recipient: customer.phone };
  return null;
};

/**
 * Registers queued listeners that tell the customer about a booked, rescheduled or cancelled
 * appointment through the {@link Notifier}. The template is the event type; the idempotency key
 * is the event id and the template, so a redelivered event never sends twice. A customer without
 * a contact (or an appointment without a customer) is skipped, never an error; a merged customer
 * is reached through the customer it was merged into. A failing notifier makes the delivery
 * fail, and the outbox retries it.
 *
 * @throws `InvalidOptionError` naming `registerNotifications` and the missing dependency or bad option.
 * @returns a disposable that removes the listeners.
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const notifier: Notifier;
 * declare const customers: CustomerRepository;
 * declare const appointments: AppointmentRepository;
 * // ---cut---
 * registerNotifications(bus, { notifier, customers, appointments }, { skipOrigins: ['calcom'] });
 * ```
 */
export function registerNotifications(
  bus: EventBus<BookingEvents>,
  deps: NotificationDeps,
  options: NotificationListenerOptions = {},
): Disposable {
  const factory = 'registerNotifications';
  requireBus(factory, bus);
  const notifier = requireDependency(factory, deps, 'notifier');
  const customers = requireDependency(factory, deps, 'customers');
  const appointments = requireDependency(factory, deps, 'appointments');
  const logger = deps.logger ?? silentLogger;
  const route = options.route ?? defaultRoute;
  checkFunctionOption('route', route, true, { factory });
  const skipOrigins = new Set(options.skipOrigins ?? []);

  const recipientOf = async (
    tenantId: string,
    customerId: string,
    signal: AbortSignal,
  ): Promise<Customer | null> => {
    let customer = await customers.get(tenantId, customerId, { signal });
    for (let hops = 0; customer?.mergedInto && hops < MAX_MERGE_HOPS; hops += 1) {
      customer = await customers.get(tenantId, customer.mergedInto, { signal });
    }
    return customer;
  };

  const notify = async (event: NotifiedEvent, signal: AbortSignal): Promise<void> => {
    const skip = (reason: string): void =>
      logger.debug(
        { eventId: event.id, eventType: event.type, tenantId: event.tenantId, reason },
        'notification skipped',
      );
    if (skipOrigins.has(event.origin)) return skip(`origin ${event.origin}`);
    const { data } = event;
    const appointment =
      event.type === 'appointment.booked'
        ? null
        : await appointments.get(event.tenantId, data.appointmentId, { signal });
    const customerId =
      event.type === 'appointment.booked' ? event.data.customerId : (appointment?.customerId ?? null);
    if (customerId === null) return skip('no customer');
    const customer = await recipientOf(event.tenantId, customerId, signal);
    if (!customer) return skip('customer not found');
    const target = route(customer);
    if (!target) return skip('customer has no contact');
    const timeZone = 'timeZone' in data ? data.timeZone : (appointment?.timeZone ?? null);
    const details: Record<string, unknown> = {
      appointmentId: data.appointmentId,
      eventTypeId: data.eventTypeId,
      start: data.start,
      end: data.end,
      timeZone,
      customerName: customer.name,
      locale: customer.locale,
      origin: event.origin,
    };
    if (event.type === 'appointment.rescheduled') {
      details.previousStart = event.data.previous.start;
      details.previousEnd = event.data.previous.end;
    }
    if ('reason' in data) details.reason = data.reason;
    await notifier.send(
      {
        tenantId: event.tenantId,
        channel: target.channel,
        recipient: target.recipient,
        template: event.type,
        data: details,
        idempotencyKey: `${event.id}:${event.type}`,
      },
      { signal },
    );
  };

  return disposeAll(
    NOTIFIED_EVENT_TYPES.map((type) =>
      bus.on(type, (event, { signal }) => notify(event, signal), {
        queued: true,
        name: `notification:${type}`,
        ...(options.retry === undefined ? {} : { retry: options.retry }),
      }),
    ),
  );
}
