import { z } from 'zod';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import { createSqlContext } from './sql-context.js';
import { CustomerStats } from '../../domain/customer.js';
import { ValidationError, parseWith, toValidationIssues } from '../../errors/validation-error.js';
import type { CustomerStatsOutcome, CustomerStatsStore } from '../../ports/customer-stats-store.js';
import { throwIfAborted } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

/** Longest chain of merges followed to the surviving customer (as the memory store). */
const MAX_MERGE_HOPS = 10;

const Count = z.number().int().optional();
/** A change as the store accepts it: whole-number amounts, negative ones for corrections. */
const StatsChange = z.object({
  eventId: z.string(),
  delta: z.object({ bookings: Count, cancellations: Count, noShows: Count }),
});

/** Ends the transaction (rolling back the recorded event id) when there is no customer to count for. */
class CustomerNotFound extends Error {}

/**
 * Creates the Postgres {@link CustomerStatsStore}, over the `stats` of the customers table (the one
 * `createPostgresCustomerRepository` uses, in the same schema). Each change runs in one
 * transaction: it records the event id in `bookingkit_customer_stats_events` (`ON CONFLICT DO
 * NOTHING`: a duplicate changes nothing) and, only when that inserted a row, adds the amounts to
 * the surviving customer's counters and raises its version, so a concurrent optimistic update of
 * the customer gets a conflict rather than overwriting the counts. A change that is refused
 * (unknown customer, a counter that would drop below zero) rolls back, so the event can still
 * count later. Run `migrate` first, with the same schema.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const bus: EventBus<BookingEvents>;
 * declare const appointments: AppointmentRepository;
 * // ---cut---
 * const customerStats = createPostgresCustomerStatsStore({ sql: pgClient(pool), schema: 'booking' });
 * registerCustomerStatistics(bus, { customerStats, appointments });
 * ```
 */
export function createPostgresCustomerStatsStore(options: PostgresStoreOptions): CustomerStatsStore {
  const context = createSqlContext(options, 'createPostgresCustomerStatsStore');
  const customers = context.table('bookingkit_customers');
  const events = context.table('bookingkit_customer_stats_events');
  const claimText = `INSERT INTO ${events} (tenant_id, event_id) VALUES ($1, $2) ON CONFLICT (tenant_id, event_id) DO NOTHING`;
  const counter = (name: keyof CustomerStats, placeholder: string): string =>
    `'${name}', (c.stats ->> '${name}')::bigint + ${placeholder}::bigint`;
  // The chain of merges from the given customer; the survivor is the unmerged end (or the end of
  // a chain longer than MAX_MERGE_HOPS). A merge into a missing customer leaves no survivor.
  const updateText =
    'WITH RECURSIVE chain (id, merged_into, hops) AS (' +
    `SELECT id, merged_into, 0 FROM ${customers} WHERE tenant_id = $1 AND id = $2 ` +
    `UNION ALL SELECT c.id, c.merged_into, chain.hops + 1 FROM chain JOIN ${customers} c ` +
    `ON c.tenant_id = $1 AND c.id = chain.merged_into COLLATE "C" WHERE chain.hops < ${MAX_MERGE_HOPS}) ` +
    `UPDATE ${customers} c SET stats = c.stats || jsonb_build_object(${counter('bookings', '$3')}, ` +
    `${counter('cancellations', '$4')}, ${counter('noShows', '$5')}), version = c.version + 1 ` +
    'FROM chain WHERE c.tenant_id = $1 AND c.id = chain.id ' +
    `AND (chain.merged_into IS NULL OR chain.hops = ${MAX_MERGE_HOPS}) RETURNING c.stats`;

  return {
    async apply(tenantId, customerId, input, opts = {}): Promise<CustomerStatsOutcome> {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      const { eventId, delta } = parseWith(StatsChange, input, 'customer stats change');
      context.assertWritable();
      try {
        return await context.sql.transaction(async (tx) => {
          const claimed = await tx.query(claimText, [tenant, eventId]);
          if (claimed.rowCount === 0) return 'duplicate';
          const { rows } = await tx.query<{ stats: unknown }>(updateText, [
            tenant,
            customerId,
            delta.bookings ?? 0,
            delta.cancellations ?? 0,
            delta.noShows ?? 0,
          ]);
          const [updated] = rows;
          if (updated === undefined) throw new CustomerNotFound();
          const stats = CustomerStats.safeParse(updated.stats);
          // As a customer update would be refused: a counter below zero (throwing rolls back).
          if (!stats.success)
            throw new ValidationError('Customer', toValidationIssues(stats.error.issues, 'stats'));
          return 'applied';
        });
      } catch (error) {
        if (error instanceof CustomerNotFound) return 'not_found';
        throw error;
      }
    },
  };
}
