/**
 * Vitest global setup: builds, once per migration set, a PGlite data directory with bookingkit's
 * migrations applied, and hands its path to the test files.
 *
 * Why: starting PGlite from nothing runs `initdb` inside WebAssembly, 3-5 s per test file on this
 * two-core machine (and 15-20 s when the machine is busy), and every Postgres test file starts one.
 * Loading a prepared data directory skips `initdb` and the migrations and takes a fraction of that.
 * The template is cached under `node_modules/.cache`, keyed by the PGlite version and the content
 * of every migration, so a changed migration builds a new one.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { pgliteClient } from '../../src/adapters/postgres/pg-client.js';

/** The schema the template is migrated into; every PGlite test file uses it. */
export const PGLITE_TEMPLATE_SCHEMA = 'bookingkit_test';

const MIGRATIONS = fileURLToPath(new URL('../../src/adapters/postgres/migrations/', import.meta.url));
const PGLITE_PACKAGE = fileURLToPath(
  new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
);
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/bookingkit-tests/', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite data directory (a tar file) made by the global setup. */
    pgliteTemplate: string;
  }
}

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(PGLITE_PACKAGE, 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\nschema ${PGLITE_TEMPLATE_SCHEMA}\n`);
  for (const file of (await readdir(MIGRATIONS)).sort()) {
    hash.update(file);
    hash.update(await readFile(`${MIGRATIONS}${file}`));
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(path: string): Promise<void> {
  const db = await PGlite.create({ extensions: { btree_gist } });
  try {
    await migrate(pgliteClient(db), { schema: PGLITE_TEMPLATE_SCHEMA });
    const dump = await db.dumpDataDir('none');
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, new Uint8Array(await dump.arrayBuffer()));
    await rename(temporary, path); // atomic: a concurrent run never reads half a file
  } finally {
    await db.close();
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const path = `${CACHE}pglite-${await templateKey()}.tar`;
  if (!existsSync(path)) {
    await mkdir(CACHE, { recursive: true });
    await buildTemplate(path);
  }
  project.provide('pgliteTemplate', path);
}
