import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Waits and retries of a running job become rows (no sleeping inside a job):
 * - `jobs.deferrals`: how many claims ended in "not yet" (chat pacing) rather than a failure, so a
 *   busy channel never uses up a box's retry budget while the job keeps its place in its queue;
 * - `jobs.failing_since`: when the job's current run of failures began, for time-based budgets
 *   (Slack's `retryForSeconds`), kept across restarts;
 * - `jobs_due`: due jobs oldest first, so a claim reads a window the size of its limit;
 * - `chat_backlog`: posts waiting for a paced channel, so the next send folds the waiting posts of
 *   one incident into one message.
 */
export function durableDelays(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('jobs')
        .addColumn('deferrals', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('jobs').addColumn('failing_since', 'bigint').execute();
      // The claim walks due jobs oldest first through this index and stops after a few times its
      // limit (claim-jobs.ts): its cost follows the claim, not the backlog.
      await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at', 'id']).where(sql.raw<boolean>('failed = 0')).execute();
      await db.schema
        .createTable('chat_backlog')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        // '' for a top-level post, else the thread's message id: one fold never mixes the two.
        .addColumn('thread', 'text', (c) => c.notNull())
        .addColumn('fold', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // The post whose send took this one along (its message carries both); null while waiting.
        .addColumn('taken_by', 'text')
        .addColumn('taken_at', 'bigint')
        .execute();
      await db.schema.createIndex('chat_backlog_fold').on('chat_backlog').columns(['channel', 'thread', 'fold', 'created_at']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`drop table chat_backlog`.execute(db);
      await sql`drop index jobs_due`.execute(db);
      await db.schema.alterTable('jobs').dropColumn('failing_since').execute();
      await db.schema.alterTable('jobs').dropColumn('deferrals').execute();
    },
  };
}
