import { describe, expect, it } from 'vitest';
import { GLOBEX_KEY, SLOT, apiWorld, bookBody } from './http-api-support.js';

const post = (key: string, body: unknown = bookBody()) => ({ body, headers: { 'idempotency-key': key } });

describe('createBookingApi: Idempotency-Key', () => {
  it('replays the stored status, headers and body of a repeated request, marked Idempotent-Replayed', async () => {
    const world = apiWorld();
    const first = await world.call('POST', '/api/appointments', post('same'));
    const firstBody = await first.text();
    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(bookBody()).reverse());
    const again = await world.call('POST', '/api/appointments', post('same', reordered));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('content-type')).toBe('application/json');
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await again.text()).toBe(firstBody);
    expect((await world.kit.stores.appointments.list('acme')).items).toHaveLength(1);
  });

  it('answers 422 for the same key with a different body', async () => {
    const world = apiWorld();
    await world.call('POST', '/api/appointments', post('k'));
    const other = await world.call(
      'POST',
      '/api/appointments',
      post('k', bookBody({ start: '2026-01-06T11:00:00Z', end: '2026-01-06T11:30:00Z' })),
    );
    expect(other.status).toBe(422);
    const problem = (await other.json()) as { code: string; detail: string };
    expect(problem.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(problem.detail).toContain('"k"');
  });

  it('scopes keys by tenant and by path: the same key elsewhere is a new request', async () => {
    const world = apiWorld();
    const acme = await world.call('POST', '/api/appointments', post('shared'));
    const globex = await world.call('POST', '/api/appointments', { ...post('shared'), key: GLOBEX_KEY });
    expect(acme.status).toBe(201);
    expect(globex.status).toBe(201);
    expect(globex.headers.get('idempotent-replayed')).toBeNull();
    const acmeId = ((await acme.json()) as { appointment: { id: string } }).appointment.id;
    const cancel = await world.call('POST', `/api/appointments/${acmeId}/cancel`, {
      headers: { 'idempotency-key': 'c' },
    });
    const replay = await world.call('POST', `/api/appointments/${acmeId}/cancel`, {
      headers: { 'idempotency-key': 'c' },
    });
    expect(cancel.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('stores no failure: a request refused for a slot conflict runs again with its key once the slot is free', async () => {
    const world = apiWorld();
    const blocker = await world.book(SLOT, 'blocker');
    const refused = await world.call('POST', '/api/appointments', post('retry-me'));
    expect(refused.status).toBe(409);
    await world.call('POST', `/api/appointments/${blocker}/cancel`, {
      headers: { 'idempotency-key': 'free-it' },
    });
    const retried = await world.call('POST', '/api/appointments', post('retry-me'));
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('requires a well-formed Idempotency-Key on every POST, naming the header', async () => {
    const world = apiWorld();
    const id = await world.book();
    for (const path of [
      '/api/appointments',
      `/api/appointments/${id}/reschedule`,
      `/api/appointments/${id}/cancel`,
    ]) {
      const response = await world.call('POST', path, { body: bookBody() });
      expect(response.status, path).toBe(400);
      const problem = (await response.json()) as { issues: { path: string }[] };
      expect(problem.issues[0]?.path).toBe('Idempotency-Key');
    }
    const spaced = await world.call('POST', '/api/appointments', post('has space'));
    expect(spaced.status).toBe(400);
    const quoted = await world.call(
      'POST',
      '/api/appointments',
      post('"quoted-key"', bookBody({ start: '2026-01-07T09:00:00Z', end: '2026-01-07T09:30:00Z' })),
    );
    expect(quoted.status).toBe(201);
    const body = (await quoted.json()) as { appointment: { idempotencyKey: string } };
    expect(body.appointment.idempotencyKey).toBe('quoted-key');
  });

  it('answers 409 with Retry-After for a key still in flight once the brief wait is over', async () => {
    const world = apiWorld({ idempotencyWaitMs: 0 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const book = world.kit.service.book;
    // Hold the first request inside the service until the duplicate has been answered.
    Object.assign(world.kit.service, {
      book: async (...args: Parameters<typeof book>) => {
        await gate;
        return book(...args);
      },
    });
    const first = world.call('POST', '/api/appointments', post('slow'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const duplicate = await world.call('POST', '/api/appointments', post('slow'));
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as { code: string }).code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(Number(duplicate.headers.get('retry-after'))).toBeGreaterThan(0);
    release();
    expect((await first).status).toBe(201);
    const after = await world.call('POST', '/api/appointments', post('slow'));
    expect(after.headers.get('idempotent-replayed')).toBe('true');
  });

  it('lets a duplicate in flight wait for the first answer and replay it', async () => {
    const world = apiWorld({ idempotencyWaitMs: 5_000 });
    const first = world.call('POST', '/api/appointments', post('twin'));
    const second = world.call('POST', '/api/appointments', post('twin'));
    // The duplicate polls on the kit's fake clock: move it along until both have answered.
    let settled = false;
    const both = Promise.all([first, second]).finally(() => (settled = true));
    while (!settled) {
      await world.clock.advance(50);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const [a, b] = await both;
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].sort()).toEqual([
      null,
      'true',
    ]);
    expect((await world.kit.stores.appointments.list('acme')).items).toHaveLength(1);
  });
});
