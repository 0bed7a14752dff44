import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
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
    dialect === 'postgres' ? table.addColumn(column, 'bigserial', (c) => c.primaryKey()) : table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());

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
      // Partial indexes on nullable columns: an alert storm writes no entry for the NULLs.
      await db.schema.createIndex('alerts_delivery').on('alerts').columns(['source', 'delivery_id']).unique().where('delivery_id', 'is not', null).execute();
      await db.schema.createIndex('alerts_content_hash').on('alerts').columns(['content_hash', 'received_at']).execute();
      await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'received_at']).where('incident_id', 'is not', null).execute();
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
        .addColumn('unique_key', 'text')
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute();
      // Claims walk queue heads (a loose index scan over jobs_queue_head) and due unqueued jobs,
      // so their cost follows the number of queues, not the number of queued alerts; failed
      // jobs drop out of both indexes. NULL columns cost alert inserts nothing (partial indexes).
      await db.schema.createIndex('jobs_unqueued_due').on('jobs').columns(['run_at', 'id']).where(sql.raw<boolean>('queue is null and failed = 0')).execute();
      await db.schema.createIndex('jobs_queue_head').on('jobs').columns(['queue', 'id']).where(sql.raw<boolean>('queue is not null and failed = 0')).execute();
      await db.schema.createIndex('jobs_queue_leased').on('jobs').columns(['queue', 'lease_until']).where(sql.raw<boolean>('queue is not null and lease_until is not null')).execute();
      await db.schema.createIndex('jobs_unique_key').on('jobs').column('unique_key').unique().where('unique_key', 'is not', null).execute();
      await db.schema.createIndex('jobs_owner').on('jobs').column('lease_owner').where('lease_owner', 'is not', null).execute();

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
        .addColumn('idempotency_key', 'text')
        .execute();
      await db.schema.createIndex('room_messages_idempotency').on('room_messages').column('idempotency_key').unique().where('idempotency_key', 'is not', null).execute();
      await db.schema.createIndex('room_messages_channel').on('room_messages').columns(['channel', 'seq']).execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
