import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleBundle } from '../../examples/express-server/bundle-cache.mjs';
import { openPglite, type Migrate } from '../../examples/express-server/src/pglite-template.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { pgliteClient } from '../../src/adapters/postgres/pg-client.js';
import { startExample } from './support/example-process.js';

// What makes the example start fast, checked without timing it: the launcher's bundle is reused
// while its sources are unchanged, and an empty PGlite folder starts as a copy of a migrated
// template (current migrations, nothing of another folder's data), not from `initdb`.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIGRATIONS = join(ROOT, 'src', 'adapters', 'postgres', 'migrations');
const migrationFiles = () =>
  readdirSync(MIGRATIONS)
    .filter((file) => file.endsWith('.sql'))
    .sort();

const scratch = mkdtempSync(join(tmpdir(), 'bookingkit-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const logger = pino({ level: 'silent' });
const current: Migrate = (db) => migrate(pgliteClient(db));

async function appliedMigrations(db: PGlite): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM bookingkit_migrations ORDER BY name');
  return rows.map((row) => row.name);
}

describe("the example launcher's bundle cache", () => {
  it('builds once, reuses the bundle while its sources are unchanged, and builds again after an edit', async () => {
    const dir = join(scratch, 'fixture');
    const cacheDir = join(scratch, 'bundle-cache');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), "import { word } from './word.js';\nconsole.log(word);\n");
    writeFileSync(join(dir, 'word.ts'), "export const word: string = 'first';\n");

    const built = await exampleBundle(join(dir, 'entry.ts'), { cacheDir });
    expect(built.reused).toBe(false);
    expect(readFileSync(built.file, 'utf8')).toContain('first');

    const again = await exampleBundle(join(dir, 'entry.ts'), { cacheDir });
    expect(again).toEqual({ file: built.file, reused: true });

    // An imported file, not the entry, changes: the bundle is built again.
    writeFileSync(join(dir, 'word.ts'), "export const word: string = 'second';\n");
    const rebuilt = await exampleBundle(join(dir, 'entry.ts'), { cacheDir });
    expect(rebuilt.reused).toBe(false);
    expect(rebuilt.file).not.toBe(built.file);
    expect(readFileSync(rebuilt.file, 'utf8')).toContain('second');
  }, 60_000);

  it("bundles the server with bookingkit's sources (no import of the built package) and the migrations beside it", async () => {
    const { file } = await exampleBundle(join(ROOT, 'examples', 'express-server', 'src', 'main.ts'), {
      cacheDir: join(scratch, 'server-bundle'),
    });
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from\s*["']bookingkit(\/[\w-]+)?["']/);
    expect(code).toContain('bookingkit_migrations');
    expect(readdirSync(join(file, '..', 'migrations')).sort()).toEqual(migrationFiles());
  }, 60_000);
});

describe("the example's PGlite template", () => {
  const template = join(scratch, 'template');
  const folder = (name: string) => join(scratch, name, 'pglite');

  it('seeds an empty folder with a template it builds, at the current migration; the data survives a restart', async () => {
    const first = await openPglite(folder('a'), { logger, migrate: current, template });
    try {
      expect(first.origin).toBe('new-template');
      expect(first.applied).toEqual([]);
      expect(await appliedMigrations(first.db)).toEqual(migrationFiles());
      await first.db.query('CREATE TABLE kept (v text)');
      await first.db.query("INSERT INTO kept VALUES ('a')");
    } finally {
      await first.db.close();
    }
    const reopened = await openPglite(folder('a'), { logger, migrate: current, template });
    try {
      expect(reopened.origin).toBe('existing');
      expect((await reopened.db.query('SELECT v FROM kept')).rows).toEqual([{ v: 'a' }]);
    } finally {
      await reopened.db.close();
    }
  }, 120_000);

  it('seeds the next empty folder from the same template, without the first folder’s data', async () => {
    // Half a copy that a start killed while seeding left beside the folder.
    const leftover = join(scratch, 'b', 'pglite.99999.seeding');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, 'PG_VERSION'), '17\n');
    const second = await openPglite(folder('b'), { logger, migrate: current, template });
    expect(existsSync(leftover)).toBe(false);
    try {
      expect(second.origin).toBe('template');
      expect(second.applied).toEqual([]);
      expect(await appliedMigrations(second.db)).toEqual(migrationFiles());
      expect((await second.db.query("SELECT to_regclass('kept') AS t")).rows).toEqual([{ t: null }]);
    } finally {
      await second.db.close();
    }
  }, 120_000);

  it('brings a template older than the migrations up to date in the copy, and builds a new one next time', async () => {
    const directory = join(scratch, 'migrations-plus-one');
    cpSync(MIGRATIONS, directory, { recursive: true });
    writeFileSync(join(directory, '999_startup_test.sql'), 'CREATE TABLE startup_test (id int);\n');
    const newer: Migrate = (db) => migrate(pgliteClient(db), { directory });

    const behind = await openPglite(folder('c'), { logger, migrate: newer, template });
    try {
      expect(behind.origin).toBe('template');
      expect(behind.applied).toEqual(['999_startup_test.sql']);
    } finally {
      await behind.db.close();
    }
    expect(existsSync(template)).toBe(false);

    const next = await openPglite(folder('d'), { logger, migrate: newer, template });
    try {
      expect(next.origin).toBe('new-template');
      expect(next.applied).toEqual([]);
      expect(await appliedMigrations(next.db)).toEqual([...migrationFiles(), '999_startup_test.sql']);
    } finally {
      await next.db.close();
    }
  }, 120_000);

  it('initialises the folder itself when the template cannot be made', async () => {
    const blocked = join(scratch, 'not-a-folder');
    writeFileSync(blocked, '');
    const opened = await openPglite(folder('e'), {
      logger,
      migrate: current,
      template: join(blocked, 'template'),
    });
    try {
      expect(opened.origin).toBe('initdb');
      expect(opened.applied).toEqual(migrationFiles());
    } finally {
      await opened.db.close();
    }
  }, 120_000);
});

describe('the example started on an empty data folder', () => {
  it('starts from the template at the current migration, and finds its data folder on the next start', async () => {
    const dataDir = join(scratch, 'example-data');
    const startLog = (server: Awaited<ReturnType<typeof startExample>>) =>
      server.logLines().find((line) => line.msg?.startsWith('booking kit started'))?.database;

    const first = await startExample({ DATA_DIR: dataDir, RECONCILE_INTERVAL_MS: '0' });
    try {
      expect(startLog(first)).toMatchObject({
        kind: 'pglite',
        origin: expect.stringMatching(/^(new-)?template$/),
        migrationsApplied: 0,
      });
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startExample({ DATA_DIR: dataDir, RECONCILE_INTERVAL_MS: '0' });
    try {
      expect(startLog(second)).toEqual({ kind: 'pglite', origin: 'existing', migrationsApplied: 0 });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 240_000);
});
