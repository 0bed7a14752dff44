import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { listMigrations } from './migrate-to-latest.js';
import { openSqliteStore } from '../sqlite/open-sqlite.js';

const MIGRATION_TABLES = { migrationTableName: 'sidekick_migration', migrationLockTableName: 'sidekick_migration_lock' };

let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

/**
 * A database released with 0001, 0002, 0004 and 0005 meets a version whose 0003 was numbered
 * earlier: the upgrade applies 0003 and the later ones out of order, and the incident's JSON
 * responders and channels reach the child tables.
 */
describe('upgrading a database migrated before 0003 existed', () => {
  it('applies 0003 after 0004 and 0005 and keeps the responders and channels', async () => {
    folder = mkdtempSync(join(tmpdir(), 'sidekick-upgrade-'));
    const file = join(folder, 'sidekick.db');
    const released = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file) }) });
    const all = listMigrations('sqlite');
    const then = Object.fromEntries(Object.entries(all).filter(([name]) => ['0001', '0002', '0004', '0005'].some((n) => name.startsWith(n))));
    const first = await new Migrator({ db: released, provider: { getMigrations: async () => then }, ...MIGRATION_TABLES }).migrateToLatest();
    expect(first.error).toBeUndefined();
    await released
      .insertInto('incidents')
      .values({
        id: 'inc-old',
        number: 1,
        title: 'Opened before the upgrade',
        severity: 'high',
        status: 'investigating',
        group_key: 'datadog:monitor:1',
        labels: '{}',
        created_at: 1_700_000_000_000,
        updated_at: 1_700_000_000_000,
        responders: JSON.stringify(['slack:U1', 'web:alice', 'slack:U1']),
        channels: JSON.stringify([{ adapter: 'slack', id: 'C1', name: 'inc-1', role: 'incident' }]),
      })
      .execute();
    await released.destroy();

    const store = openSqliteStore({ file });
    try {
      await store.migrate();
      const incident = await store.getIncident('inc-old');
      expect(incident?.responders).toEqual(['slack:U1', 'web:alice']);
      expect(incident?.channels).toEqual([expect.objectContaining({ adapter: 'slack', id: 'C1', role: 'incident' })]);
      expect(incident?.version).toBe(0);
    } finally {
      await store.close();
    }
  });
});
