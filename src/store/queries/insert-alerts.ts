import type { Selectable } from 'kysely';
import type { Alert } from '../../alerts/alert.js';
import type { NewAlert } from '../store.js';
import type { AlertsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { chunkRows } from '../query-context.js';
import { hashAlertContent } from '../hash-alert-content.js';
import { toIso, toJsonText, toMillis } from '../encode.js';
import { replaceNul } from '../replace-nul-dialect.js';

type AlertInsert = Omit<Selectable<AlertsTable>, 'seq'>;

const ALERT_COLUMNS = 15;
const JOB_COLUMNS = 4;

/** One caller's `insertAlerts`, validated and hashed outside any transaction. */
export interface AlertRequest {
  readonly alerts: NewAlert[];
  readonly rows: AlertInsert[];
  readonly nowMs: number;
  readonly windowMs: number;
}

/** What `insertAlerts` answers one caller. */
export interface AlertInsertResult {
  inserted: Alert[];
  duplicates: number;
}

/** Validates times and computes rows and content hashes; throws STORE_INVALID_TIME. */
export function prepareAlertRequest(alerts: NewAlert[], options: { now: string; dedupWindowMs: number }): AlertRequest {
  const windowMs = Number.isFinite(options.dedupWindowMs) ? Math.max(0, options.dedupWindowMs) : 0;
  return { alerts, rows: alerts.map(toAlertRow), nowMs: toMillis(options.now, 'now'), windowMs };
}

/**
 * Stores the alerts of several callers and enqueues one `alert` job per new alert, in one
 * transaction and four statements whatever the number of alerts (one dedup lookup, multi-row
 * inserts): the alert-storm bar is about round trips and commits.
 *
 * Dropped as duplicates: an alert whose content hash was stored with a `received_at` within its
 * caller's window (earlier alerts of the same call count too); a redelivery whose (source,
 * deliveryId) or id exists, via ON CONFLICT DO NOTHING, so two instances racing on one delivery
 * do not fail each other's batch. The content check is best effort across instances.
 */
export async function storeAlertRequests(ctx: QueryContext, requests: AlertRequest[]): Promise<AlertInsertResult[]> {
  const entries = requests.flatMap((request, index) => request.rows.map((row, position) => ({ row, index, request, alert: request.alerts[position] })));
  if (entries.length === 0) return requests.map(() => ({ inserted: [], duplicates: 0 }));

  return ctx.transaction(async (tx) => {
    const seen = await findRecentHashes(tx, requests);
    const ids = new Set<string>();
    const fresh = entries.filter(({ row, request }) => {
      if (request.windowMs > 0) {
        const last = seen.get(row.content_hash);
        if (last !== undefined && last >= request.nowMs - request.windowMs) return false;
      }
      seen.set(row.content_hash, Math.max(seen.get(row.content_hash) ?? row.received_at, row.received_at));
      // One id twice in a batch (a retry racing its original): the first wins, as in the table.
      if (ids.has(row.id)) return false;
      ids.add(row.id);
      return true;
    });

    const insertedIds = new Set<string>();
    for (const chunk of chunkRows(fresh, ALERT_COLUMNS, tx.caps.maxParameters)) {
      const returned = await tx.db
        .insertInto('alerts')
        .values(chunk.map((entry) => entry.row))
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      for (const { id } of returned) insertedIds.add(id);
    }

    const stored = fresh.filter((entry) => insertedIds.has(entry.row.id));
    const jobs = stored.map(({ row, request }) => ({
      kind: 'alert',
      payload: JSON.stringify({ alertId: row.id }),
      queue: row.group_key,
      run_at: request.nowMs,
    }));
    for (const chunk of chunkRows(jobs, JOB_COLUMNS, tx.caps.maxParameters)) {
      await tx.db.insertInto('jobs').values(chunk).execute();
    }

    const results = requests.map((): AlertInsertResult => ({ inserted: [], duplicates: 0 }));
    for (const { index, alert, row } of stored) results[index].inserted.push(toInsertedAlert(alert, row));
    requests.forEach((request, index) => {
      results[index].duplicates = request.alerts.length - results[index].inserted.length;
    });
    return results;
  });
}

/** Content hash → newest `received_at` among alerts stored within the widest caller window. */
async function findRecentHashes(ctx: QueryContext, requests: AlertRequest[]): Promise<Map<string, number>> {
  const deduping = requests.filter((request) => request.windowMs > 0);
  const found = new Map<string, number>();
  if (deduping.length === 0) return found;
  const since = Math.min(...deduping.map((request) => request.nowMs - request.windowMs));
  const hashes = [...new Set(deduping.flatMap((request) => request.rows.map((row) => row.content_hash)))];
  for (const chunk of chunkRows(hashes, 1, ctx.caps.maxParameters - 1)) {
    const hits = await ctx.db
      .selectFrom('alerts')
      .select((eb) => ['content_hash', eb.fn.max('received_at').as('last')])
      .where('content_hash', 'in', chunk)
      .where('received_at', '>=', since)
      .groupBy('content_hash')
      .execute();
    for (const hit of hits) found.set(hit.content_hash, Number(hit.last));
  }
  return found;
}

function toAlertRow(alert: NewAlert): AlertInsert {
  return {
    // As stored (see replace-nul-dialect.ts), so that RETURNING ids match the rows sent.
    id: replaceNul(alert.id),
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
  return { ...rest, id: row.id, startsAt: toIso(row.starts_at), receivedAt: toIso(row.received_at) };
}
