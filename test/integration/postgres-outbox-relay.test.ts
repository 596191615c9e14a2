import { expect, it } from 'vitest';
import { createPostgresOutboxStore } from '../../src/adapters/postgres/postgres-outbox-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { createOutboxRelay, type OutboxRelay } from '../../src/events/outbox-relay.js';
import { orderMeta, testCatalog } from '../support/test-catalog.js';
import { describeOnDatabases, type TestDatabase } from './postgres-test-database.js';

const ORDERS = 10;
const EVENTS_PER_ORDER = 6;

interface Delivery {
  readonly relay: string;
  readonly eventId: string;
  readonly orderId: string;
  readonly seq: number;
}

/**
 * One application instance: its own pool, outbox store, bus (with the queued listener) and relay,
 * as two processes sharing one database would have.
 */
function instance(
  database: TestDatabase,
  name: string,
  deliveries: Delivery[],
  failedOnce: Set<string>,
): { bus: ReturnType<typeof busOn>; relay: OutboxRelay } {
  const store = createPostgresOutboxStore({ sql: database.openClient(), schema: database.schema });
  const bus = busOn(store, name, deliveries, failedOnce);
  return { bus, relay: createOutboxRelay({ bus, store, owner: name, batchSize: 4 }) };
}

function busOn(
  store: ReturnType<typeof createPostgresOutboxStore>,
  relay: string,
  deliveries: Delivery[],
  failedOnce: Set<string>,
) {
  const bus = createEventBus({ catalog: testCatalog, outbox: store });
  bus.on(
    'order.placed',
    async (event) => {
      // Jitter, so that messages delivered side by side would finish in any order.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      // Every fifth event fails on its first attempt, so retries interleave with later messages.
      if (event.data.totalCents % 5 === 0 && !failedOnce.has(event.id)) {
        failedOnce.add(event.id);
        throw new Error(`transient failure of ${event.id}`);
      }
      deliveries.push({ relay, eventId: event.id, orderId: event.aggregateId, seq: event.data.totalCents });
    },
    { queued: true, name: 'record-delivery', retry: { delays: [0], maxAttempts: 5 } },
  );
  return bus;
}

describeOnDatabases(
  'outbox relay on the Postgres outbox',
  (database) => {
    it('delivers every message exactly once across two relays on separate pools, in order per aggregate', async () => {
      const deliveries: Delivery[] = [];
      const failedOnce = new Set<string>();
      const first = instance(database(), 'relay-1', deliveries, failedOnce);
      const second = instance(database(), 'relay-2', deliveries, failedOnce);
      const stores = createPostgresStores({ sql: database().sql, schema: database().schema });

      const published: string[] = [];
      // Order-major: a claim batch would hold several messages of one aggregate if the store let it.
      for (let order = 0; order < ORDERS; order += 1) {
        for (let seq = 1; seq <= EVENTS_PER_ORDER; seq += 1) {
          const event = first.bus.create(
            'order.placed',
            { orderId: `o-${order}`, totalCents: seq },
            orderMeta(`o-${order}`),
          );
          published.push(event.id);
          if (order % 2 === 0) {
            // Half go through publish (the bus appends to the outbox), half through a unit of work.
            await first.bus.publish(event).settled;
          } else {
            await stores.unitOfWork.run((tx) => tx.outbox.append(first.bus.toOutboxMessages(event)));
            first.bus.publish(event, { enqueue: false });
          }
        }
      }

      for (let round = 0; deliveries.length < published.length && round < 200; round += 1) {
        await Promise.all([first.relay.runOnce(), second.relay.runOnce()]);
      }

      const deliveredIds = deliveries.map((d) => d.eventId);
      expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
      expect([...deliveredIds].sort()).toEqual([...published].sort());
      for (let order = 0; order < ORDERS; order += 1) {
        const sequence = deliveries.filter((d) => d.orderId === `o-${order}`).map((d) => d.seq);
        expect(sequence, `order o-${order}`).toEqual(
          Array.from({ length: EVENTS_PER_ORDER }, (_, i) => i + 1),
        );
      }
      expect(failedOnce.size).toBeGreaterThan(0);
      expect(new Set(deliveries.map((d) => d.relay))).toEqual(new Set(['relay-1', 'relay-2']));

      const stored = await stores.outbox.list({ limit: 1000 });
      expect(stored.filter((m) => m.status === 'delivered')).toHaveLength(published.length);
      for (const message of stored) expect(message.attempts).toBe(failedOnce.has(message.eventId) ? 2 : 1);
      expect((await first.relay.runOnce()).claimed).toBe(0);
    });
  },
  { poolSize: 4 },
);
