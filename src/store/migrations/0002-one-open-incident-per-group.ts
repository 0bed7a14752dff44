import { sql, type Kysely, type Migration } from 'kysely';

/**
 * At most one open incident per group key. Two instances (or one whose lease lapsed mid-job)
 * grouping alerts of one group at once must not open two incidents: the database decides, not
 * the timing (LESSONS: deduplicate with unique keys, not leader election).
 */
export function oneOpenIncidentPerGroup(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await sql`create unique index incidents_open_group on incidents (group_key) where status <> 'resolved'`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`drop index incidents_open_group`.execute(db);
    },
  };
}
