import type { IncidentChannel } from '../../incidents/incident.js';
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { toMillis } from '../encode.js';

/** Responders and channels of some incidents, by incident id (in the order they were added). */
export async function loadIncidentMembers(ctx: QueryContext, ids: readonly string[]): Promise<Map<string, { responders: string[]; channels: IncidentChannel[] }>> {
  const members = new Map(ids.map((id) => [id, { responders: [] as string[], channels: [] as IncidentChannel[] }]));
  if (ids.length === 0) return members;
  const unique = sql.join([...new Set(ids)]);
  // Both tables in one statement (every incident read pays for it): responders first, by
  // arrival; then channels by position.
  const { rows } = await sql<MemberRow>`
    select 0 as kind, incident_id, user_id as a, null as b, null as c, null as d, null as e, added_at, 0 as position
    from incident_responders where incident_id in (${unique})
    union all
    select 1 as kind, incident_id, adapter as a, channel_id as b, name as c, role as d, url as e, added_at, position
    from incident_channels where incident_id in (${unique})
    order by kind, position, added_at, a`.execute(ctx.db);
  for (const row of rows) {
    const of = members.get(row.incident_id);
    if (!of) continue;
    if (Number(row.kind) === 0) of.responders.push(row.a);
    else of.channels.push({ adapter: row.a, id: row.b!, name: row.c!, role: row.d as IncidentChannel['role'], ...(row.e ? { url: row.e } : {}) });
  }
  return members;
}

/** A responder (kind 0: a = user) or a channel (kind 1: a = adapter, b = id, c = name, d = role, e = url). */
interface MemberRow {
  kind: number | string;
  incident_id: string;
  a: string;
  b: string | null;
  c: string | null;
  d: string | null;
  e: string | null;
}

/** Adds responders; one already there is left alone (the key decides, not a read). Returns those added. */
export async function addIncidentResponders(ctx: QueryContext, incidentId: string, userIds: readonly string[], at: string): Promise<string[]> {
  const added: string[] = [];
  for (const userId of new Set(userIds)) {
    const row = await ctx.db
      .insertInto('incident_responders')
      .values({ incident_id: incidentId, user_id: userId, added_at: toMillis(at, 'at') })
      .onConflict((oc) => oc.columns(['incident_id', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (row) added.push(userId);
  }
  return added;
}

/**
 * Adds channels; one already there (same adapter and id) keeps its row. `replaceRole` first
 * removes the incident's other channels of that adapter and role (a new incident channel replaces
 * the old one). Returns the channels added.
 */
export async function addIncidentChannels(
  ctx: QueryContext,
  incidentId: string,
  channels: readonly IncidentChannel[],
  at: string,
  replaceRole?: { adapter: string; role: IncidentChannel['role'] },
): Promise<IncidentChannel[]> {
  if (replaceRole) {
    const keep = channels.filter((c) => c.adapter === replaceRole.adapter).map((c) => c.id);
    let remove = ctx.db.deleteFrom('incident_channels').where('incident_id', '=', incidentId).where('adapter', '=', replaceRole.adapter).where('role', '=', replaceRole.role);
    if (keep.length > 0) remove = remove.where('channel_id', 'not in', keep);
    await remove.execute();
  }
  const added: IncidentChannel[] = [];
  for (const channel of channels) {
    // Position = order of arrival; a unique key, so two concurrent adds of one channel keep one row.
    const row = await ctx.db
      .insertInto('incident_channels')
      .values({
        incident_id: incidentId,
        adapter: channel.adapter,
        channel_id: channel.id,
        name: channel.name,
        role: channel.role,
        url: channel.url ?? null,
        added_at: toMillis(at, 'at'),
        position: sql<number>`(select coalesce(max("position"), -1) + 1 from "incident_channels" where "incident_id" = ${incidentId})`,
      })
      .onConflict((oc) => oc.columns(['incident_id', 'adapter', 'channel_id']).doNothing())
      .returning('channel_id')
      .executeTakeFirst();
    if (row) added.push(channel);
  }
  return added;
}
