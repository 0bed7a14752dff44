import type { Selectable } from 'kysely';
import type { Alert, AlertLink, AlertStatus, Severity } from '../../alerts/alert.js';
import type { NewAlert } from '../store.js';
import type { AlertsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { chunkRows } from '../query-context.js';
import { hashAlertContent } from '../hash-alert-content.js';
import { clampLimit, dropUndefined, fromJsonText, orUndefined, toIso, toJsonText, toMillis } from '../encode.js';

type AlertRow = Selectable<AlertsTable>;
type AlertInsert = Omit<AlertRow, 'seq'>;

const ALERT_COLUMNS = 15;
const JOB_COLUMNS = 4;

/**
 * Stores new alerts and enqueues their `alert` jobs in one transaction and four statements (one
 * dedup lookup, multi-row inserts), whatever the batch size: the alert-storm bar is about round
 * trips. Redeliveries are dropped by the (source, delivery_id) unique index via ON CONFLICT DO
 * NOTHING, so two instances racing on one delivery do not fail each other's batch; content
 * duplicates are dropped by hash within the window (best effort across instances).
 */
export async function insertAlerts(
  ctx: QueryContext,
  alerts: NewAlert[],
  options: { now: string; dedupWindowMs: number },
): Promise<{ inserted: Alert[]; duplicates: number }> {
  if (alerts.length === 0) return { inserted: [], duplicates: 0 };
  const nowMs = toMillis(options.now, 'now');
  const windowMs = Number.isFinite(options.dedupWindowMs) ? Math.max(0, options.dedupWindowMs) : 0;
  const rows = alerts.map(toAlertRow);

  return ctx.atomically(async (tx) => {
    const recent = windowMs > 0 ? await findRecentHashes(tx, rows, nowMs - windowMs) : new Set<string>();
    const fresh: AlertInsert[] = [];
    for (const row of rows) {
      if (windowMs > 0) {
        if (recent.has(row.content_hash)) continue;
        recent.add(row.content_hash); // the same payload twice in one batch is a duplicate too
      }
      fresh.push(row);
    }

    const insertedIds = new Set<string>();
    for (const chunk of chunkRows(fresh, ALERT_COLUMNS, tx.caps.maxParameters)) {
      const returned = await tx.db
        .insertInto('alerts')
        .values(chunk)
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      for (const { id } of returned) insertedIds.add(id);
    }

    const stored = fresh.filter((row) => insertedIds.has(row.id));
    const jobs = stored.map((row) => ({
      kind: 'alert',
      payload: JSON.stringify({ alertId: row.id }),
      queue: row.group_key,
      run_at: nowMs,
    }));
    for (const chunk of chunkRows(jobs, JOB_COLUMNS, tx.caps.maxParameters)) {
      await tx.db.insertInto('jobs').values(chunk).execute();
    }

    const byId = new Map(alerts.map((alert) => [alert.id, alert]));
    const inserted = stored.map((row) => toInsertedAlert(byId.get(row.id)!, row));
    return { inserted, duplicates: alerts.length - inserted.length };
  });
}

/** One stored alert. */
export async function getAlert(ctx: QueryContext, id: string): Promise<Alert | undefined> {
  const row = await ctx.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAlert(row) : undefined;
}

/** Newest first, optionally only one incident's. */
export async function listAlerts(ctx: QueryContext, filter: { incidentId?: string; limit?: number }): Promise<Alert[]> {
  let query = ctx.db.selectFrom('alerts').selectAll();
  if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
  const rows = await query
    .orderBy('received_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(clampLimit(filter.limit, 100, 10_000))
    .execute();
  return rows.map(toAlert);
}

/** How many alerts are stored. */
export async function countAlerts(ctx: QueryContext): Promise<number> {
  const row = await ctx.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Links an alert to the incident it was grouped into. */
export async function setAlertIncident(ctx: QueryContext, alertId: string, incidentId: string): Promise<void> {
  await ctx.db.updateTable('alerts').set({ incident_id: incidentId }).where('id', '=', alertId).execute();
}

async function findRecentHashes(ctx: QueryContext, rows: AlertInsert[], sinceMs: number): Promise<Set<string>> {
  const hashes = [...new Set(rows.map((row) => row.content_hash))];
  const found = new Set<string>();
  for (const chunk of chunkRows(hashes, 1, ctx.caps.maxParameters - 1)) {
    const hits = await ctx.db
      .selectFrom('alerts')
      .select('content_hash')
      .where('content_hash', 'in', chunk)
      .where('received_at', '>=', sinceMs)
      .execute();
    for (const hit of hits) found.add(hit.content_hash);
  }
  return found;
}

function toAlertRow(alert: NewAlert): AlertInsert {
  return {
    id: alert.id,
    source: alert.source,
    dedup_key: alert.dedupKey,
    status: alert.status,
    title: alert.title,
    severity: alert.severity,
    labels: toJsonText(alert.labels ?? {}),
    links: toJsonText(alert.links ?? []),
    starts_at: toMillis(alert.startsAt, 'alert.startsAt'),
    raw: toJsonText(alert.raw),
    delivery_id: alert.deliveryId ?? null,
    content_hash: hashAlertContent(alert.source, alert.raw),
    group_key: alert.groupKey,
    received_at: toMillis(alert.receivedAt, 'alert.receivedAt'),
    incident_id: null,
  };
}

function toInsertedAlert(alert: NewAlert, row: AlertInsert): Alert {
  // Built from the caller's objects (no re-parse of a 1 MB raw payload), times normalised as stored.
  const { groupKey: _groupKey, ...rest } = alert;
  return { ...rest, startsAt: toIso(row.starts_at), receivedAt: toIso(row.received_at) };
}

function toAlert(row: AlertRow): Alert {
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
