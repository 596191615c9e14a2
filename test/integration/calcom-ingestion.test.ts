import { describe, expect, it } from 'vitest';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import { anAppointment } from '../../src/testing/fixtures.js';
import { LATER, LATEST, aBooking, body, setUp } from './calcom-ingestion-support.js';

describe('createCalcomWebhookHandler: signatures and routes', () => {
  it('accepts a delivery signed with the secret of its route', async () => {
    const { post } = setUp();
    const response = await post('rk_acme_0001', body('PING', { type: 'Test' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ trigger: 'PING', action: 'acknowledged' });
  });

  it('refuses a bad, a missing and a no-secret-provided signature with 401, changing nothing', async () => {
    const { post, appointments } = setUp();
    const text = body('BOOKING_CREATED', aBooking());
    const refused = [
      await post('rk_acme_0001', text, { secret: 'not-the-secret' }),
      await post('rk_acme_0001', text, { header: null }),
      await post('rk_acme_0001', text, { header: 'no-secret-provided' }),
      await post('rk_acme_0001', text, { header: 'sha256=abc' }),
    ];
    expect(refused.map((response) => response.status)).toEqual([401, 401, 401, 401]);
    expect(await refused[0]?.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(await appointments()).toHaveLength(0);
  });

  it('refuses every delivery on a route registered without a secret, no-secret-provided included', async () => {
    const { post, appointments } = setUp();
    const text = body('BOOKING_CREATED', aBooking());
    const responses = [
      await post('rk_open_0003', text, { header: 'no-secret-provided' }),
      await post('rk_open_0003', text, { secret: 'whsec-acme' }),
    ];
    expect(responses.map((response) => response.status)).toEqual([401, 401]);
    expect(await appointments()).toHaveLength(0);
  });

  it('answers an unknown route key with 404 without reading the body', async () => {
    const { post } = setUp();
    const response = await post('rk_nobody_999', body('PING', {}), { secret: 'whsec-acme' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'TENANT_UNKNOWN' });
  });

  it('chooses the secret per tenant by route key and records the booking under that tenant', async () => {
    const { post, appointments } = setUp();
    const text = body('BOOKING_CREATED', aBooking());
    expect((await post('rk_acme_0001', text, { secret: 'whsec-beta' })).status).toBe(401);
    expect((await post('rk_beta_0002', text, { secret: 'whsec-acme' })).status).toBe(401);
    expect((await post('rk_beta_0002', text, { secret: 'whsec-beta' })).status).toBe(200);
    expect(await appointments('beta')).toHaveLength(1);
    expect(await appointments('acme')).toHaveLength(0);
  });

  it('caches a resolved route until its TTL runs out', async () => {
    const { post, lookups, clock } = setUp();
    await post('rk_acme_0001', body('PING', {}));
    await post('rk_acme_0001', body('PING', {}));
    expect(lookups).toEqual(['rk_acme_0001']);
    await clock.advance(60_000);
    await post('rk_acme_0001', body('PING', {}));
    expect(lookups).toEqual(['rk_acme_0001', 'rk_acme_0001']);
  });

  it('answers 400 naming the field for a signed but malformed booking', async () => {
    const { post } = setUp();
    const text = JSON.stringify({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2026-01-05T08:00:00Z',
      payload: { uid: 'x' },
    });
    const response = await post('rk_acme_0001', text);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('payload.startTime');
  });
});

describe('createCalcomWebhookHandler: triggers', () => {
  it('BOOKING_CREATED imports an unknown booking as confirmed, origin calcom, without calling Cal.com', async () => {
    const { deliver, appointments, calendar } = setUp();
    const result = await deliver('BOOKING_CREATED', aBooking());
    expect(result).toMatchObject({ trigger: 'BOOKING_CREATED', action: 'imported', replayed: false });
    const [appointment, ...others] = await appointments();
    expect(others).toHaveLength(0);
    expect(appointment).toMatchObject({
      id: result.appointmentId,
      status: 'confirmed',
      origin: 'calcom',
      eventTypeId: '44',
      start: '2026-01-06T09:00:00.000Z',
      end: '2026-01-06T09:30:00.000Z',
      timeZone: 'Europe/Berlin',
      external: { calendarBookingUid: 'cal_A', calendarBookingId: '812' },
    });
    expect(calendar.calls('createBooking')).toBe(0);
  });

  it('BOOKING_CREATED for a known pending booking confirms it instead of importing a second one', async () => {
    const { deliver, appointments, kit } = setUp();
    const pending = anAppointment({
      tenantId: 'acme',
      eventTypeId: '44',
      resourceId: '44',
      start: '2026-01-06T09:00:00.000Z',
      end: '2026-01-06T09:30:00.000Z',
      status: 'pending',
      external: { calendarBookingUid: 'cal_A', calendarBookingId: '812', previousCalendarBookingUids: [] },
    });
    await kit.stores.appointments.insert(pending);
    const result = await deliver('BOOKING_CREATED', aBooking());
    expect(result).toMatchObject({ action: 'confirmed', appointmentId: pending.id });
    expect(await appointments()).toMatchObject([{ id: pending.id, status: 'confirmed', origin: 'calcom' }]);
  });

  it('BOOKING_REQUESTED imports an unknown booking as pending, not confirmed', async () => {
    const { deliver, appointments } = setUp();
    const result = await deliver(
      'BOOKING_REQUESTED',
      aBooking({ status: 'PENDING', requiresConfirmation: true }),
    );
    expect(result).toMatchObject({ action: 'imported' });
    expect(await appointments()).toMatchObject([
      { status: 'pending', external: { calendarBookingUid: 'cal_A' } },
    ]);
  });

  it('BOOKING_REQUESTED for a booking already recorded changes nothing', async () => {
    const { deliver, appointments } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    const result = await deliver('BOOKING_REQUESTED', aBooking({ status: 'PENDING' }));
    expect(result).toMatchObject({ action: 'unchanged' });
    expect(await appointments()).toHaveLength(1);
  });

  it('BOOKING_RESCHEDULED moves the appointment to the new time and uid, following the chain', async () => {
    const { deliver, appointments, calendar } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    const first = await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({
        uid: 'cal_B',
        bookingId: 813,
        ...LATER,
        rescheduleUid: 'cal_A',
        rescheduledBy: 'ana@example.com',
      }),
    );
    const second = await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({
        uid: 'cal_C',
        bookingId: 814,
        ...LATEST,
        rescheduleUid: 'cal_B',
        rescheduledBy: 'host@acme.example',
      }),
    );
    expect([first.action, second.action]).toEqual(['rescheduled', 'rescheduled']);
    expect(await appointments()).toMatchObject([
      {
        id: appointmentId,
        status: 'confirmed',
        origin: 'calcom',
        start: '2026-01-07T11:00:00.000Z',
        rescheduledBy: { type: 'staff' },
        external: { calendarBookingUid: 'cal_C', previousCalendarBookingUids: ['cal_A', 'cal_B'] },
      },
    ]);
    expect(calendar.calls('rescheduleBooking')).toBe(0);
  });

  it('BOOKING_RESCHEDULED of a booking not known imports the new booking', async () => {
    const { deliver, appointments } = setUp();
    const result = await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({ uid: 'cal_B', ...LATER, rescheduleUid: 'cal_unknown' }),
    );
    expect(result).toMatchObject({ action: 'imported' });
    expect(await appointments()).toMatchObject([
      {
        status: 'confirmed',
        external: { calendarBookingUid: 'cal_B' },
        metadata: { calcomRescheduledFromUid: 'cal_unknown' },
      },
    ]);
  });

  it('BOOKING_REQUESTED with rescheduleUid (a reschedule through the API) is the reschedule', async () => {
    const { deliver, appointments } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    const result = await deliver(
      'BOOKING_REQUESTED',
      aBooking({ uid: 'cal_B', ...LATER, rescheduleUid: 'cal_A' }),
    );
    expect(result).toMatchObject({ action: 'rescheduled', appointmentId });
    // Cal.com may send BOOKING_RESCHEDULED for the same move as well: it finds it done.
    const again = await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({ uid: 'cal_B', ...LATER, rescheduleUid: 'cal_A' }),
    );
    expect(again).toMatchObject({ action: 'unchanged', appointmentId });
    expect(await appointments()).toMatchObject([
      { id: appointmentId, start: '2026-01-06T11:00:00.000Z', external: { calendarBookingUid: 'cal_B' } },
    ]);
  });

  it("states calendar 'already_applied' on every command it sends: nothing goes back to Cal.com", async () => {
    const { deliver, calendarModes, calendar } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({
        uid: 'cal_B',
        bookingId: 813,
        ...LATER,
        rescheduleUid: 'cal_A',
        rescheduledBy: 'ana@example.com',
      }),
    );
    await deliver(
      'BOOKING_CANCELLED',
      aBooking({ uid: 'cal_B', bookingId: 813, ...LATER, status: 'CANCELLED' }),
    );
    expect(calendarModes).toEqual([
      ['book', 'already_applied'],
      ['reschedule', 'already_applied'],
      ['cancel', 'already_applied'],
    ]);
    for (const operation of ['createBooking', 'rescheduleBooking', 'cancelBooking'] as const)
      expect(calendar.calls(operation)).toBe(0);
  });

  it('BOOKING_CANCELLED cancels with the reason given in Cal.com, by the host', async () => {
    const { deliver, appointments, calendar } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    const result = await deliver(
      'BOOKING_CANCELLED',
      aBooking({
        status: 'CANCELLED',
        cancellationReason: 'Host is ill',
        cancelledBy: 'host@acme.example',
      }),
    );
    expect(result).toMatchObject({ action: 'cancelled', appointmentId });
    expect(await appointments()).toMatchObject([
      {
        status: 'cancelled',
        origin: 'calcom',
        cancellationReason: 'Host is ill',
        cancelledBy: { type: 'staff' },
      },
    ]);
    expect(calendar.calls('cancelBooking')).toBe(0);
  });

  it('BOOKING_CANCELLED with requestReschedule cancels and says a reschedule was requested', async () => {
    const { deliver, appointments } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    await deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED', requestReschedule: true }));
    expect(await appointments()).toMatchObject([
      { status: 'cancelled', cancellationReason: 'reschedule requested' },
    ]);
  });

  it('BOOKING_CANCELLED with requestReschedule records the flag with the appointment', async () => {
    const { deliver, appointments } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    await deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED', requestReschedule: true }));
    expect(await appointments()).toMatchObject([{ metadata: { requestReschedule: true } }]);
  });

  it('a reschedule after a requested reschedule books the new time as a new appointment', async () => {
    const { deliver, appointments } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    await deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED', requestReschedule: true }));
    const result = await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({ uid: 'cal_B', ...LATER, rescheduleUid: 'cal_A' }),
    );
    expect(result).toMatchObject({ action: 'imported' });
    const all = await appointments();
    expect(all.map((a) => [a.id === appointmentId, a.status])).toEqual([
      [true, 'cancelled'],
      [false, 'confirmed'],
    ]);
  });

  it('BOOKING_REJECTED cancels with the reason "rejected"', async () => {
    const { deliver, appointments } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    const result = await deliver('BOOKING_REJECTED', aBooking({ status: 'REJECTED' }));
    expect(result).toMatchObject({ action: 'cancelled', appointmentId });
    expect(await appointments()).toMatchObject([{ status: 'cancelled', cancellationReason: 'rejected' }]);
  });

  it('BOOKING_NO_SHOW_UPDATED marks a no-show, and noShow: false clears it', async () => {
    const { deliver, appointments, clock } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    await clock.advanceTo(Date.parse('2026-01-06T09:45:00Z'));
    const flag = (noShow: boolean) => ({
      message: 'updated',
      bookingUid: 'cal_A',
      bookingId: 812,
      attendees: [{ email: 'ana@example.com', noShow }],
    });
    expect(await deliver('BOOKING_NO_SHOW_UPDATED', flag(true))).toMatchObject({
      action: 'no_show_marked',
      appointmentId,
    });
    expect(await appointments()).toMatchObject([{ status: 'no_show', origin: 'calcom' }]);
    expect(await deliver('BOOKING_NO_SHOW_UPDATED', flag(false))).toMatchObject({
      action: 'no_show_cleared',
    });
    expect(await appointments()).toMatchObject([{ status: 'confirmed' }]);
  });

  it('BOOKING_NO_SHOW_UPDATED for a booking not known is ignored', async () => {
    const { deliver } = setUp();
    const result = await deliver('BOOKING_NO_SHOW_UPDATED', {
      bookingUid: 'cal_X',
      attendees: [{ email: 'a@b.c', noShow: true }],
    });
    expect(result).toMatchObject({ action: 'ignored', appointmentId: null });
  });

  it('MEETING_ENDED is acknowledged with its appointment and changes nothing', async () => {
    const { deliver, appointments } = setUp();
    const { appointmentId } = await deliver('BOOKING_CREATED', aBooking());
    const before = await appointments();
    const result = await deliver('MEETING_ENDED', aBooking());
    expect(result).toMatchObject({ trigger: 'MEETING_ENDED', action: 'acknowledged', appointmentId });
    expect(await appointments()).toEqual(before);
  });

  it('acknowledges other and unknown triggers and ignores them', async () => {
    const { deliver, appointments } = setUp();
    const results = [
      await deliver('BOOKING_PAID', aBooking({ paymentId: 5 })),
      await deliver('FORM_SUBMITTED', { formId: 'f1' }),
      await deliver('BOOKING_TELEPORTED', { uid: 'cal_A' }),
    ];
    expect(results.map((r) => r.action)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(await appointments()).toHaveLength(0);
  });
});

