import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { TimelineEntry, TimelineKind } from '../../incidents/incident.js';
import type { TimelineTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { compileOnce } from '../compile-once.js';
import { dropUndefined, fromJsonTextOrUndefined, toIso, toJsonTextOrNull, toMillis } from '../encode.js';

// Several lines per alert on the hot path: compiled once (compile-once.ts).
const insertTimeline = compileOnce((db, id: string, incidentId: string, at: number, kind: string, actor: string, text: string, data: string | null) =>
  db
    .insertInto('timeline')
    .values({ id, incident_id: incidentId, at, kind, actor, text, data })
    .onConflict((oc) => oc.doNothing())
    .returningAll(),
);

/**
 * Adds a line to an incident's timeline. Giving an `id` makes it idempotent: a retried job that
 * adds the same entry again gets the first one back instead of a second line.
 */
export async function addTimeline(ctx: QueryContext, entry: Omit<TimelineEntry, 'id'> & { id?: string }): Promise<TimelineEntry> {
  const id = entry.id ?? randomUUID();
  const [row] = (await insertTimeline(ctx.db, id, entry.incidentId, toMillis(entry.at, 'timeline.at'), entry.kind, entry.actor, entry.text, toJsonTextOrNull(entry.data))).rows;
  const stored = row ?? (await ctx.db.selectFrom('timeline').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  return toTimelineEntry(stored);
}

/** Oldest first; equal times in insertion order. */
export async function listTimeline(ctx: QueryContext, incidentId: string): Promise<TimelineEntry[]> {
  const rows = await ctx.db.selectFrom('timeline').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('seq').execute();
  return rows.map(toTimelineEntry);
}

// Every digest reads its window: compiled once (compile-once.ts).
const selectTimelineWindow = compileOnce((db, incidentId: string, kind: string, since: number, until: number) =>
  db.selectFrom('timeline').selectAll().where('incident_id', '=', incidentId).where('at', '>=', since).where('at', '<', until).where('kind', '=', kind).orderBy('at').orderBy('seq'),
);

/**
 * The lines of one `kind` with `since` ≤ at < `until`, oldest first: a range of the
 * (incident_id, at) index, so a digest reads what joined since the last one, not the whole timeline.
 */
export async function listTimelineWindow(ctx: QueryContext, incidentId: string, kind: TimelineKind, since: string, until: string): Promise<TimelineEntry[]> {
  const { rows } = await selectTimelineWindow(ctx.db, incidentId, kind, toMillis(since, 'since'), toMillis(until, 'until'));
  return rows.map(toTimelineEntry);
}

export function toTimelineEntry(row: Selectable<TimelineTable>): TimelineEntry {
  return dropUndefined<TimelineEntry>({
    id: row.id,
    incidentId: row.incident_id,
    at: toIso(row.at),
    kind: row.kind as TimelineKind,
    actor: row.actor,
    text: row.text,
    data: fromJsonTextOrUndefined<Record<string, unknown>>(row.data),
  });
}
