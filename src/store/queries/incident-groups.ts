import type { QueryContext } from '../query-context.js';

/** One group of alerts an incident holds (a storm holds many). */
export interface IncidentGroup {
  groupKey: string;
  alerts: number;
  firing: number;
  /** The title of the group's first alert. */
  title: string;
  firstAlertId: string;
}

/** The groups of an incident's alerts, largest first. */
export async function listIncidentGroups(ctx: QueryContext, incidentId: string, limit = 200): Promise<IncidentGroup[]> {
  const rows = await ctx.db
    .selectFrom('alerts')
    .select((eb) => ['group_key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when('status', '=', 'firing').then(1).else(0).end()).as('firing'), eb.fn.min('seq').as('first_seq')])
    .where('incident_id', '=', incidentId)
    .groupBy('group_key')
    .orderBy('n', 'desc')
    .orderBy('group_key')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const firsts = await ctx.db
    .selectFrom('alerts')
    .select(['seq', 'id', 'title'])
    .where(
      'seq',
      'in',
      rows.map((row) => Number(row.first_seq)),
    )
    .execute();
  const bySeq = new Map(firsts.map((row) => [Number(row.seq), row]));
  return rows.map((row) => {
    const first = bySeq.get(Number(row.first_seq));
    return { groupKey: row.group_key, alerts: Number(row.n), firing: Number(row.firing), title: first?.title ?? '', firstAlertId: first?.id ?? '' };
  });
}

/** Moves an incident's alerts of one group to another incident; returns their ids, oldest first. */
export async function moveGroupAlerts(ctx: QueryContext, fromIncidentId: string, groupKey: string, toIncidentId: string): Promise<string[]> {
  const rows = await ctx.db.updateTable('alerts').set({ incident_id: toIncidentId }).where('incident_id', '=', fromIncidentId).where('group_key', '=', groupKey).returning(['id', 'seq']).execute();
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => row.id);
}
