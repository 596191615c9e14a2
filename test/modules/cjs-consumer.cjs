const assert = require('node:assert/strict');
const expected = require('./expectations.json');

const exportsByEntry = {
  bookingkit: require('bookingkit'),
  'bookingkit/calcom': require('bookingkit/calcom'),
  'bookingkit/retell': require('bookingkit/retell'),
  'bookingkit/postgres': require('bookingkit/postgres'),
  'bookingkit/redis': require('bookingkit/redis'),
  'bookingkit/http': require('bookingkit/http'),
  'bookingkit/testing': require('bookingkit/testing'),
};
for (const [entry, names] of Object.entries(expected)) {
  const module = exportsByEntry[entry];
  assert.ok(module, `CJS: ${entry} did not load`);
  assert.ok(Object.keys(module).length > 0, `CJS: ${entry} exports nothing`);
  for (const name of names) assert.ok(module[name] !== undefined, `CJS: ${entry} lacks ${name}`);
}

const { createEventBus, bookingEvents, isBookingKitError } = exportsByEntry.bookingkit;
const bus = createEventBus({ catalog: bookingEvents });
assert.throws(
  () =>
    bus.publish(
      bus.create(
        'call.failed',
        { callId: 'c1' },
        { tenantId: 't', aggregateType: 'call', aggregateId: 'c1' },
      ),
    ),
  (error) =>
    isBookingKitError(error) && error.code === 'EVENT_VALIDATION' && /data\.reason/.test(error.message),
);
console.log('CJS consumer: every entry point loads');
