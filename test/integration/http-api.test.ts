import { describe, expect, it } from 'vitest';
import { ACME_KEY, GLOBEX_KEY, SLOT, apiWorld, bookBody } from './http-api-support.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  issues?: { path: string; message: string }[];
  alternatives?: { start: string; end: string }[];
}

const problemOf = async (response: Response): Promise<Problem> => {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as Problem;
};

describe('createBookingApi: availability', () => {
  it('answers the free slots of an event type between two instants', async () => {
    const world = apiWorld();
    const response = await world.call(
      'GET',
      '/api/availability?eventTypeId=consult&start=2026-01-06T08:00:00Z&end=2026-01-06T10:00:00Z',
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { slots: { start: string }[]; timeZone: string };
    expect(body.timeZone).toBe('Europe/Berlin');
    expect(body.slots.map((slot) => slot.start)).toEqual([
      '2026-01-06T08:00:00.000Z',
      '2026-01-06T08:30:00.000Z',
      '2026-01-06T09:00:00.000Z',
      '2026-01-06T09:30:00.000Z',
    ]);
  });

  it('reads plain dates as whole days in the given time zone, and leaves out booked slots', async () => {
    const world = apiWorld();
    await world.book(SLOT);
    const response = await world.call(
      'GET',
      '/api/availability?eventTypeId=consult&start=2026-01-06&end=2026-01-06&timeZone=Europe/Berlin',
    );
    const body = (await response.json()) as { start: string; end: string; slots: { start: string }[] };
    expect(body.start).toBe('2026-01-05T23:00:00.000Z');
    expect(body.end).toBe('2026-01-06T23:00:00.000Z');
    expect(body.slots).toHaveLength(15); // 09:00-17:00 Berlin in 30 minutes, less the booked one
    expect(body.slots.map((slot) => slot.start)).not.toContain(SLOT.start);
  });

  it('names each bad query parameter', async () => {
    const world = apiWorld();
    const response = await world.call(
      'GET',
      '/api/availability?start=yesterday&end=2026-01-06&timeZone=Mars/Base',
    );
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('VALIDATION');
    expect(problem.issues?.map((issue) => issue.path).sort()).toEqual(['eventTypeId', 'timeZone']);
    const second = await world.call(
      'GET',
      '/api/availability?eventTypeId=consult&start=yesterday&end=2026-01-06',
    );
    expect((await problemOf(second)).issues).toEqual([
      { path: 'start', message: expect.stringContaining('yesterday') },
    ]);
  });
});

describe('createBookingApi: appointments', () => {
  it('books with 201, a Location and the appointment, as origin api with the key as actor', async () => {
    const world = apiWorld();
    const response = await world.call('POST', '/api/appointments', {
      body: bookBody(),
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { appointment: Record<string, unknown>; calendar: string };
    expect(body.calendar).toBe('synced');
    expect(body.appointment).toMatchObject({ status: 'confirmed', origin: 'api', tenantId: 'acme', ...SLOT });
    expect(body.appointment.createdBy).toEqual({
      type: 'staff',
      id: expect.stringMatching(/^api-key:[0-9a-f]{12}$/),
    });
    expect(body.appointment.idempotencyKey).toBe('k-1');
    expect(response.headers.get('location')).toBe(`/api/appointments/${String(body.appointment.id)}`);
  });

  it('reads one appointment, and pages through a filtered listing with the cursor', async () => {
    const world = apiWorld();
    const ids = [
      await world.book({ start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' }),
      await world.book({ start: '2026-01-06T10:00:00.000Z', end: '2026-01-06T10:30:00.000Z' }),
      await world.book({ start: '2026-01-07T10:00:00.000Z', end: '2026-01-07T10:30:00.000Z' }),
    ];
    const one = await world.call('GET', `/api/appointments/${ids[1]}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { id: string }).id).toBe(ids[1]);

    const cancel = await world.call('POST', `/api/appointments/${ids[0]}/cancel`, {
      headers: { 'idempotency-key': 'c-1' },
    });
    expect(cancel.status).toBe(200);

    const seen: string[] = [];
    let path = '/api/appointments?status=confirmed&from=2026-01-05T00:00:00Z&to=2026-01-10T00:00:00Z&limit=1';
    for (let page = 0; page < 5; page += 1) {
      const response = await world.call('GET', path);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((item) => item.id));
      if (!body.nextCursor) break;
      path = `/api/appointments?status=confirmed&from=2026-01-05T00:00:00Z&to=2026-01-10T00:00:00Z&limit=1&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual([ids[1], ids[2]]);
  });

  it('reschedules and cancels, each under its own Idempotency-Key', async () => {
    const world = apiWorld();
    const id = await world.book();
    const moved = await world.call('POST', `/api/appointments/${id}/reschedule`, {
      body: { start: '2026-01-06T12:00:00Z', end: '2026-01-06T12:30:00Z', reason: 'dentist' },
      headers: { 'idempotency-key': 'r-1' },
    });
    expect(moved.status).toBe(200);
    const rescheduled = (await moved.json()) as { appointment: { start: string; rescheduledBy: unknown } };
    expect(rescheduled.appointment.start).toBe('2026-01-06T12:00:00.000Z');
    expect(rescheduled.appointment.rescheduledBy).toMatchObject({ type: 'staff' });

    const cancelled = await world.call('POST', `/api/appointments/${id}/cancel`, {
      body: { reason: 'ill' },
      headers: { 'idempotency-key': 'c-1' },
    });
    expect(cancelled.status).toBe(200);
    expect(
      ((await cancelled.json()) as { appointment: { status: string; cancellationReason: string } })
        .appointment,
    ).toMatchObject({ status: 'cancelled', cancellationReason: 'ill' });
  });

  it('answers a slot conflict with 409 and its alternatives', async () => {
    const world = apiWorld();
    await world.book(SLOT);
    const response = await world.call('POST', '/api/appointments', {
      body: bookBody(SLOT),
      headers: { 'idempotency-key': 'k-2' },
    });
    expect(response.status).toBe(409);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      code: 'SLOT_CONFLICT',
    });
    expect(problem.alternatives?.length).toBeGreaterThan(0);
    expect(problem.alternatives?.[0]).toEqual({ start: expect.any(String), end: expect.any(String) });
  });

  it('names each bad body field, and refuses fields the API does not take', async () => {
    const world = apiWorld();
    const response = await world.call('POST', '/api/appointments', {
      body: { ...bookBody(), start: '2026-01-06T09:00:00', customer: { name: 'Ana' }, origin: 'calcom' },
      headers: { 'idempotency-key': 'k-3' },
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    const paths = problem.issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['start', 'customer.email', '']));
    expect(problem.issues?.find((issue) => issue.path === 'start')?.message).toMatch(/Missing time zone/);
    expect(problem.issues?.find((issue) => issue.path === '')?.message).toMatch(/origin/);
  });

  it('refuses a body that is not JSON, and one of another content type', async () => {
    const world = apiWorld();
    const broken = await world.call('POST', '/api/appointments', {
      body: '{"eventTypeId":',
      headers: { 'idempotency-key': 'k-4' },
    });
    expect(broken.status).toBe(400);
    expect((await problemOf(broken)).issues).toEqual([{ path: '', message: 'Body is not valid JSON' }]);
    const form = await world.call('POST', '/api/appointments', {
      body: 'a=1',
      headers: { 'idempotency-key': 'k-4', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(400);
    expect((await problemOf(form)).issues?.[0]?.path).toBe('content-type');
  });

  it('refuses a body over the limit with 413 before booking anything', async () => {
    const world = apiWorld({ limitBytes: 1_024 });
    const response = await world.call('POST', '/api/appointments', {
      body: { ...bookBody(), metadata: { note: 'x'.repeat(2_000) } },
      headers: { 'idempotency-key': 'k-5' },
    });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
    const page = await world.kit.stores.appointments.list('acme');
    expect(page.items).toEqual([]);
  });

  it('answers an unknown route with 404 and a method the route does not serve with 405 and Allow', async () => {
    const world = apiWorld();
    const missing = await world.call('GET', '/api/nothing');
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).title).toBe('Not Found');
    const wrong = await world.call('DELETE', '/api/appointments/abc');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('sets the security headers on every answer, failures included', async () => {
    const world = apiWorld();
    for (const response of [
      await world.call('GET', '/api/appointments'),
      await world.call('GET', '/api/appointments', { key: null }),
      await world.call('GET', '/api/nowhere'),
    ]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('serves under another base path', async () => {
    const world = apiWorld({ basePath: '/v1/' });
    expect(world.api.basePath).toBe('/v1');
    expect((await world.call('GET', '/v1/appointments')).status).toBe(200);
    expect((await world.call('GET', '/api/appointments')).status).toBe(404);
  });
});

describe('createBookingApi: authentication and tenants', () => {
  it('answers 401 with WWW-Authenticate for a missing, malformed or unknown key, with one message', async () => {
    const world = apiWorld();
    const details = new Set<string>();
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer sk_nobody' }]) {
      const response = await world.call('GET', '/api/appointments', { key: null, headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const problem = await problemOf(response);
      expect(problem.code).toBe('AUTHENTICATION_FAILED');
      details.add(problem.detail);
    }
    expect(details.size).toBe(1);
  });

  it('answers 403 for a suspended tenant', async () => {
    const world = apiWorld();
    const response = await world.call('GET', '/api/appointments', { key: 'sk_test_initech_0123' });
    expect(response.status).toBe(403);
    expect((await problemOf(response)).code).toBe('TENANT_SUSPENDED');
  });

  it("never lets one tenant's key reach another tenant's appointment: 404, as for a missing one", async () => {
    const world = apiWorld();
    const id = await world.book();
    const asGlobex = { key: GLOBEX_KEY };
    const read = await world.call('GET', `/api/appointments/${id}`, asGlobex);
    const missing = await world.call('GET', '/api/appointments/no-such-id', asGlobex);
    expect(read.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await problemOf(read)).code).toBe('NOT_FOUND');

    const reschedule = await world.call('POST', `/api/appointments/${id}/reschedule`, {
      ...asGlobex,
      body: { start: '2026-01-06T12:00:00Z', end: '2026-01-06T12:30:00Z' },
      headers: { 'idempotency-key': 'x-1' },
    });
    expect(reschedule.status).toBe(404);
    const cancel = await world.call('POST', `/api/appointments/${id}/cancel`, {
      ...asGlobex,
      headers: { 'idempotency-key': 'x-2' },
    });
    expect(cancel.status).toBe(404);

    const list = await world.call('GET', '/api/appointments', asGlobex);
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    // Globex's availability is its own calendar: acme's booking does not take its slot.
    const slots = await world.call(
      'GET',
      `/api/availability?eventTypeId=consult&start=${SLOT.start}&end=${SLOT.end}`,
      asGlobex,
    );
    expect(((await slots.json()) as { slots: unknown[] }).slots).toHaveLength(1);

    const stillThere = await world.call('GET', `/api/appointments/${id}`, { key: ACME_KEY });
    expect(((await stillThere.json()) as { status: string }).status).toBe('confirmed');
  });

  it('asks for the API key on every route', async () => {
    const world = apiWorld();
    const id = await world.book();
    const routes: [string, string][] = [
      ['GET', '/api/availability?eventTypeId=consult&start=2026-01-06&end=2026-01-06'],
      ['POST', '/api/appointments'],
      ['GET', '/api/appointments'],
      ['GET', `/api/appointments/${id}`],
      ['POST', `/api/appointments/${id}/reschedule`],
      ['POST', `/api/appointments/${id}/cancel`],
    ];
    for (const [method, path] of routes) {
      const response = await world.call(method, path, {
        key: null,
        body: method === 'POST' ? bookBody() : undefined,
        headers: { 'idempotency-key': 'a-1' },
      });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('createBookingApi: options', () => {
  it('names the factory and the option for a missing part or a bad base path', async () => {
    const { createBookingApi } = await import('../../src/http/api/booking-api.js');
    const { kit } = apiWorld();
    expect(() => createBookingApi({ ...kit, service: undefined as never })).toThrow(
      /createBookingApi.*service/s,
    );
    expect(() => createBookingApi({ ...kit, basePath: 'api' })).toThrow(/basePath/);
  });

  it('answers a path segment that does not decode with 404', async () => {
    const world = apiWorld();
    expect((await world.call('GET', '/api/appointments/%E0%A4%A')).status).toBe(404);
  });
});