describe('createCalcomWebhookHandler: duplicates and reordering', () => {
  it('applies the same delivery once and replays its answer to the resend', async () => {
    const { deliver, appointments } = setUp();
    const first = await deliver('BOOKING_CREATED', aBooking());
    // A resend differs in details that are not the change (here the video link).
    const again = await deliver(
      'BOOKING_CREATED',
      aBooking({ metadata: { videoCallUrl: 'https://cal.video/new' } }),
    );
    expect(again).toEqual({ ...first, replayed: true });
    expect(await appointments()).toHaveLength(1);
  });

  it('applies two identical deliveries that arrive at once once', async () => {
    const { post, appointments, settle } = setUp();
    const text = body('BOOKING_CREATED', aBooking());
    const responses = await settle(Promise.all([post('rk_acme_0001', text), post('rk_acme_0001', text)]));
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const results = (await Promise.all(responses.map((response) => response.json()))) as {
      replayed: boolean;
    }[];
    expect(results.map((result) => result.replayed).sort()).toEqual([false, true]);
    expect(await appointments()).toHaveLength(1);
  });

  it('a duplicate cancellation cancels once', async () => {
    const { deliver, appointments } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    const cancel = aBooking({ status: 'CANCELLED', cancellationReason: 'No longer needed' });
    const first = await deliver('BOOKING_CANCELLED', cancel);
    const [cancelled] = await appointments();
    const again = await deliver('BOOKING_CANCELLED', cancel);
    expect([first, again].map((r) => [r.action, r.replayed])).toEqual([
      ['cancelled', false],
      ['cancelled', true],
    ]);
    expect(await appointments()).toEqual([cancelled]);
  });

  it('a cancellation that arrives before its creation keeps the booking from becoming active', async () => {
    const { deliver, appointments } = setUp();
    const early = await deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED' }));
    expect(early).toMatchObject({ action: 'tombstoned', appointmentId: null });
    const late = await deliver('BOOKING_CREATED', aBooking());
    expect(late).toMatchObject({ action: 'skipped' });
    expect((await appointments()).filter((a) => a.status === 'confirmed' || a.status === 'pending')).toEqual(
      [],
    );
  });

  it('a cancellation that arrives while its creation is being imported waits for it, then cancels it', async () => {
    let cancellation: Promise<Record<string, unknown>> | undefined;
    const setup = setUp({
      beforeBook: async () => {
        if (cancellation) return;
        cancellation = setup.deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED' }));
        // The cancellation looks, finds nothing yet, and waits for the import's hold on the uid.
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const result = await setup.settle(setup.deliver('BOOKING_CREATED', aBooking()));
    expect(result).toMatchObject({ action: 'imported' });
    expect(await setup.settle(cancellation!)).toMatchObject({ action: 'cancelled' });
    expect(await setup.appointments()).toMatchObject([
      { status: 'cancelled', external: { calendarBookingUid: 'cal_A' } },
    ]);
  });

  it('an import that holds its uid past the lock looks again, and a tombstone written meanwhile cancels it', async () => {
    let cancelFirst = true;
    const setup = setUp({
      beforeBook: async () => {
        if (!cancelFirst) return;
        cancelFirst = false;
        // The import's hold on the uid runs out (30 s); a cancellation then takes the uid over,
        // writes its tombstone and finds nothing yet.
        await setup.clock.advance(31_000);
        const early = await setup.deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED' }));
        expect(early).toMatchObject({ action: 'tombstoned' });
      },
    });
    const result = await setup.deliver('BOOKING_CREATED', aBooking());
    expect(result).toMatchObject({ action: 'skipped' });
    expect(await setup.appointments()).toMatchObject([
      { status: 'cancelled', external: { calendarBookingUid: 'cal_A' } },
    ]);
  });

  it('an import that completes while a cancellation writes its tombstone is cancelled by it', async () => {
    let importFirst = true;
    const setup = setUp({
      afterLookup: async () => {
        if (!importFirst) return;
        importFirst = false;
        // The cancellation has looked and found nothing; the creation is recorded meanwhile.
        const created = await setup.deliver('BOOKING_CREATED', aBooking());
        expect(created).toMatchObject({ action: 'imported' });
      },
    });
    const result = await setup.deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED' }));
    expect(result).toMatchObject({ action: 'cancelled' });
    expect(await setup.appointments()).toMatchObject([{ status: 'cancelled' }]);
  });

  it('a cancellation of a new uid that arrives before its reschedule leaves the appointment cancelled', async () => {
    const { deliver, appointments } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    await deliver('BOOKING_CANCELLED', aBooking({ uid: 'cal_B', ...LATER, status: 'CANCELLED' }));
    const result = await deliver(
      'BOOKING_RESCHEDULED',
      aBooking({ uid: 'cal_B', ...LATER, rescheduleUid: 'cal_A' }),
    );
    expect(result).toMatchObject({ action: 'cancelled' });
    expect(await appointments()).toMatchObject([
      { status: 'cancelled', external: { calendarBookingUid: 'cal_B' } },
    ]);
  });

  it('a late delivery about an uid the appointment has moved on from changes nothing', async () => {
    const { deliver, appointments } = setUp();
    await deliver('BOOKING_CREATED', aBooking());
    await deliver('BOOKING_RESCHEDULED', aBooking({ uid: 'cal_B', ...LATER, rescheduleUid: 'cal_A' }));
    const stale = await deliver('BOOKING_CANCELLED', aBooking({ status: 'CANCELLED' }));
    expect(stale).toMatchObject({ action: 'unchanged' });
    expect(await appointments()).toMatchObject([
      { status: 'confirmed', external: { calendarBookingUid: 'cal_B' } },
    ]);
  });
});

describe('createCalcomWebhookHandler: bookings bookingkit made', () => {
  async function bookOurselves(setup: ReturnType<typeof setUp>) {
    const { appointment } = await setup.kit.service.book({
      tenantId: 'acme',
      origin: 'voice',
      actor: { type: 'agent', id: 'agent-1' },
      idempotencyKey: 'call-1:book',
      eventTypeId: 'consult',
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-06T09:30:00Z',
      timeZone: 'Europe/Berlin',
      customer: { name: 'Ana Example', email: 'ana@example.com' },
    });
    const uid = appointment.external.calendarBookingUid ?? '';
    const ours = (overrides: object = {}) =>
      aBooking({ uid, metadata: { [APPOINTMENT_TAG]: appointment.id }, ...overrides });
    return { appointment, uid, ours };
  }

  it('BOOKING_CREATED for our own booking creates no second appointment and calls Cal.com no more', async () => {
    const setup = setUp();
    const { appointment, ours } = await bookOurselves(setup);
    expect(setup.calendar.calls('createBooking')).toBe(1);
    const result = await setup.deliver('BOOKING_CREATED', ours());
    expect(result).toMatchObject({ action: 'unchanged', appointmentId: appointment.id });
    expect(await setup.appointments()).toMatchObject([
      { id: appointment.id, status: 'confirmed', version: appointment.version },
    ]);
    expect(setup.calendar.calls('createBooking')).toBe(1);
  });

  it('BOOKING_CREATED for our own booking whose create is still being recorded waits for the booking flow', async () => {
    const setup = setUp();
    const { appointment, ours } = await bookOurselves(setup);
    // As the booking flow left it before its confirm step: pending, no Cal.com uid yet.
    const inFlight = anAppointment({
      id: 'apt-in-flight',
      tenantId: 'acme',
      eventTypeId: 'consult',
      resourceId: 'consult',
      ...{ start: '2026-01-06T12:00:00.000Z', end: '2026-01-06T12:30:00.000Z' },
      status: 'pending',
    });
    await setup.kit.stores.appointments.insert(inFlight);
    const result = await setup.deliver(
      'BOOKING_CREATED',
      ours({ uid: 'cal_new', metadata: { [APPOINTMENT_TAG]: inFlight.id } }),
    );
    expect(result).toMatchObject({ action: 'unchanged', appointmentId: inFlight.id });
    expect(await setup.kit.stores.appointments.get('acme', inFlight.id)).toMatchObject({
      status: 'pending',
      version: 1,
    });
    expect(await setup.appointments()).toHaveLength(2);
    expect(appointment.status).toBe('confirmed');
  });

  it('a cancellation made in Cal.com of our booking cancels it locally without echoing back', async () => {
    const setup = setUp();
    const { appointment, ours } = await bookOurselves(setup);
    const result = await setup.deliver(
      'BOOKING_CANCELLED',
      ours({ status: 'CANCELLED', cancelledBy: 'ana@example.com' }),
    );
    expect(result).toMatchObject({ action: 'cancelled', appointmentId: appointment.id });
    expect(await setup.appointments()).toMatchObject([
      { id: appointment.id, status: 'cancelled', origin: 'calcom', cancelledBy: { type: 'customer' } },
    ]);
    expect(setup.calendar.calls('cancelBooking')).toBe(0);
  });

  it('a reschedule made in Cal.com of our booking moves it locally without echoing back', async () => {
    const setup = setUp();
    const { appointment, uid, ours } = await bookOurselves(setup);
    const result = await setup.deliver(
      'BOOKING_RESCHEDULED',
      ours({ uid: 'cal_moved', ...LATER, rescheduleUid: uid }),
    );
    expect(result).toMatchObject({ action: 'rescheduled', appointmentId: appointment.id });
    expect(await setup.appointments()).toMatchObject([
      {
        id: appointment.id,
        start: '2026-01-06T11:00:00.000Z',
        external: { calendarBookingUid: 'cal_moved', previousCalendarBookingUids: [uid] },
      },
    ]);
    expect(setup.calendar.calls('rescheduleBooking')).toBe(0);
    expect(setup.calendar.calls('cancelBooking')).toBe(0);
  });

  it('the webhook of a reschedule we made ourselves finds it done', async () => {
    const setup = setUp();
    const { appointment, uid, ours } = await bookOurselves(setup);
    const moved = await setup.kit.service.reschedule({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: 'move-1',
      target: { appointmentId: appointment.id },
      start: '2026-01-06T11:00:00Z',
      end: '2026-01-06T11:30:00Z',
    });
    const newUid = moved.appointment.external.calendarBookingUid ?? '';
    expect(setup.calendar.calls('rescheduleBooking')).toBe(1);
    const result = await setup.deliver(
      'BOOKING_RESCHEDULED',
      ours({ uid: newUid, ...LATER, rescheduleUid: uid }),
    );
    expect(result).toMatchObject({ action: 'unchanged', appointmentId: appointment.id });
    expect(setup.calendar.calls('rescheduleBooking')).toBe(1);
    expect(await setup.appointments()).toHaveLength(1);
  });
});
