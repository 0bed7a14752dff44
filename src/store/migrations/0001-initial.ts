import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../capabilities.js';

/*
 * The first schema. Append-only: a change is a new numbered file, never an edit here.
 * Times are bigint epoch ms, JSON is text, booleans are integers (see ../schema.ts for why).
 */

type Table = CreateTableBuilder<string, never>;

/** Creates every table and index of the first release. */
export function initialMigration(dialect: StoreDialect): Migration {
  // SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL uses a sequence.
  const withSeq = (table: Table, column = 'seq'): Table =>
    dialect === 'postgres'
      ? table.addColumn(column, 'bigserial', (c) => c.primaryKey())
      : table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // A sequence on PostgreSQL, so two instances never hand out one number; SQLite computes
        // max + 1 in the same statement as the insert (one writer at a time).
        .addColumn('number', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('mitigated_at', 'bigint')
        .addColumn('resolved_at', 'bigint')
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('responders', 'text', (c) => c.notNull())
        .addColumn('channels', 'text', (c) => c.notNull())
        .addColumn('meeting', 'text')
        .addColumn('issue', 'text')
        .execute();
      await db.schema.createIndex('incidents_status_created').on('incidents').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('incidents_created').on('incidents').column('created_at').execute();
      await db.schema.createIndex('incidents_group_key').on('incidents').columns(['group_key', 'created_at']).execute();

      await withSeq(db.schema.createTable('alerts'))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('links', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text')
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
        .execute();
      // NULL delivery ids are distinct on both dialects, so only real redeliveries collide.
      await db.schema.createIndex('alerts_delivery').on('alerts').columns(['source', 'delivery_id']).unique().execute();
      await db.schema.createIndex('alerts_content_hash').on('alerts').columns(['content_hash', 'received_at']).execute();
      await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'received_at']).execute();
      await db.schema.createIndex('alerts_received').on('alerts').column('received_at').execute();

      await withSeq(db.schema.createTable('dead_letters'))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('headers', 'text', (c) => c.notNull())
        .execute();

      await withSeq(db.schema.createTable('timeline'))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('data', 'text')
        .execute();
      await db.schema.createIndex('timeline_incident').on('timeline').columns(['incident_id', 'at', 'seq']).execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('flow_id', 'text', (c) => c.notNull())
        .addColumn('flow_hash', 'text', (c) => c.notNull())
        .addColumn('flow', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('trigger_key', 'text', (c) => c.notNull())
        .addColumn('alert_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('runs_trigger', ['flow_id', 'incident_id', 'trigger_key'])
        .execute();
      await db.schema.createIndex('runs_incident').on('runs').columns(['incident_id', 'created_at']).execute();
      await db.schema.createIndex('runs_status').on('runs').column('status').execute();

      await withSeq(db.schema.createTable('tasks'))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('box_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('state', 'text')
        .addColumn('output', 'text')
        .addColumn('port', 'text')
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('wait_until', 'bigint')
        .addColumn('wait_for', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_run').on('tasks').columns(['run_id', 'seq']).execute();
      await db.schema.createIndex('tasks_incident_status').on('tasks').columns(['incident_id', 'status']).execute();

      await withSeq(db.schema.createTable('jobs'), 'id')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('queue', 'text')
        .addColumn('unique_key', 'text', (c) => c.unique())
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at', 'id']).execute();
      await db.schema.createIndex('jobs_queue').on('jobs').columns(['queue', 'id']).execute();
      await db.schema.createIndex('jobs_owner').on('jobs').column('lease_owner').execute();

      await db.schema
        .createTable('effects')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('room_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('topic', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await withSeq(db.schema.createTable('room_messages'))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('thread_id', 'text')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('blocks', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('edited_at', 'bigint')
        .addColumn('from_bot', 'integer', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .execute();
      await db.schema.createIndex('room_messages_channel').on('room_messages').columns(['channel', 'seq']).execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
