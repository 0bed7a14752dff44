import type { Selectable } from 'kysely';
import type { Alert, AlertLink, AlertStatus, Severity } from '../../alerts/alert.js';
import type { AlertsTable } from '../schema.js';
import { countRows, type QueryContext } from '../query-context.js';
import { clampLimit, dropUndefined, fromJsonText, orUndefined, toIso } from '../encode.js';
import { compileOnce } from '../compile-once.js';

type AlertRow = Selectable<AlertsTable>;

// Read by the alert job and again by each box job of its run: compiled once (compile-once.ts).
const selectAlertById = compileOnce((db, id: string) => db.selectFrom('alerts').selectAll().where('id', '=', id));

/** One stored alert. */
export async function getAlert(ctx: QueryContext, id: string): Promise<Alert | undefined> {
  const [row] = (await selectAlertById(ctx.db, id)).rows;
  return row ? toAlert(row) : undefined;
}

/**
 * Oldest first (received time, then insertion order), like the timeline and the room: an
 * incident's alerts read as a story, and `limit: 1` is the alert that opened it.
 */
export async function listAlerts(ctx: QueryContext, filter: { incidentId?: string; limit?: number; newestFirst?: boolean }): Promise<Alert[]> {
  let query = ctx.db.selectFrom('alerts').selectAll();
  if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
  const order = filter.newestFirst ? 'desc' : 'asc';
  const rows = await query
    .orderBy('received_at', order)
    .orderBy('seq', order)
    .limit(clampLimit(filter.limit, 100, 100_000))
    .execute();
  return rows.map(toAlert);
}

/** How many alerts are stored. */
export async function countAlerts(ctx: QueryContext): Promise<number> {
  return countRows(ctx.db.selectFrom('alerts'));
}

/** Links an alert to the incident it was grouped into. */
export async function setAlertIncident(ctx: QueryContext, alertId: string, incidentId: string): Promise<void> {
  await ctx.db.updateTable('alerts').set({ incident_id: incidentId }).where('id', '=', alertId).execute();
}

export function toAlert(row: AlertRow): Alert {
  return dropUndefined<Alert>({
    id: row.id,
    source: row.source,
    dedupKey: row.dedup_key,
    status: row.status as AlertStatus,
    title: row.title,
    severity: row.severity as Severity,
    labels: fromJsonText<Record<string, string>>(row.labels),
    links: fromJsonText<AlertLink[]>(row.links),
    startsAt: toIso(row.starts_at),
    raw: fromJsonText<unknown>(row.raw),
    deliveryId: orUndefined(row.delivery_id),
    receivedAt: toIso(row.received_at),
    incidentId: orUndefined(row.incident_id),
  });
}
