import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { QueuedRetryOptions } from '../../events/listener.js';
import type { Disposable } from '../../util/disposable.js';
import { toDisposable } from '../../util/disposable.js';

/** Options shared by the booking listeners' `register…` functions. */
export interface BookingListenerOptions {
  /**
   * Retry schedule of the queued listeners.
   * @default the bus's default (1 s, 5 s, 30 s, 2 min, 10 min)
   */
  readonly retry?: QueuedRetryOptions;
}

/**
 * One disposable for many subscriptions.
 *
 * @internal
 */
export function disposeAll(disposables: readonly Disposable[]): Disposable {
  return toDisposable(() => {
    for (const disposable of disposables) disposable.dispose();
  });
}

/**
 * The customer of an appointment, read from the repository (events after `booked` do not carry it).
 *
 * @internal
 */
export async function customerOfAppointment(
  appointments: AppointmentRepository,
  tenantId: string,
  appointmentId: string,
  signal: AbortSignal,
): Promise<string | null> {
  const appointment = await appointments.get(tenantId, appointmentId, { signal });
  return appointment?.customerId ?? null;
}
