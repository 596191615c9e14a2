import type { RunDatabase } from '../../support/processes/postgres-database.js';

/**
 * A digest per table of every row a tenant owns, in every bookingkit table with a `tenant_id`
 * column: two equal snapshots mean nothing of the tenant's was written in between.
 */
export async function tenantSnapshot(db: RunDatabase, tenantId: string): Promise<Record<string, string>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name LIKE 'bookingkit_%'
      ORDER BY table_name`,
  );
  const snapshot: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const [row] = await db.query<{ n: string; digest: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${table} t WHERE tenant_id = $1`,
      [tenantId],
    );
    snapshot[table] = `${row!.n} rows ${row!.digest ?? '-'}`;
  }
  return snapshot;
}

/** Waits until two snapshots `gapMs` apart are equal (the relay has delivered, nothing is moving). */
export async function stableSnapshot(
  db: RunDatabase,
  tenantId: string,
  gapMs = 1_000,
  ms = 60_000,
): Promise<Record<string, string>> {
  const deadline = Date.now() + ms;
  let before = await tenantSnapshot(db, tenantId);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    const after = await tenantSnapshot(db, tenantId);
    if (JSON.stringify(after) === JSON.stringify(before)) return after;
    if (Date.now() > deadline) throw new Error(`tenant ${tenantId}'s rows still change after ${ms} ms`);
    before = after;
  }
}
