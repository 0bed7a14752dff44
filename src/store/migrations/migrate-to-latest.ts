import { Migrator, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../capabilities.js';
import { initialMigration } from './0001-initial.js';
import { oneOpenIncidentPerGroup } from './0002-one-open-incident-per-group.js';
import { durableDelays } from './0004-durable-delays.js';
import { followUpsMigration } from './0005-follow-ups.js';
import { momentsMigration } from './0006-moments.js';

/** Every migration in order. Append-only: add `0002-…`, never edit a released one. */
export function listMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-one-open-incident-per-group': oneOpenIncidentPerGroup(),
    '0004-durable-delays': durableDelays(),
    '0005-follow-ups': followUpsMigration(dialect),
    '0006-moments': momentsMigration(dialect),
  };
}

/**
 * Applies the pending migrations; throws the first failure (the failed migration rolls back on
 * PostgreSQL, which has transactional DDL).
 */
export async function migrateToLatest(db: Kysely<any>, dialect: StoreDialect, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => listMigrations(dialect) },
    migrationTableName: 'sidekick_migration',
    migrationLockTableName: 'sidekick_migration_lock',
    // Without it Kysely may find the bookkeeping table of another schema and skip creating ours.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
