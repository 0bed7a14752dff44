import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../capabilities.js';

/**
 * Moments: the decisions and key moments people marked. One row per (incident, kind, message), so
 * a 📌 reaction added twice, a click retried or the same Slack event delivered again marks once.
 * Moments typed straight in (`/sidekick decision …`) carry no message and key on their own id.
 */
export function momentsMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('moments')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        /** `adapter:channel:message id`, or the moment's own id when it has no message. */
        .addColumn('message_key', 'text', (c) => c.notNull())
        .addColumn('message_adapter', 'text')
        .addColumn('message_channel', 'text')
        .addColumn('message_id', 'text')
        .addColumn('message_author', 'text')
        .addColumn('message_at', 'bigint')
        .addColumn('marked_by', 'text', (c) => c.notNull())
        .addColumn('marked_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('moments_once', ['incident_id', 'kind', 'message_key'])
        .execute();
      await db.schema.createIndex('moments_incident').on('moments').columns(['incident_id', 'seq']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`drop table moments`.execute(db);
    },
  };
}
