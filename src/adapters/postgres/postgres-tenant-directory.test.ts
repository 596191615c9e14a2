import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../errors/validation-error.js';
import type { SqlClient } from './sql-client.js';
import { createPostgresTenantDirectory } from './postgres-tenant-directory.js';

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

describe('createPostgresTenantDirectory', () => {
  it('refuses to remove a tenant by a missing or empty id, without touching the database', async () => {
    const sql = recordingClient();
    const directory = createPostgresTenantDirectory({ sql });
    for (const tenantId of [undefined, '', 42]) {
      const error: unknown = await directory.remove(tenantId as string).catch((e: unknown) => e);
      expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual([
        'tenantId',
      ]);
    }
    expect(sql.statements).toEqual([]);
  });
});
