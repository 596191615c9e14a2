import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore } from '../../src/adapters/memory/memory-idempotency-store.js';
import { createBookingApi } from '../../src/http/api/booking-api.js';
import type { IdempotencyStore } from '../../src/idempotency/idempotency-store.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import type { Logger } from '../../src/ports/logger.js';
import { isBulkheadRejectedError } from '../../src/resilience/errors.js';
import { hashApiKey } from '../../src/tenancy/api-key.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { calendarGate } from '../support/calendar-gate.js';

const KEY = 'sk_test_acme_0123456789';
const weekday = [{ start: '09:00', end: '17:00' }];

/** The idempotency store's writes, by the scope key they touched. */
function recordingStore(): { store: IdempotencyStore; writes: string[] } {
  const inner = createMemoryIdempotencyStore();
  const writes: string[] = [];
  const store: IdempotencyStore = {
    begin: (scope, options) => (writes.push(`begin ${scope.key}`), inner.begin(scope, options)),
    complete: (scope, options) => (writes.push(`complete ${scope.key}`), inner.complete(scope, options)),
    release: (scope, options) => (writes.push(`release ${scope.key}`), inner.release(scope, options)),
  };
  return { store, writes };
}

/** The `index`-th free half hour from Tuesday 2026-01-06 (Berlin 09:00-17:00). */
function slot(index: number): { start: string; end: string } {
  const day = ['06', '07', '08'][Math.floor(index / 16)];
  const start = Date.parse(`2026-01-${day}T08:00:00.000Z`) + (index % 16) * 30 * 60_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString() };
}

/** Lets pending work run (memory stores: a few turns of the event loop). */
const pause = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger that keeps each record's level, fields and message. */
function recordingLogger(): {
  logger: Logger;
  records: { level: string; fields: object; message: string }[];
} {
  const records: { level: string; fields: object; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: object | string, message = ''): void =>
      void records.push(
        typeof fields === 'string' ? { level, fields: {}, message: fields } : { level, fields, message },
      );
  return {
    records,
    logger: {
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    },
  };
}

function world(admission: { maxConcurrent: number; maxQueue: number; retryAfterMs?: number }) {
  const gate = calendarGate();
  const { store, writes } = recordingStore();
  const kit = createBookingKit({
    clock: createFakeClock('2026-01-05T08:00:00.000Z'),
    tenants: [{ id: 'acme', timeZone: 'Europe/Berlin', apiKeyHashes: [hashApiKey(KEY)] }],
    eventTypes: [
      {
        tenantId: 'acme',
        id: 'consult',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: { tuesday: weekday, wednesday: weekday, thursday: weekday },
      },
    ],
    idempotency: store,
    calendarPolicy: gate.policy,
    admission,
  });
  const { logger, records } = recordingLogger();
  const api = createBookingApi({ ...kit, logger });
  const post = (key: string, index: number): Promise<Response> =>
    api.handle(
      new Request('http://localhost/api/appointments', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({
          eventTypeId: 'consult',
          ...slot(index),
          timeZone: 'Europe/Berlin',
          customer: { name: `Caller ${index}`, email: `caller-${index}@example.com` },
        }),
      }),
    );
  return {
    kit,
    api,
    gate,
    writes,
    records,
    post,
    /** Books once with the calendar open (its event types are then cached), then closes the gate. */
    async warmUp(): Promise<void> {
      expect((await post('warm-up', 47)).status).toBe(201);
      writes.length = 0;
      gate.close();
    },
  };
}

describe('createBookingApi under admission control', () => {
  it('refuses a POST with 503 and Retry-After while the service is saturated, writing nothing', async () => {
    const w = world({ maxConcurrent: 1, maxQueue: 0, retryAfterMs: 2_000 });
    await w.warmUp();
    const running = w.post('first', 0);
    await expect.poll(() => w.gate.held.length).toBe(1);
    const before = [...w.writes];
    const refused = await w.post('second', 1);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(((await refused.json()) as { status: number }).status).toBe(503);
    expect(w.writes).toEqual(before);
    w.gate.open();
    expect((await running).status).toBe(201);
  });

  it('refuses while saturated before reading the body: the stream is never pulled', async () => {
    const w = world({ maxConcurrent: 1, maxQueue: 0 });
    await w.warmUp();
    const running = w.post('first', 0);
    await expect.poll(() => w.gate.held.length).toBe(1);
    let pulled = false;
    // Pulled only when read (no chunk is buffered ahead).
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode('{}'));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const refused = await w.api.handle(
      new Request('http://localhost/api/appointments', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'idempotency-key': 'k',
        },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(pulled).toBe(false);
    w.gate.open();
    await running;
  });

  it('logs an overload refusal as a refusal (warn, code and status), not as a failure with its stack', async () => {
    const w = world({ maxConcurrent: 1, maxQueue: 0 });
    await w.warmUp();
    const running = w.post('first', 0);
    await expect.poll(() => w.gate.held.length).toBe(1);
    w.records.length = 0;
    expect((await w.post('second', 1)).status).toBe(503);
    expect(w.records).toEqual([
      {
        level: 'warn',
        fields: expect.objectContaining({ code: 'BULKHEAD_REJECTED', status: 503 }) as object,
        message: 'API request refused',
      },
    ]);
    expect(w.records[0]?.fields).not.toHaveProperty('err');
    w.gate.open();
    await running;
  });

  it('lets the refused key run later as a new request: a 503 is never its stored answer', async () => {
    const w = world({ maxConcurrent: 1, maxQueue: 0 });
    await w.warmUp();
    const running = w.post('first', 0);
    await expect.poll(() => w.gate.held.length).toBe(1);
    expect((await w.post('second', 1)).status).toBe(503);
    w.gate.open();
    await running;
    const again = await w.post('second', 1);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers a burst beyond running + queued at once: only the admitted requests claim their key', async () => {
    const w = world({ maxConcurrent: 2, maxQueue: 2 });
    await w.warmUp();
    const answers = Array.from({ length: 10 }, (_, i) => w.post(`burst-${i}`, i));
    await expect.poll(() => w.gate.held.length).toBe(2);
    await pause();
    w.gate.open();
    const statuses = (await Promise.all(answers)).map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(statuses.filter((status) => status === 503)).toHaveLength(6);
    // Each admitted request claims its HTTP key and its command's key once, and answers both.
    expect(w.writes.filter((write) => write.startsWith('begin http:'))).toHaveLength(4);
    expect(w.writes.filter((write) => write.startsWith('release'))).toEqual([]);
  });

  it('shares the service’s slots: an admitted request’s command runs in its own slot, not a second one', async () => {
    const w = world({ maxConcurrent: 1, maxQueue: 1 });
    await w.warmUp();
    const first = w.post('first', 0);
    const queued = w.post('queued', 1);
    await expect.poll(() => w.gate.held.length).toBe(1);
    await pause();
    // A command from elsewhere (a voice agent) meets the same full admission.
    const direct = await Promise.allSettled([
      w.kit.service.book({
        tenantId: 'acme',
        origin: 'voice',
        actor: { type: 'agent', id: 'agent-1' },
        idempotencyKey: 'voice-1',
        eventTypeId: 'consult',
        ...slot(2),
        timeZone: 'Europe/Berlin',
        customer: { name: 'Ana Example', phone: '+4930123456' },
      }),
    ]);
    expect(direct[0]?.status === 'rejected' && isBulkheadRejectedError(direct[0].reason)).toBe(true);
    w.gate.open();
    expect((await first).status).toBe(201);
    expect((await queued).status).toBe(201);
  });
});
