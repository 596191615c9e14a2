import { sendRestAfterAnswer } from '../reliability/support/api.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBackends, type PreparedStorage } from './support/example-backends.js';
import {
  bookSlot,
  DEMO,
  freeSlots,
  listAppointments,
  tenantClient,
  WINDOW,
  type AppointmentView,
  type Slot,
} from './support/example-client.js';
import { startExample, type ExampleProcess } from './support/example-process.js';
import { postCalcomWebhook } from './support/calcom-side.js';

/** The webhook rate limit of the first process (per route key and client address, per minute). */
const LIMIT = 5;

// The example process stopped and started again on the same storage (the same DATA_DIR, or the
// same Postgres database): what it acknowledged is still there, also when SIGTERM arrives in the
// middle of traffic. The first process also runs with a low webhook rate limit (memory, or Redis
// shared by instances).

/** What one booking request of the traffic got. */
type Outcome =
  | {
      readonly slot: Slot;
      readonly key: string;
      readonly status: number;
      readonly appointment?: AppointmentView;
    }
  | { readonly slot: Slot; readonly key: string; readonly error: string };

for (const backend of exampleBackends()) {
  describe.skipIf(backend.skip !== null)(
    `the Express example stopped and restarted on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let storage: PreparedStorage;
      let server: ExampleProcess | undefined;
      /** The same storage every time; no reconciliation rounds in between. */
      const start = (env: Record<string, string> = {}) =>
        startExample({ ...storage.env, RECONCILE_INTERVAL_MS: '0', ...env });

      beforeAll(async () => {
        // PGlite starts from a migrated copy: the first start of an empty folder is example-server's.
        storage = await backend.prepare({ seeded: true });
      }, 240_000);

      afterAll(async () => {
        await server?.stop();
        await storage?.dispose();
      }, 60_000);

      it('limits webhooks per route key: 429 with Retry-After past the limit, nothing stored', async () => {
        server = await start({ WEBHOOK_RATE_LIMIT: String(LIMIT), WEBHOOK_RATE_WINDOW_MS: '60000' });
        const body = JSON.stringify({
          triggerEvent: 'PING',
          createdAt: new Date().toISOString(),
          payload: {},
        });
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i <= LIMIT; i += 1) {
          const response = await fetch(`${server.url}/webhooks/calcom/${DEMO.clinic.routeKey}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          statuses.push(response.status);
          if (response.status === 429) {
            retryAfter = response.headers.get('retry-after');
            expect(await response.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
          } else await response.arrayBuffer();
        }
        // Unsigned, so refused, until the limit: then refused before the body is read.
        expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(retryAfter)).toBeLessThanOrEqual(60);
        expect(Number.isInteger(Number(retryAfter))).toBe(true);

        // Another route key is not held back by it, nor are Retell's call webhooks.
        expect(
          await postCalcomWebhook(server.url, DEMO.praxis.routeKey, body, DEMO.praxis.webhookSecret),
        ).not.toBe(429);
        const retell = await fetch(`${server.url}/webhooks/retell`, { method: 'POST', body: '{}' });
        expect(retell.status).toBe(401);
        // The limited route stays limited, even correctly signed; nothing reached the clinic.
        expect(
          await postCalcomWebhook(server.url, DEMO.clinic.routeKey, body, DEMO.clinic.webhookSecret),
        ).toBe(429);
        // A sender still sending a large body reads the 429 whole instead of meeting a reset.
        const large = await sendRestAfterAnswer(`${server.url}/webhooks/calcom/${DEMO.clinic.routeKey}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ triggerEvent: 'PING', payload: { padding: 'x'.repeat(3_000_000) } }),
        });
        expect([large.status, large.writeError]).toEqual([429, undefined]);
        expect(large.body).toMatchObject({ status: 429 });
        const clinic = tenantClient(server.url, DEMO.clinic.key);
        expect(await listAppointments(clinic, WINDOW.from, WINDOW.to)).toEqual([]);
      }, 420_000);

      it('keeps its appointments across a restart on the same storage', async () => {
        const first = server!;
        const praxis = tenantClient(first.url, DEMO.praxis.key);
        const [slot] = await freeSlots(praxis, DEMO.praxis);
        const booked = await bookSlot(praxis, DEMO.praxis, slot!);
        expect(booked.status).toBe(201);
        expect(await first.stop()).toBe(0);

        server = await start();
        const again = tenantClient(server.url, DEMO.praxis.key);
        const read = await again.get<AppointmentView>(`/api/appointments/${booked.body.appointment.id}`);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({
          id: booked.body.appointment.id,
          status: 'confirmed',
          start: slot!.start,
          version: booked.body.appointment.version,
        });
      }, 420_000);

      it('loses nothing it acknowledged when SIGTERM arrives during traffic', async () => {
        const running = server!;
        const praxis = tenantClient(running.url, DEMO.praxis.key);
        // The embedded simulator forgot the bookings of the first process: skip times booked locally.
        const taken = new Set(
          (await listAppointments(praxis, WINDOW.from, WINDOW.to))
            .filter((a) => a.status !== 'cancelled')
            .map((a) => a.start),
        );
        const queue = (await freeSlots(praxis, DEMO.praxis, 14))
          .filter((s) => !taken.has(s.start))
          .slice(0, 40);
        expect(queue.length).toBeGreaterThanOrEqual(20);
        const outcomes: Outcome[] = [];
        let acknowledged = 0;
        let signalled = false;
        const exited = new Promise<number | null>((resolve) => running.child.once('exit', resolve));

        // Four clients book one slot after another; SIGTERM goes out once a few bookings are in.
        const client = async () => {
          for (let slot = queue.shift(); slot; slot = queue.shift()) {
            const key = randomUUID();
            try {
              const answer = await bookSlot(praxis, DEMO.praxis, slot, key);
              outcomes.push({ slot, key, status: answer.status, appointment: answer.body.appointment });
              if (answer.status === 201 || answer.status === 202) acknowledged += 1;
            } catch (error) {
              outcomes.push({ slot, key, error: String((error as Error).cause ?? error) });
            }
            if (acknowledged >= 6 && !signalled) {
              signalled = true;
              running.child.kill('SIGTERM');
            }
          }
        };
        await Promise.all([client(), client(), client(), client()]);
        expect(signalled).toBe(true);
        expect(await exited).toBe(0);

        // Each request got an answer it can act on: booked, or refused (503, or no connection).
        const answered = outcomes.filter((o): o is Extract<Outcome, { status: number }> => 'status' in o);
        expect(answered.map((o) => o.status).filter((s) => ![201, 202, 503].includes(s))).toEqual([]);
        const refused = outcomes.filter((o): o is Extract<Outcome, { error: string }> => 'error' in o);
        expect(refused.length + answered.length).toBe(outcomes.length);

        server = await start();
        const after = tenantClient(server.url, DEMO.praxis.key);
        // Every acknowledged booking is there, as it was answered.
        const acked = answered.filter((o) => o.status === 201 || o.status === 202);
        expect(acked.length).toBeGreaterThanOrEqual(6);
        for (const outcome of acked) {
          const read = await after.get<AppointmentView>(`/api/appointments/${outcome.appointment!.id}`);
          expect(read.status).toBe(200);
          expect(read.body).toMatchObject({ id: outcome.appointment!.id, start: outcome.slot.start });
          expect(['confirmed', 'pending']).toContain(read.body.status);
        }
        // A request that got no answer is retried with its key: it is booked once, never twice.
        for (const outcome of [...refused, ...answered.filter((o) => o.status === 503)]) {
          const retry = await bookSlot(after, DEMO.praxis, outcome.slot, outcome.key);
          expect([201, 202]).toContain(retry.status);
        }
        const listed = await listAppointments(after, WINDOW.from, WINDOW.to);
        const active = listed.filter((a) => a.status !== 'cancelled');
        const starts = active.map((a) => a.start);
        expect(new Set(starts).size).toBe(starts.length);
        for (const outcome of outcomes) expect(starts).toContain(outcome.slot.start);
      }, 420_000);
    },
  );
}
