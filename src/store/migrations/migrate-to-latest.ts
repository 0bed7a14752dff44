import { Migrator, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../capabilities.js';
import { initialMigration } from './0001-initial.js';
import { oneOpenIncidentPerGroup } from './0002-one-open-incident-per-group.js';
import { incidentTransitions } from './0003-incident-transitions.js';
import { durableDelays } from './0004-durable-delays.js';
import { followUpsMigration } from './0005-follow-ups.js';
import { momentsMigration } from './0006-moments.js';
import { peopleAndRoles } from './0007-people-and-roles.js';
import { reportDraftsMigration } from './0008-report-drafts.js';

/** Every migration in order. Append-only: add `0002-…`, never edit a released one. */
export function listMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-one-open-incident-per-group': oneOpenIncidentPerGroup(),
    '0003-incident-transitions': incidentTransitions(),
    '0004-durable-delays': durableDelays(),
    '0005-follow-ups': followUpsMigration(dialect),
    '0006-moments': momentsMigration(dialect),
    '0007-people-and-roles': peopleAndRoles(),
    '0008-report-drafts': reportDraftsMigration(),
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
    // Numbers are reserved for changes developed side by side, so a database may already have a
    // later one when an earlier number lands (0003 after 0004); each migration stands alone.
    allowUnorderedMigrations: true,
    // Without it Kysely may find the bookkeeping table of another schema and skip creating ours.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
