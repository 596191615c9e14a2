/**
 * The booking layer: customers, availability (with alternatives and cross-instance cache
 * invalidation) and the listeners that react to booking events.
 */
export { maskEmail } from './customers/mask-email.js';
export {
  normalizeContact,
  type CustomerContactInput,
  type NormalizedContact,
} from './customers/customer-input.js';
export type { CustomerEventDraft, CustomerEventType } from './customers/customer-events.js';
export type { MergeCustomersResult } from './customers/customer-merge.js';
export {
  createCustomerService,
  type CustomerService,
  type CustomerServiceOptions,
  type FindOrCreateCustomerOptions,
  type FindOrCreateCustomerResult,
} from './customers/customer-service.js';
export { eventTypeTag } from './availability/availability-keys.js';
export {
  createAvailabilityService,
  type AvailabilityService,
  type AvailabilityServiceOptions,
  type FindAlternativesOptions,
} from './availability/availability-service.js';
export {
  createBroadcastingCache,
  type BroadcastingCache,
  type BroadcastingCacheOptions,
} from './availability/broadcasting-cache.js';
export type { BookingListenerOptions } from './listeners/listener-support.js';
export {
  registerAvailabilityInvalidation,
  type AvailabilityInvalidationDeps,
} from './listeners/availability-invalidation-listener.js';
export {
  NOTIFIED_EVENT_TYPES,
  registerNotifications,
  type NotificationDeps,
  type NotificationListenerOptions,
  type NotificationRoute,
} from './listeners/notification-listener.js';
export {
  actorOf,
  registerAuditTrail,
  toAuditEntry,
  type AuditTrailDeps,
} from './listeners/audit-listener.js';
export {
  registerCustomerStatistics,
  type CustomerStatisticsDeps,
} from './listeners/customer-stats-listener.js';
export {
  registerBookingListeners,
  type BookingListenerDeps,
  type BookingListenersOptions,
} from './listeners/register-booking-listeners.js';
export * from './service/index.js';
