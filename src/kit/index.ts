/**
 * The composition root: {@link createBookingKit} assembles a working booking backend in one call.
 *
 * @module kit
 */
export { createBookingKit, type BookingKit } from './booking-kit.js';
export type {
  BookingKitOptions,
  BookingKitRelayOptions,
  BookingKitServiceOptions,
  BookingKitStores,
  BookingKitTenant,
} from './booking-kit-options.js';
