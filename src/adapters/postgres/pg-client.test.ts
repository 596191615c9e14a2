import { describe, expect, it } from 'vitest';
import { PREPARED_STATEMENTS_LIMIT, pgClient, type PgPoolLike, type PgQueryConfig } from './pg-client.js';

/** A pool that records what each query reached it as: a text, or a query config. */
function recordingPool() {
  const sent: (string | PgQueryConfig)[] = [];
  const query = (textOrConfig: string | PgQueryConfig) => {
    sent.push(textOrConfig);
    return Promise.resolve({ rows: [], rowCount: 0, command: 'COMMIT' });
  };
  const pool: PgPoolLike = {
    query,
    connect: () => Promise.resolve({ query, release: () => undefined }),
  };
  return { pool, sent };
}

const nameOf = (sent: string | PgQueryConfig | undefined) =>
  typeof sent === 'object' ? sent.name : undefined;

describe('pgClient prepared statements', () => {
  it('sends a text marked prepare as a named statement, the name derived from the text', async () => {
    const { pool, sent } = recordingPool();
    const sql = pgClient(pool);
    await sql.query('INSERT INTO t (a) VALUES ($1)', [1], { prepare: true });
    await sql.query('INSERT INTO t (a) VALUES ($1)', [2], { prepare: true });
    await sql.query('INSERT INTO u (a) VALUES ($1)', [3], { prepare: true });
    const [first, second, other] = sent;
    expect(first).toEqual({ name: nameOf(first), text: 'INSERT INTO t (a) VALUES ($1)', values: [1] });
    expect(nameOf(first)).toMatch(/^bookingkit_[0-9a-f]{32}$/);
    expect(nameOf(second)).toBe(nameOf(first));
    expect(nameOf(other)).not.toBe(nameOf(first));
  });

  it('prepares inside a transaction as well, and leaves unmarked texts unnamed', async () => {
    const { pool, sent } = recordingPool();
    await pgClient(pool).transaction(async (tx) => {
      await tx.query('UPDATE t SET a = $1', [1], { prepare: true });
      await tx.query('UPDATE t SET a = $1', [2]);
    });
    expect(sent[0]).toBe('BEGIN');
    expect(nameOf(sent[1])).toMatch(/^bookingkit_/);
    expect(sent[2]).toBe('UPDATE t SET a = $1');
    expect(sent[3]).toBe('COMMIT');
  });

  it('sends every text unnamed when prepared statements are turned off (a PgBouncer in transaction mode)', async () => {
    const { pool, sent } = recordingPool();
    await pgClient(pool, { preparedStatements: false }).query('SELECT $1', [1], { prepare: true });
    expect(sent).toEqual(['SELECT $1']);
  });

  it('names a bounded number of texts: past the limit a marked text runs unnamed', async () => {
    const { pool, sent } = recordingPool();
    const sql = pgClient(pool);
    const texts = Array.from({ length: PREPARED_STATEMENTS_LIMIT + 1 }, (_, i) => `SELECT ${i} + $1`);
    for (const text of texts) await sql.query(text, [1], { prepare: true });
    expect(sent.filter((s) => typeof s === 'object')).toHaveLength(PREPARED_STATEMENTS_LIMIT);
    expect(sent.at(-1)).toBe(texts.at(-1));
    // A text named before the limit was reached keeps its name.
    await sql.query(texts[0]!, [1], { prepare: true });
    expect(nameOf(sent.at(-1))).toBe(nameOf(sent[0]));
  });
});
