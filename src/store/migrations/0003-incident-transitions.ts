import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Incident state changes become transitions committed with a version check:
 * - `incidents.version`: bumped by every change; a change decided on an older version is refused
 *   and decided again (optimistic concurrency), so two clicks never overwrite each other;
 * - `incident_responders` and `incident_channels`: child tables with unique keys replace the
 *   `responders` and `channels` JSON columns, which were rewritten read-modify-write and could
 *   drop one of two concurrent additions. Existing rows are copied over; the JSON columns stay
 *   (no longer read or written) so an older version can still start against this database;
 * - `incidents.source`: the monitor whose alert opened the incident, so the storm guard counts
 *   new incidents per source with one index seek;
 * - `alerts_group_incident`: which open incident (a storm) holds a group's alerts.
 */
export function incidentTransitions(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('incidents')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('incidents').addColumn('source', 'text').execute();
      await db.schema.createIndex('incidents_source_created').on('incidents').columns(['source', 'created_at']).execute();
      await db.schema.createIndex('alerts_group_incident').on('alerts').columns(['group_key', 'incident_id']).execute();
      await db.schema
        .createTable('incident_responders')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_responders_pk', ['incident_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('incident_channels')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('adapter', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        // Keeps the order channels were added in (the first incident channel is the one boxes use).
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_channels_pk', ['incident_id', 'adapter', 'channel_id'])
        .execute();
      const rows = await db.selectFrom('incidents').select(['id', 'responders', 'channels', 'created_at']).execute();
      for (const row of rows) {
        const responders = parseList<string>(row.responders);
        for (const userId of new Set(responders.filter((id) => typeof id === 'string'))) {
          await db.insertInto('incident_responders').values({ incident_id: row.id, user_id: userId, added_at: row.created_at }).execute();
        }
        const seen = new Set<string>();
        let position = 0;
        for (const channel of parseList<{ adapter: string; id: string; name: string; role: string; url?: string }>(row.channels)) {
          const key = `${channel.adapter}\n${channel.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          await db
            .insertInto('incident_channels')
            .values({
              incident_id: row.id,
              adapter: channel.adapter,
              channel_id: channel.id,
              name: channel.name ?? channel.id,
              role: channel.role,
              url: channel.url ?? null,
              added_at: row.created_at,
              position: position++,
            })
            .execute();
        }
      }
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`drop table incident_channels`.execute(db);
      await sql`drop table incident_responders`.execute(db);
      await sql`drop index alerts_group_incident`.execute(db);
      await sql`drop index incidents_source_created`.execute(db);
      await db.schema.alterTable('incidents').dropColumn('source').execute();
      await db.schema.alterTable('incidents').dropColumn('version').execute();
    },
  };
}

function parseList<T>(text: unknown): T[] {
  try {
    const value: unknown = typeof text === 'string' ? JSON.parse(text) : [];
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
