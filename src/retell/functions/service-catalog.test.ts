import { describe, expect, it } from 'vitest';
import type { CalendarEventType } from '../../ports/calendar-provider.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createServiceCatalog } from './service-catalog.js';

const types: CalendarEventType[] = [
  { id: '11', slug: 'beratung', title: 'Erstberatung für Ärzte', lengthsInMinutes: [30] },
  { id: '12', slug: 'haircut', title: 'Haircut', lengthsInMinutes: [45] },
];

function setUp(fail = false) {
  const clock = createFakeClock();
  let calls = 0;
  const catalog = createServiceCatalog({
    calendar: {
      listEventTypes: async () => {
        calls += 1;
        if (fail && calls === 1) throw new Error('down');
        return types;
      },
    },
    clock,
    ttlMs: 60_000,
  });
  return { clock, catalog, calls: () => calls };
}

describe('createServiceCatalog', () => {
  it('lists a tenant’s event types once per TTL', async () => {
    const { clock, catalog, calls } = setUp();
    await catalog.list('acme');
    await catalog.list('acme');
    expect(calls()).toBe(1);
    await clock.advance(60_000);
    await catalog.list('acme');
    expect(calls()).toBe(2);
  });

  it('does not keep a failed listing', async () => {
    const { catalog, calls } = setUp(true);
    await expect(catalog.list('acme')).rejects.toThrow('down');
    await expect(catalog.list('acme')).resolves.toHaveLength(2);
    expect(calls()).toBe(2);
  });

  it('finds a service by id, slug or title, ignoring case and accents, or by a unique part of its title', async () => {
    const { catalog } = setUp();
    expect((await catalog.find('acme', '12'))?.title).toBe('Haircut');
    expect((await catalog.find('acme', 'HAIRCUT'))?.id).toBe('12');
    expect((await catalog.find('acme', 'erstberatung fur arzte'))?.id).toBe('11');
    expect((await catalog.find('acme', 'Beratung'))?.id).toBe('11');
    expect(await catalog.find('acme', 'massage')).toBeNull();
    expect(await catalog.find('acme', '  ')).toBeNull();
  });
});
