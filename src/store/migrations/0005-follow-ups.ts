import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../capabilities.js';

/**
 * Follow-ups: the action items of an incident, and where each was filed. The references live in
 * a table of their own, one row per (follow-up, tracker), so two trackers filing at once never
 * overwrite each other's reference (a JSON column would need read-modify-write).
 */
export function followUpsMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('follow_ups')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('owner_name', 'text')
        .addColumn('owner_user_id', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('follow_ups_incident').on('follow_ups').columns(['incident_id', 'seq']).execute();
      await db.schema
        .createTable('follow_up_refs')
        .addColumn('follow_up_id', 'text', (c) => c.notNull().references('follow_ups.id'))
        .addColumn('tracker', 'text', (c) => c.notNull())
        .addColumn('issue_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('follow_up_refs_pk', ['follow_up_id', 'tracker'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`drop table follow_up_refs`.execute(db);
      await sql`drop table follow_ups`.execute(db);
    },
  };
}
