export * from './commands.js';
export * from './errors.js';
export { isCalendarOutage } from './calendar-gateway.js';
export { attendeeFor } from './attendee.js';
export { CALENDAR_SYNC_LISTENER, type CalendarSyncOptions } from './calendar-sync-listener.js';
export * from './booking-service.js';
