import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger as PinoLogger } from 'pino';

/** Bumped when what a template holds changes (other extensions, another schema). */
const TEMPLATE_FORMAT = 1;

/** How the database folder came to be. */
export type PgliteOrigin =
  /** It held a database already: opened as it is. */
  | 'existing'
  /** It was empty: seeded with a copy of the cached template. */
  | 'template'
  /** It was empty and there was no template: one was built (initdb, migrations), then copied. */
  | 'new-template'
  /** It was empty and the template could not be used: `initdb` in the folder itself. */
  | 'initdb';

/** Brings a database's schema up to date (bookingkit's `migrate`), naming what it applied. */
export type Migrate = (db: PGlite) => Promise<{ readonly applied: readonly string[] }>;

/** Options of {@link openPglite}. */
export interface OpenPgliteOptions {
  readonly logger: PinoLogger;
  /** Applied to the template when it is built, and to the database on every start. */
  readonly migrate: Migrate;
  /** The template folder. @default {@link pgliteTemplatePath} */
  readonly template?: string;
}

/** An open, migrated PGlite and how its folder came to be. */
export interface OpenedPglite {
  readonly db: PGlite;
  readonly origin: PgliteOrigin;
  /** The migrations this start applied (none after a current template). */
  readonly applied: readonly string[];
}

/** The installed PGlite package's folder (its node_modules holds the template cache). */
function pglitePackageDir(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the package.json of @electric-sql/pglite');
    dir = parent;
  }
  return dir;
}

/**
 * Where the migrated template of this PGlite build is cached:
 * `node_modules/.cache/bookingkit-example/pglite-<key>`, the key naming the PGlite version (a data
 * folder is only readable by the Postgres build that wrote it) and the template's format.
 *
 * @example
 * ```ts
 * const template = pgliteTemplatePath(); // .../node_modules/.cache/bookingkit-example/pglite-3f9a...
 * ```
 */
export function pgliteTemplatePath(): string {
  const pkg = pglitePackageDir();
  const key = createHash('sha256')
    .update(`format ${TEMPLATE_FORMAT}\nextensions btree_gist\n`)
    .update(readFileSync(join(pkg, 'package.json')))
    .digest('hex')
    .slice(0, 16);
  // pkg is node_modules/@electric-sql/pglite.
  return join(pkg, '..', '..', '.cache', 'bookingkit-example', `pglite-${key}`);
}

async function createPglite(dir: string): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  return PGlite.create(dir, { extensions: { btree_gist } });
}

/** A folder holding a database: it exists and is not empty. */
function holdsDatabase(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * Builds the template: `initdb` and the migrations in a folder of its own, closed cleanly, then
 * renamed into place, so that servers starting at once never copy half of one.
 */
async function buildTemplate(template: string, migrate: Migrate): Promise<void> {
  mkdirSync(dirname(template), { recursive: true });
  const building = `${template}.${process.pid}.${Date.now()}.tmp`;
  try {
    const db = await createPglite(building);
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    renameSync(building, template);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    // Another server finished its template first: as good as this one.
    if (!holdsDatabase(template)) throw error;
  }
}

/**
 * Opens the PGlite database in `dir` (with btree_gist) and migrates it. A missing or empty folder
 * is seeded with a copy of a migrated template cached under node_modules/.cache (built on the first
 * such start), which skips `initdb` and most of the migrations: most of a first start. The copy is
 * made beside `dir` and renamed, so an interrupted start never leaves half a database that a later
 * start would take as existing. When the template cannot be used, `dir` is initialised in place,
 * as PGlite does. A template older than the migrations is brought up to date in the copy, and
 * discarded so that the next empty folder gets a current one.
 *
 * @example
 * ```ts
 * const { db, origin } = await openPglite(join(dataDir, 'pglite'), {
 *   logger,
 *   migrate: (db) => migrate(pgliteClient(db)),
 * });
 * ```
 */
export async function openPglite(dir: string, options: OpenPgliteOptions): Promise<OpenedPglite> {
  const { logger, migrate } = options;
  const template = options.template ?? pgliteTemplatePath();
  mkdirSync(dirname(dir), { recursive: true });
  const seeded = holdsDatabase(dir) ? 'existing' : await seed(dir, template, migrate, logger);
  const db = await createPglite(dir);
  let applied: readonly string[];
  try {
    ({ applied } = await migrate(db));
  } catch (error) {
    await db.close();
    throw error;
  }
  if (seeded !== 'existing' && seeded !== 'initdb' && applied.length > 0) {
    logger.info(
      { template, applied },
      'the PGlite template predates these migrations; the next empty data folder gets a new one',
    );
    discardTemplate(template);
  }
  return { db, origin: seeded, applied };
}

/** Copies the template (built first when missing) into the empty `dir`; `initdb` when it cannot. */
async function seed(
  dir: string,
  template: string,
  migrate: Migrate,
  logger: PinoLogger,
): Promise<PgliteOrigin> {
  let origin: PgliteOrigin = 'template';
  try {
    if (!holdsDatabase(template)) {
      origin = 'new-template';
      await buildTemplate(template, migrate);
    }
    // Copies a start that died while seeding left behind (`pglite.<pid>.seeding`).
    const name = basename(dir);
    for (const entry of readdirSync(dirname(dir)))
      if (entry.startsWith(`${name}.`) && entry.endsWith('.seeding'))
        rmSync(join(dirname(dir), entry), { recursive: true, force: true });
    const seeding = `${dir}.${process.pid}.seeding`;
    cpSync(template, seeding, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(seeding, dir);
    } catch (error) {
      rmSync(seeding, { recursive: true, force: true });
      // Another server on the same folder seeded it first.
      if (!holdsDatabase(dir)) throw error;
    }
    return origin;
  } catch (error) {
    logger.warn({ err: error, template }, 'PGlite template not used; initialising the data folder instead');
    return 'initdb';
  }
}

/** Removes `template` (renamed first, so no server copies it half removed). */
function discardTemplate(template: string): void {
  const discarded = `${template}.${process.pid}.${Date.now()}.old`;
  try {
    renameSync(template, discarded);
  } catch {
    return; // Discarded (or rebuilt) by another server meanwhile.
  }
  rmSync(discarded, { recursive: true, force: true });
}
