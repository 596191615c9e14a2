import { describe } from 'vitest';
import { describeOnDatabases } from './postgres-test-database.js';
import { syncToCalendarScenarios } from './sync-to-calendar-scenarios.js';

describe('BookingService.syncToCalendar on memory', () => {
  syncToCalendarScenarios(() => ({ kind: 'memory' }));
});

describeOnDatabases('BookingService.syncToCalendar on Postgres', (database) => {
  syncToCalendarScenarios(() => ({ kind: 'postgres', sql: database().sql, schema: database().schema }));
});
