import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordTable } from './record-table.js';
import type { SqlClient } from './sql-client.js';
import { createSqlContext } from './sql-context.js';
import { trustedRecord } from '../../domain/trusted-record.js';
import { isValidationError } from '../../errors/validation-error.js';

interface Note {
  readonly tenantId: string;
  readonly id: string;
  readonly version: number;
  readonly text: string;
}

/** A table of notes whose schema counts its parses, on a client that accepts every write. */
function notes(schemaName = 'public', texts: string[] = [], prepared: boolean[] = []) {
  const seen = { parses: 0, writes: 0 };
  const schema = z
    .object({ tenantId: z.string(), id: z.string(), version: z.number(), text: z.string().min(1) })
    .transform((note) => ((seen.parses += 1), note));
  const sql: SqlClient = {
    query: async (text, _params, options) => (
      (seen.writes += 1),
      texts.push(text),
      prepared.push(options?.prepare === true),
      { rows: [], rowCount: 1 }
    ),
    transaction: (fn) => fn(sql),
  };
  const table = recordTable<Note>(createSqlContext({ sql, schema: schemaName }, 'test'), {
    table: 'notes',
    entity: 'Note',
    schema,
    columns: [
      { name: 'tenant_id', type: 'text', value: (n) => n.tenantId },
      { name: 'id', type: 'text', value: (n) => n.id },
      { name: 'version', type: 'integer', value: (n) => n.version },
      { name: 'text', type: 'text', value: (n) => n.text },
    ],
    updateGuard: 'none',
    toRecord: (row) => row,
  });
  return { table, seen };
}

describe('record tables and trusted records', () => {
  it("parses a caller's record before writing it, and refuses an invalid one", async () => {
    const { table, seen } = notes();
    await table.insertIfAbsent({ tenantId: 't', id: 'n1', version: 1, text: 'hello' });
    expect(seen).toEqual({ parses: 1, writes: 1 });
    const refused = await table
      .insertIfAbsent({ tenantId: 't', id: 'n2', version: 1, text: '' })
      .catch((error: unknown) => error);
    expect(isValidationError(refused)).toBe(true);
    expect(seen.writes).toBe(1);
  });

  it('writes a record the domain code built without parsing it again, still checking its version', async () => {
    const { table, seen } = notes();
    await table.insertIfAbsent(trustedRecord({ tenantId: 't', id: 'n1', version: 1, text: 'hello' }));
    await table.updateAt(trustedRecord({ tenantId: 't', id: 'n1', version: 2, text: 'again' }), 1);
    expect(seen).toEqual({ parses: 0, writes: 2 });
    const wrongVersion = await table
      .updateAt(trustedRecord({ tenantId: 't', id: 'n1', version: 5, text: 'again' }), 2)
      .catch((error: unknown) => error);
    expect(isValidationError(wrongVersion)).toBe(true);
    expect(seen.writes).toBe(2);
  });
});

describe('record table statements', () => {
  it('are built for each schema: tables of one record type in two schemas write to their own', async () => {
    const inA: string[] = [];
    const inB: string[] = [];
    const note = { tenantId: 't', id: 'n1', version: 1, text: 'hello' };
    await notes('a', inA).table.insertIfAbsent(note);
    await notes('b', inB).table.insertIfAbsent(note);
    await notes('a', inA).table.updateAt({ ...note, version: 2 }, 1);
    expect(inA.map((text) => /(INTO|UPDATE) (\S+)/.exec(text)?.[2])).toEqual(['"a".notes', '"a".notes']);
    expect(inB.map((text) => /(INTO|UPDATE) (\S+)/.exec(text)?.[2])).toEqual(['"b".notes']);
  });

  it('mark the insert and the update as fixed texts the client may prepare, not the SELECT *', async () => {
    const texts: string[] = [];
    const prepared: boolean[] = [];
    const { table } = notes('public', texts, prepared);
    const note = { tenantId: 't', id: 'n1', version: 1, text: 'hello' };
    await table.insertIfAbsent(note);
    await table.updateAt({ ...note, version: 2 }, 1);
    await table.select('id = $1', ['n1']);
    expect(texts.map((text) => text.split(' ')[0])).toEqual(['INSERT', 'UPDATE', 'SELECT']);
    expect(prepared).toEqual([true, true, false]);
  });
});
