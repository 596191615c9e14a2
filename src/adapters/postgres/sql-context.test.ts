import { describe, expect, it } from 'vitest';
import { createSqlContext, openTransactionScope } from './sql-context.js';
import type { SqlClient } from './sql-client.js';

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
const exclusion = Object.assign(new Error('conflicting key value violates exclusion constraint'), {
  code: '23P01',
});

function recordingClient(): SqlClient & { readonly statements: string[] } {
  const statements: string[] = [];
  const client: SqlClient & { readonly statements: string[] } = {
    statements,
    query: async <Row>(text: string) => {
      statements.push(text);
      return { rows: [] as Row[], rowCount: 0 };
    },
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>) => fn(client),
  };
  return client;
}

function failingTimes(times: number, error: Error, result = 'written') {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    write: async () => {
      calls += 1;
      if (calls <= times) throw error;
      return result;
    },
  };
}

describe('guarded Postgres writes', () => {
  it('tries a write again after it lost a deadlock, outside a transaction', async () => {
    const context = createSqlContext({ sql: recordingClient() }, 'test');
    const write = failingTimes(2, deadlock);
    await expect(context.guard(write.write, async (error) => error)).resolves.toBe('written');
    expect(write.calls).toBe(3);
  });

  it('gives up after five deadlocks and translates the last error', async () => {
    const context = createSqlContext({ sql: recordingClient() }, 'test');
    const write = failingTimes(99, deadlock);
    await expect(context.guard(write.write, async () => new Error('translated'))).rejects.toThrow(
      'translated',
    );
    expect(write.calls).toBe(5);
  });

  it('does not retry a constraint violation', async () => {
    const context = createSqlContext({ sql: recordingClient() }, 'test');
    const write = failingTimes(1, exclusion);
    await expect(context.guard(write.write, async () => new Error('slot taken'))).rejects.toThrow(
      'slot taken',
    );
    expect(write.calls).toBe(1);
  });

  it('inside a transaction, rolls back to the savepoint before each new try', async () => {
    const tx = recordingClient();
    const scope = openTransactionScope(tx, '"public"');
    const write = failingTimes(1, deadlock);
    await expect(scope.context.guard(write.write, async (error) => error)).resolves.toBe('written');
    expect(tx.statements).toEqual([
      'SAVEPOINT bookingkit_write_1',
      'ROLLBACK TO SAVEPOINT bookingkit_write_1',
      'RELEASE SAVEPOINT bookingkit_write_1',
      'SAVEPOINT bookingkit_write_2',
      'RELEASE SAVEPOINT bookingkit_write_2',
    ]);
    expect(() => scope.close()).not.toThrow();
  });
});
