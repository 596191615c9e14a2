const assert = require('node:assert/strict');
const { inspect } = require('node:util');
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

// Error classes keep their names through the bundler (it renames classes unless told not to).
for (const [entry, module] of Object.entries(exportsByEntry)) {
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function' && value.prototype instanceof Error)
      assert.equal(value.name, name, `CJS: ${entry} exports error class ${name} named ${value.name}`);
  }
}
const conflict = new exportsByEntry.bookingkit.SlotConflictError({
  tenantId: 't',
  resourceId: 'consult',
  requested: { start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' },
  conflictingAppointmentId: null,
  alternatives: [],
});
assert.equal(conflict.constructor.name, 'SlotConflictError');
assert.equal(conflict.name, 'SlotConflictError');
assert.match(String(conflict), /^SlotConflictError: /);
assert.match(inspect(conflict), /^SlotConflictError: /);

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
