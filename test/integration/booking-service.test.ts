import { describe } from 'vitest';
import { bookingScenarios } from './booking-scenarios.js';
import { describeOnDatabases } from './postgres-test-database.js';

describe('BookingService on memory', () => {
  bookingScenarios(() => ({ kind: 'memory' }));
});

describeOnDatabases('BookingService on Postgres', (database) => {
  bookingScenarios(() => ({ kind: 'postgres', sql: database().sql, schema: database().schema }));
});

describeOnDatabases("BookingService on Postgres, the saga log in the stores' transactions", (database) => {
  bookingScenarios(() => ({
    kind: 'postgres',
    sql: database().sql,
    schema: database().schema,
    sagaLog: 'joined',
  }));
});
