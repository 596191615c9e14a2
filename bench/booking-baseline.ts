/**
 * What the Postgres booking benchmarks share: the commands of a run (each on a slot of its own, for
 * a customer of its own) and the lean baseline, the durable writes of a book issued by hand with
 * `pg` in two transactions around the calendar wait: (1) idempotency row, customer, pending
 * appointment, saga row and one outbox row; (2) the appointment confirmed, one outbox row, the
 * saga completed and the idempotency result (13 statements with BEGIN and COMMIT).
 */
import type pg from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import type { BookCommand } from '../src/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';

/** Event types (calendar hosts) the bookings are spread over, one-minute slots each. */
export const EVENT_TYPES = 50;
export const TENANT = 'acme';
const FIRST_SLOT = Date.parse('2031-01-06T00:00:00.000Z');

/** The new customer of booking `n`. */
export const customerOf = (n: number) => ({ name: `Caller ${n}`, email: `caller-${n}@example.com` });

/**
 * Every booking of the run takes the next slot: distinct event type (of {@link EVENT_TYPES}) and
 * time, distinct customer.
 */
let booked = 0;
/** The next booking's command and its number. */
export function nextBooking(): { command: BookCommand; n: number } {
  const n = (booked += 1);
  const start = FIRST_SLOT + Math.floor(n / EVENT_TYPES) * 60_000;
  const command: BookCommand = {
    tenantId: TENANT,
    origin: 'api',
    actor: { type: 'customer' },
    idempotencyKey: `concurrency-${process.pid}-${n}`,
    eventTypeId: `type-${n % EVENT_TYPES}`,
    start: new Date(start).toISOString(),
    end: new Date(start + 60_000).toISOString(),
    timeZone: 'UTC',
    customer: customerOf(n),
  };
  return { command, n };
}

/** The baseline's durable writes for one booking, by hand: two transactions around the calendar wait. */
export function handWrittenBook(
  postgres: { readonly pool: pg.Pool; readonly schema: string },
  statements: { count: number },
  calendarLatencyMs: number,
): () => Promise<void> {
  const s = quoteSchema(postgres.schema);
  const transaction = async (run: (client: pg.PoolClient) => Promise<void>): Promise<void> => {
    const client = await postgres.pool.connect();
    try {
      await client.query('BEGIN');
      await run(client);
      await client.query('COMMIT');
      statements.count += 2;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return async () => {
    const { command, n } = nextBooking();
    const ids = {
      appointment: `appt-${process.pid}-${n}`,
      customer: `cust-${process.pid}-${n}`,
      saga: `saga-${process.pid}-${n}`,
    };
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const appointment = {
      id: ids.appointment,
      tenantId: TENANT,
      eventTypeId: command.eventTypeId,
      start: command.start,
      end: command.end,
      customerId: ids.customer,
      status: 'pending',
    };
    const outbox = (eventType: string, eventId: string): [string, unknown[]] => [
      `INSERT INTO ${s}.bookingkit_outbox (tenant_id, event_id, event_type, listener, ordering_key, payload, available_at, created_at) ` +
        'VALUES ($1, $2, $3, $4, $5, $6, $7, $7)',
      [
        TENANT,
        eventId,
        eventType,
        'availability-invalidation',
        `appointment:${ids.appointment}`,
        JSON.stringify({ id: eventId, type: eventType, tenantId: TENANT, time: nowIso, data: appointment }),
        now,
      ],
    ];
    await transaction(async (client) => {
      await client.query(
        `INSERT INTO ${s}.bookingkit_idempotency (tenant_id, key, fingerprint, state, token, lock_expires_at, expires_at) ` +
          "VALUES ($1, $2, $3, 'in_progress', $4, $5, $6)",
        [TENANT, command.idempotencyKey, `fp-${n}`, `token-${n}`, now + 30_000, now + 86_400_000],
      );
      await client.query(
        `INSERT INTO ${s}.bookingkit_customers (tenant_id, id, name, email, phone, locale, merged_into, stats, version, created_at, updated_at) ` +
          'VALUES ($1, $2, $3, $4, NULL, NULL, NULL, $5, 1, $6, $6)',
        [TENANT, ids.customer, customerOf(n).name, customerOf(n).email, '{"appointments":0}', nowIso],
      );
      await client.query(
        `INSERT INTO ${s}.bookingkit_appointments (tenant_id, id, event_type_id, resource_id, customer_id, start_at, end_at, ` +
          'time_zone, status, origin, created_by, sync, version, idempotency_key, created_at, updated_at) ' +
          "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, 1, $11, $12, $12)",
        [
          TENANT,
          ids.appointment,
          command.eventTypeId,
          ids.customer,
          command.start,
          command.end,
          command.timeZone,
          command.origin,
          JSON.stringify(command.actor),
          '{"state":"pending"}',
          command.idempotencyKey,
          nowIso,
        ],
      );
      await client.query(
        `INSERT INTO ${s}.bookingkit_sagas (id, tenant_id, name, state, input, steps, version, lease_owner, lease_expires_at, created_at, updated_at) ` +
          "VALUES ($1, $2, 'bookingkit.book', 'running', $3::json, $4::json, 1, $5, $6, $7, $7)",
        [
          ids.saga,
          TENANT,
          JSON.stringify({ appointment, attendee: customerOf(n) }),
          '[{"name":"hold","status":"completed"}]',
          'baseline',
          now + 30_000,
          now,
        ],
      );
      await client.query(...outbox('appointment.requested', `evt-req-${n}`));
      statements.count += 5;
    });
    await delay(calendarLatencyMs);
    await transaction(async (client) => {
      await client.query(
        `UPDATE ${s}.bookingkit_appointments SET status = 'confirmed', calendar_booking_uid = $3, sync = $4, ` +
          'version = version + 1, updated_at = $5 WHERE tenant_id = $1 AND id = $2',
        [TENANT, ids.appointment, `uid-${n}`, '{"state":"synced"}', new Date().toISOString()],
      );
      await client.query(...outbox('appointment.booked', `evt-booked-${n}`));
      await client.query(
        `UPDATE ${s}.bookingkit_sagas SET state = 'completed', steps = $2::json, version = version + 1, ` +
          'lease_owner = NULL, lease_expires_at = NULL, updated_at = $3, finished_at = $3 WHERE id = $1',
        [
          ids.saga,
          '[{"name":"hold","status":"completed"},{"name":"calendar","status":"completed"},{"name":"confirm","status":"completed"}]',
          Date.now(),
        ],
      );
      await client.query(
        `UPDATE ${s}.bookingkit_idempotency SET state = 'completed', result = $3 WHERE tenant_id = $1 AND key = $2`,
        [
          TENANT,
          command.idempotencyKey,
          JSON.stringify({ appointment: { ...appointment, status: 'confirmed' } }),
        ],
      );
      statements.count += 4;
    });
  };
}

/**
 * Runs ANALYZE on every table of `schema`, as autovacuum does on a production server once a new
 * table has rows. The server of this machine runs with autovacuum off, so a fresh schema would
 * otherwise keep no statistics and the planner would pick indexes blindly (the customer lookup by
 * email scanned every customer of the tenant through the phone index).
 */
export async function analyzeSchema(pool: pg.Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ table: string }>(
    'SELECT tablename AS table FROM pg_tables WHERE schemaname = $1',
    [schema],
  );
  for (const { table } of rows) await pool.query(`ANALYZE ${quoteSchema(schema)}.${table}`);
}
