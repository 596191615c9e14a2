import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

const expectations = JSON.parse(
  readFileSync(new URL('./node_modules/bookingkit/package.json', import.meta.url), 'utf8'),
);
assert.equal(expectations.name, 'bookingkit');
const exportsByEntry = {
  bookingkit: await import('bookingkit'),
  'bookingkit/calcom': await import('bookingkit/calcom'),
  'bookingkit/retell': await import('bookingkit/retell'),
  'bookingkit/postgres': await import('bookingkit/postgres'),
  'bookingkit/redis': await import('bookingkit/redis'),
  'bookingkit/http': await import('bookingkit/http'),
  'bookingkit/testing': await import('bookingkit/testing'),
};
const expected = JSON.parse(readFileSync(new URL('./expectations.json', import.meta.url), 'utf8'));
for (const [entry, names] of Object.entries(expected)) {
  const module = exportsByEntry[entry];
  assert.ok(module, `ESM: ${entry} did not load`);
  assert.ok(Object.keys(module).length > 0, `ESM: ${entry} exports nothing`);
  for (const name of names)
    assert.ok(name in module && module[name] !== undefined, `ESM: ${entry} lacks ${name}`);
}

// Error classes keep their names through the bundler (it renames classes unless told not to).
for (const [entry, module] of Object.entries(exportsByEntry)) {
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function' && value.prototype instanceof Error)
      assert.equal(value.name, name, `ESM: ${entry} exports error class ${name} named ${value.name}`);
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

// Behaviour, not just presence: publish an event through the built package.
const { createEventBus, bookingEvents } = exportsByEntry.bookingkit;
const bus = createEventBus({ catalog: bookingEvents });
const seen = [];
bus.on('call.failed', (event) => seen.push(event.data.reason));
bus.publish(
  bus.create(
    'call.failed',
    { callId: 'c1', reason: 'no answer' },
    { tenantId: 't', aggregateType: 'call', aggregateId: 'c1' },
  ),
);
assert.deepEqual(seen, ['no answer']);
console.log('ESM consumer: every entry point loads');
