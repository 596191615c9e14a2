import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetellCallSimulator } from '../../src/testing/retell-simulator/retell-call-simulator.js';
import {
  bookInCalcom,
  calcomAsOwner,
  listenForWebhooks,
  postCalcomWebhook,
  type WebhookListener,
} from './support/calcom-side.js';
import { exampleBackends, type PreparedStorage } from './support/example-backends.js';
import {
  bookFirstFree,
  bookSlot,
  DEMO,
  freeSlots,
  listAppointments,
  tenantClient,
  WINDOW,
  type AppointmentView,
} from './support/example-client.js';
import { startExample, until, type ExampleProcess } from './support/example-process.js';

// The Express example as a newcomer runs it (`npm run example`: node examples/express-server/run.mjs),
// a real process with the embedded Cal.com simulator and the demo tenants on a free port, driven
// over HTTP: once on its embedded defaults (PGlite in a scratch folder), once on real Postgres and
// Redis (DATABASE_URL, REDIS_URL, as CI sets them).

const RETELL_KEY = 'key_demo_retell_workspace';
const PRAXIS_NUMBER = '+493012345678';
const ANNA = '+4915112345678';

/** The next weekday in Berlin at least `after` days ahead, as YYYY-MM-DD. */
function weekdayInBerlin(after = 1): string {
  for (let days = after; ; days += 1) {
    const day = new Date(Date.now() + days * 86_400_000);
    const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(
      day,
    );
    if (weekday !== 'Sat' && weekday !== 'Sun')
      return day.toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
  }
}

/** `HH:MM` on `date` in Berlin, as an ISO instant. */
const berlin = (date: string, time: string) => {
  const probe = new Date(`${date}T12:00:00Z`);
  const offset = probe.toLocaleString('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset' });
  const hours = Number(/GMT([+-]\d+)/.exec(offset)?.[1] ?? 0);
  return new Date(Date.parse(`${date}T${time}:00Z`) - hours * 3_600_000).toISOString();
};

