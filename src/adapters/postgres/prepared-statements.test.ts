import { describe, expect, it } from 'vitest';
import { idempotencyStore } from './postgres-idempotency-store.js';
import { outboxStore } from './postgres-outbox-store.js';
import { sagaStore } from './postgres-saga-store.js';
import type { SqlClient } from './sql-client.js';
import { createSqlContext } from './sql-context.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import type { SagaRecord } from '../../saga/saga-store.js';

/** A client that answers every write as done (and every claim as new), recording what it was sent. */
function recording() {
  const sent: { verb: string; prepare: boolean }[] = [];
  const sql: SqlClient = {
    query: async (text, _params, options) => {
      sent.push({ verb: /^\s*(\w+)/.exec(text)?.[1] ?? text, prepare: options?.prepare === true });
      return { rows: [], rowCount: 1 };
    },
    transaction: (fn) => fn(sql),
  };
  return { context: createSqlContext({ sql }, 'test'), sent };
}

const saga: SagaRecord = {
  id: 'saga-1',
  tenantId: 't',
  name: 'book',
  state: 'running',
  input: { a: 1 },
  steps: [],
  failedStep: null,
  error: null,
  leaseOwner: 'me',
  leaseExpiresAt: 2,
  recoveries: 0,
  version: 1,
  createdAt: 1,
  updatedAt: 1,
};

describe('the fixed statements of a book are marked for the client to prepare', () => {
  it('saga store: create and save', async () => {
    const { context, sent } = recording();
    const store = sagaStore(context);
    await store.create(saga);
    await store.save({ ...saga, state: 'completed' }, { owner: 'me' });
    expect(sent).toEqual([
      { verb: 'INSERT', prepare: true },
      { verb: 'UPDATE', prepare: true },
    ]);
  });

  it('outbox store: an append of one message and of several', async () => {
    const { context, sent } = recording();
    const store = outboxStore(context, createFakeClock());
    const message = {
      tenantId: 't',
      eventId: 'e1',
      eventType: 'x.y',
      listener: 'l',
      orderingKey: 'k',
      payload: '{}',
      availableAt: 0,
    };
    await store.append([message]);
    await store.append([message, { ...message, eventId: 'e2' }]);
    expect(sent).toEqual([
      { verb: 'INSERT', prepare: true },
      { verb: 'INSERT', prepare: true },
    ]);
  });

  it('idempotency store: the claim of a new key and its completion', async () => {
    const { context, sent } = recording();
    const store = idempotencyStore(context);
    const scope = { tenantId: 't', key: 'k' };
    const claim = await store.begin(scope, { fingerprint: 'f', now: 1, lockTtlMs: 10, ttlMs: 100 });
    expect(claim.status).toBe('new');
    await store.complete(scope, { token: claim.status === 'new' ? claim.token : '', result: 1, now: 2 });
    expect(sent).toEqual([
      { verb: 'INSERT', prepare: true },
      { verb: 'UPDATE', prepare: true },
    ]);
  });
});
