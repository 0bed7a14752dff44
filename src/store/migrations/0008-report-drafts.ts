import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The AI first draft of each incident's report: one row per incident, written when the report is
 * first rendered with a model configured, replaced by `--redraft`, marked when a person accepts
 * or edits it. Stored so a report filed twice (or rendered by another instance) does not ask the
 * model again, and the review survives restarts.
 */
export function reportDraftsMigration(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('report_drafts')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('sections', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('dropped', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reviewed_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`drop table report_drafts`.execute(db);
    },
  };
}
