export {
  createMemoryCalendarProvider,
  MemoryCalendarEventType,
  SeedCalendarBooking,
  type MemoryCalendarEventTypeConfig,
  type MemoryCalendarEventTypeInput,
  type MemoryCalendarProvider,
  type MemoryCalendarProviderOptions,
  type SeedCalendarBookingInput,
} from './memory-calendar-provider.js';
export { createMemoryNotifier, type MemoryNotifier, type SentNotificationFilter } from './memory-notifier.js';
export { createLogNotifier, maskRecipient, type LogNotifierOptions } from './log-notifier.js';
export { createMemoryInvalidationHub, type MemoryInvalidationHub } from './memory-invalidation-broadcast.js';
export { createMemoryAuditLog } from './memory-audit-log.js';
export {
  createMemoryCustomerStatsStore,
  type MemoryCustomerStatsStoreOptions,
} from './memory-customer-stats-store.js';