for (const backend of exampleBackends()) {
  describe.skipIf(backend.skip !== null)(
    `the Express example on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let storage: PreparedStorage;
      let server: ExampleProcess;
      let calcomUrl: string;
      let listener: WebhookListener;
      const praxis = () => tenantClient(server.url, DEMO.praxis.key);
      const clinic = () => tenantClient(server.url, DEMO.clinic.key);
      /** The Cal.com webhook lines the example logged (at debug). */
      const applied = () => server.logLines().filter((l) => l.msg === 'Cal.com webhook applied');

      beforeAll(async () => {
        // PGlite starts from a cached migrated folder: initdb in WebAssembly is most of a first start.
        storage = await backend.prepare({ seeded: true });
        // Reconciliation compares even what changed a moment ago (the suite cannot wait 5 minutes).
        server = await startExample({ ...storage.env, RECONCILE_GRACE_MS: '0' });
        calcomUrl = server.calcomUrl!;
        // A second subscriber on the praxis account receives the very webhooks the example receives.
        listener = await listenForWebhooks();
        const subscribed = await calcomAsOwner(calcomUrl, DEMO.praxis, 'POST', '/v2/webhooks', {
          subscriberUrl: listener.url,
          triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED', 'BOOKING_RESCHEDULED'],
          active: true,
          secret: 'listener-secret',
        });
        expect(subscribed.status).toBe(201);
      }, 420_000);

      afterAll(async () => {
        await server?.stop();
        await listener?.close();
        await storage?.dispose();
      }, 60_000);

      it('is live and ready: storage answers, the kit started, the breaker is closed', async () => {
        const health = await fetch(`${server.url}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok' });
        const ready = await fetch(`${server.url}/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({
          status: 'ok',
          checks: {
            kit: { status: 'ok' },
            [storage.databaseCheck]: { status: 'ok' },
            calendarBreaker: { status: 'ok' },
            outbox: { status: 'ok' },
            ...(storage.databaseCheck === 'postgres' ? { redis: { status: 'ok' } } : {}),
          },
        });
      });

      it('books through the REST API with the tenant API key, no longer offers the slot, and replays a retry with the Idempotency-Key', async () => {
        const [slot] = await freeSlots(clinic(), DEMO.clinic);
        expect(slot).toBeDefined();
        const key = randomUUID();
        const first = await bookSlot(clinic(), DEMO.clinic, slot!, key, {
          name: 'John Miller',
          email: 'john@example.com',
        });
        expect(first.status).toBe(201);
        expect(first.body.appointment.status).toBe('confirmed');
        // The instance that booked dropped the cached day at once: the slot is no longer offered.
        expect((await freeSlots(clinic(), DEMO.clinic)).map((s) => s.start)).not.toContain(slot!.start);
        const again = await bookSlot(clinic(), DEMO.clinic, slot!, key, {
          name: 'John Miller',
          email: 'john@example.com',
        });
        expect(again.status).toBe(201);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.body.appointment.id).toBe(first.body.appointment.id);
        const read = await clinic().get<AppointmentView>(`/api/appointments/${first.body.appointment.id}`);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ id: first.body.appointment.id, status: 'confirmed' });
        const listed = await listAppointments(clinic(), WINDOW.from, WINDOW.to);
        expect(listed.filter((a) => a.start === slot!.start).map((a) => a.id)).toEqual([
          first.body.appointment.id,
        ]);
      });

      it('books through a simulated Retell call, signed with the demo key, spoken in German', async () => {
        const retell = createRetellCallSimulator({
          apiKey: RETELL_KEY,
          webhook: `${server.url}/webhooks/retell`,
          inbound: `${server.url}/retell/inbound`,
          functions: { byName: (name) => `${server.url}/retell/functions/${name}` },
        });
        const date = weekdayInBerlin();
        const result = await retell
          .call({ from: ANNA, to: PRAXIS_NUMBER, agentId: 'agent_test', callId: `call_${randomUUID()}` })
          .inbound()
          .started()
          .function('check_availability', { service: 'Beratung', date })
          .function('book_appointment', { service: 'Beratung', date, time: '14:30', name: 'Anna Schmidt' })
          .ended()
          .analyzed({ summary: 'Termin gebucht.', successful: true })
          .play();

        expect(result.inbound[0]?.response?.body).toMatchObject({
          call_inbound: {
            dynamic_variables: expect.objectContaining({
              business_name: 'Praxis Sonnenschein',
              language: 'de',
            }),
            metadata: { bookingkitTenantId: 'praxis' },
          },
        });
        const [check, book] = result.functions;
        expect((check?.body as { result: string }).result).toMatch(/habe ich .*frei/);
        expect(book?.body).toMatchObject({
          result: expect.stringContaining('um 14:30 gebucht'),
          data: { booked: true, status: 'confirmed' },
        });
        expect(result.webhooks.map((w) => [w.event, w.response?.status])).toEqual([
          ['call_started', 200],
          ['call_ended', 200],
          ['call_analyzed', 200],
        ]);
        // The appointment is in the database; Cal.com's webhook about it comes back and changes nothing.
        const appointmentId = (book?.body as { data: { appointment_id: string } }).data.appointment_id;
        const read = await praxis().get<AppointmentView>(`/api/appointments/${appointmentId}`);
        expect(read.body).toMatchObject({ status: 'confirmed', start: berlin(date, '14:30') });
        await until(
          () => applied().some((l) => l.appointmentId === appointmentId),
          15_000,
          'the Cal.com webhook of the booking',
          server.output,
        );
        expect(applied().find((l) => l.appointmentId === appointmentId)).toMatchObject({
          tenantId: 'praxis',
          trigger: 'BOOKING_CREATED',
          action: 'unchanged',
        });
        // No e-mail address or phone number reaches the log in full.
        expect(server.output()).not.toContain(ANNA);
      });

      let webBooking: { uid: string; appointment: AppointmentView; webhook: string };

      it('records a booking made in Cal.com itself, from the webhook the simulator delivers', async () => {
        const date = weekdayInBerlin(2);
        // A web visitor books on the practice's booking page, in Cal.com, not through bookingkit.
        const { uid } = await bookInCalcom(calcomUrl, 'praxis', 'behandlung', berlin(date, '09:00'), {
          name: 'Ben Web',
          email: 'ben@example.com',
          timeZone: 'Europe/Berlin',
        });
        let found: AppointmentView | undefined;
        await until(
          async () => {
            const listed = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
            found = listed.find((a) => a.external.calendarBookingUid === uid);
            // Imported as pending, then confirmed as Cal.com has it.
            return found?.status === 'confirmed';
          },
          15_000,
          'the appointment of the web booking',
          server.output,
        );
        expect(found).toMatchObject({ status: 'confirmed', start: berlin(date, '09:00') });
        // The log line follows the commit the API already shows, through the process's stdout.
        await until(
          () => applied().some((l) => l.appointmentId === found!.id && l.trigger === 'BOOKING_CREATED'),
          5_000,
          'the applied log line',
        );
        expect(
          applied().find((l) => l.appointmentId === found!.id && l.trigger === 'BOOKING_CREATED'),
        ).toMatchObject({
          tenantId: 'praxis',
          trigger: 'BOOKING_CREATED',
          action: 'imported',
        });
        await until(() => listener.received.some((w) => w.uid === uid), 5_000, 'the listener copy');
        webBooking = {
          uid,
          appointment: found!,
          webhook: listener.received.find((w) => w.uid === uid && w.trigger === 'BOOKING_CREATED')!.body,
        };
        expect(server.output()).not.toContain('ben@example.com');
      });

      it('applies a duplicated Cal.com webhook once', async () => {
        const before = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
        // Cal.com delivers the same webhook twice more (a retry, a duplicate), correctly signed.
        for (let i = 0; i < 2; i += 1) {
          expect(
            await postCalcomWebhook(
              server.url,
              DEMO.praxis.routeKey,
              webBooking.webhook,
              DEMO.praxis.webhookSecret,
            ),
          ).toBe(200);
        }
        const after = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
        expect(after).toEqual(before);
        expect(after.filter((a) => a.external.calendarBookingUid === webBooking.uid)).toHaveLength(1);
      });

      it('refuses webhooks with a bad or a missing signature and stores nothing', async () => {
        const before = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
        // A forged booking: a new uid and time, as an attacker without the secret would send it.
        const forgedUid = `forged-${randomUUID()}`;
        const forged = webBooking.webhook
          .replaceAll(webBooking.uid, forgedUid)
          .replace(/"startTime":"[^"]+"/, `"startTime":"${berlin(weekdayInBerlin(3), '11:00')}"`);
        const bad = await postCalcomWebhook(server.url, DEMO.praxis.routeKey, forged, 'not-the-secret');
        const missing = await postCalcomWebhook(server.url, DEMO.praxis.routeKey, forged, null);
        // The other tenant's secret on this tenant's route is a bad signature too.
        const otherTenants = await postCalcomWebhook(
          server.url,
          DEMO.praxis.routeKey,
          forged,
          DEMO.clinic.webhookSecret,
        );
        const unsignedRetell = await fetch(`${server.url}/webhooks/retell`, { method: 'POST', body: '{}' });
        const unknownRoute = await postCalcomWebhook(
          server.url,
          'rk_nobody_0000',
          forged,
          DEMO.praxis.webhookSecret,
        );
        expect({
          bad,
          missing,
          otherTenants,
          unsignedRetell: unsignedRetell.status,
          unknownRoute,
        }).toEqual({ bad: 401, missing: 401, otherTenants: 401, unsignedRetell: 401, unknownRoute: 404 });
        const after = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
        expect(after).toEqual(before);
        expect(after.some((a) => a.external.calendarBookingUid === forgedUid)).toBe(false);
      });

      it("answers 404 to another tenant's ids on every route and changes nothing", async () => {
        const booked = await bookFirstFree(clinic(), DEMO.clinic);
        expect(booked.status).toBe(201);
        const theirs = booked.body.appointment;
        const before = await clinic().get<AppointmentView>(`/api/appointments/${theirs.id}`);
        const [praxisSlot] = await freeSlots(praxis(), DEMO.praxis);
        const key = () => ({ 'idempotency-key': randomUUID() });

        // The erasure route exists (its 404 names the customer, not a missing route).
        const erase = await praxis().del(`/admin/customers/${String(theirs.customerId)}`);
        expect(erase.status).toBe(404);
        expect(JSON.stringify(erase.body)).not.toMatch(/route/i);
        const answers = {
          read: (await praxis().get(`/api/appointments/${theirs.id}`)).status,
          availability: (
            await praxis().get(
              `/api/availability?eventTypeId=${DEMO.clinic.service.id}&start=${encodeURIComponent(theirs.start)}&end=${encodeURIComponent(theirs.end)}`,
            )
          ).status,
          reschedule: (
            await praxis().post(
              `/api/appointments/${theirs.id}/reschedule`,
              { start: praxisSlot!.start, end: praxisSlot!.end },
              key(),
            )
          ).status,
          cancel: (
            await praxis().post(`/api/appointments/${theirs.id}/cancel`, { reason: 'not mine' }, key())
          ).status,
          replayOne: (await praxis().post(`/admin/dead-letters/${theirs.id}/replay`)).status,
          replayMany: (await praxis().post('/admin/dead-letters/replay', { ids: [theirs.id] })).status,
          eraseCustomer: (await praxis().del(`/admin/customers/${String(theirs.customerId)}`)).status,
        };
        expect(answers).toEqual({
          read: 404,
          availability: 404,
          reschedule: 404,
          cancel: 404,
          replayOne: 404,
          replayMany: 404,
          eraseCustomer: 404,
        });
        // Lists and plans are the caller's own: the other tenant's appointment is in none of them.
        const ownList = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
        expect(ownList.some((a) => a.id === theirs.id)).toBe(false);
        const deadLetters = await praxis().get<{ items: { event: { tenantId?: string } }[] }>(
          '/admin/dead-letters',
        );
        expect(deadLetters.status).toBe(200);
        expect(deadLetters.body.items.every((item) => item.event.tenantId !== 'clinic')).toBe(true);
        const plan = await praxis().post<{ plan: { tenantId: string; items: { appointmentId?: string }[] } }>(
          '/admin/reconcile',
          { ...WINDOW, dryRun: false },
        );
        expect(plan.status).toBe(200);
        // The other tenant's service cannot be booked with this key (its event type is not this tenant's).
        const [clinicSlot] = await freeSlots(clinic(), DEMO.clinic);
        const foreign = await bookSlot(praxis(), DEMO.clinic, clinicSlot!);
        expect(foreign.status).toBe(400);
        expect(JSON.stringify(foreign.body)).toContain('eventTypeId');
        // Without a key, or with an unknown one: 401.
        expect((await fetch(`${server.url}/api/appointments/${theirs.id}`)).status).toBe(401);
        expect(
          (await tenantClient(server.url, 'bk_nobody').get(`/api/appointments/${theirs.id}`)).status,
        ).toBe(401);

        const after = await clinic().get<AppointmentView>(`/api/appointments/${theirs.id}`);
        expect(after.body).toEqual(before.body);
        // And the caller's own list got nothing from the refused booking.
        const listed = await listAppointments(praxis(), WINDOW.from, WINDOW.to);
        expect(listed.filter((a) => a.eventTypeId === DEMO.clinic.service.id)).toEqual([]);
      });

      it('reconciles on POST /admin/reconcile: a dry run shows a booking whose webhook was lost, apply imports it', async () => {
        // The example's subscription stops receiving: the next booking's webhook is lost.
        const hooks = await calcomAsOwner(calcomUrl, DEMO.praxis, 'GET', '/v2/webhooks');
        const ours = (hooks.body.data as { id: string; subscriberUrl: string }[]).find((h) =>
          h.subscriberUrl.startsWith(server.url),
        )!;
        expect(ours).toBeDefined();
        await calcomAsOwner(calcomUrl, DEMO.praxis, 'PATCH', `/v2/webhooks/${ours.id}`, { active: false });
        let uid: string;
        try {
          ({ uid } = await bookInCalcom(
            calcomUrl,
            'praxis',
            'behandlung',
            berlin(weekdayInBerlin(4), '13:00'),
            {
              name: 'Clara Lost',
              email: 'clara@example.com',
              timeZone: 'Europe/Berlin',
            },
          ));
        } finally {
          await calcomAsOwner(calcomUrl, DEMO.praxis, 'PATCH', `/v2/webhooks/${ours.id}`, { active: true });
        }
        const local = () =>
          listAppointments(praxis(), WINDOW.from, WINDOW.to).then((all) =>
            all.filter((a) => a.external.calendarBookingUid === uid),
          );
        expect(await local()).toEqual([]);

        const dryRun = await praxis().post<{
          dryRun: boolean;
          plan: { tenantId: string; items: { remote: { uid: string } | null; action: string }[] };
        }>('/admin/reconcile', { ...WINDOW, dryRun: true });
        expect(dryRun.status).toBe(200);
        expect(dryRun.body.dryRun).toBe(true);
        expect(dryRun.body.plan.tenantId).toBe('praxis');
        expect(dryRun.body.plan.items.filter((item) => item.remote?.uid === uid)).toMatchObject([
          { class: 'missing_local', cause: 'not_in_database', action: 'import_local' },
        ]);
        // A dry run changes nothing.
        expect(await local()).toEqual([]);

        const applied = await praxis().post<{ dryRun: boolean; report: { taken: Record<string, number> } }>(
          '/admin/reconcile',
          { ...WINDOW, dryRun: false },
        );
        expect(applied.status).toBe(200);
        expect(applied.body.report.taken.import_local).toBeGreaterThanOrEqual(1);
        expect(await local()).toMatchObject([{ status: 'confirmed' }]);
        // The window is checked: `to` before `from` is a 400 naming it.
        const bad = await praxis().post('/admin/reconcile', { from: WINDOW.to, to: WINDOW.from });
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body)).toContain('to');
      });
    },
  );
}
