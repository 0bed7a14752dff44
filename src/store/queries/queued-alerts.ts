import { randomUUID } from 'node:crypto';
import type { Alert, Severity } from '../../alerts/alert.js';
import type { TimelineEntry } from '../../incidents/incident.js';
import type { QueryContext } from '../query-context.js';
import { chunkRows } from '../query-context.js';
import { clampLimit, toJsonTextOrNull, toMillis } from '../encode.js';
import { toTimelineEntry } from './timeline.js';

/** An `alert` job waiting in its group's queue, with what a timeline line needs of its alert. */
export interface QueuedAlert {
  jobId: string;
  alert: Pick<Alert, 'id' | 'source' | 'status' | 'title' | 'severity'>;
}

/** One queued alert joining an incident, with the timeline entry that says so. */
export interface QueuedAlertJoin {
  jobId: string;
  alertId: string;
  entry: Omit<TimelineEntry, 'id' | 'incidentId'>;
}

/**
 * The alert jobs queued behind `afterJobId` in `queue` that could run next, oldest first: the
 * unbroken run of due, never-tried, unleased `alert` jobs whose alert is stored, not yet in an
 * incident and firing. It stops at the first job that does not qualify, so taking them never
 * reorders the queue. Only the holder of the queue's running job may act on them (nobody else
 * can claim behind a leased head).
 */
export async function listQueuedAlerts(ctx: QueryContext, queue: string, afterJobId: string, now: string, limit: number): Promise<QueuedAlert[]> {
  const after = Number(afterJobId);
  const max = clampLimit(limit, 100, 1_000);
  if (!Number.isSafeInteger(after) || max === 0) return [];
  const nowMs = toMillis(now, 'now');
  const jobs = await ctx.db
    .selectFrom('jobs')
    .select(['id', 'kind', 'payload', 'run_at', 'attempts', 'lease_owner'])
    .where('queue', '=', queue)
    .where('failed', '=', 0)
    .where('id', '>', after)
    .orderBy('id')
    .limit(max)
    .execute();
  const run: { jobId: string; alertId: string }[] = [];
  for (const job of jobs) {
    const alertId = job.kind === 'alert' ? (JSON.parse(job.payload) as { alertId?: unknown }).alertId : undefined;
    if (typeof alertId !== 'string' || Number(job.attempts) > 0 || job.lease_owner !== null || Number(job.run_at) > nowMs) break;
    run.push({ jobId: String(job.id), alertId });
  }
  if (run.length === 0) return [];
  // Only what a timeline line needs: a storm's payloads (`raw`) are not read back and parsed.
  const alerts = new Map<string, { id: string; source: string; status: string; title: string; severity: string; incident_id: string | null }>();
  for (const chunk of chunkRows(run, 1, ctx.caps.maxParameters)) {
    const rows = await ctx.db
      .selectFrom('alerts')
      .select(['id', 'source', 'status', 'title', 'severity', 'incident_id'])
      .where(
        'id',
        'in',
        chunk.map((entry) => entry.alertId),
      )
      .execute();
    for (const row of rows) alerts.set(row.id, row);
  }
  const queued: QueuedAlert[] = [];
  for (const { jobId, alertId } of run) {
    const row = alerts.get(alertId);
    if (!row || row.incident_id !== null || row.status !== 'firing') break;
    queued.push({ jobId, alert: { id: row.id, source: row.source, status: 'firing', title: row.title, severity: row.severity as Severity } });
  }
  return queued;
}

/**
 * Joins queued alerts to an incident in one go: links each alert, adds its timeline entry and
 * deletes its job (only if still unleased). Call inside a transaction with `listQueuedAlerts`.
 * A handful of statements for the whole batch instead of a claim and six statements per alert.
 */
export async function joinQueuedAlerts(ctx: QueryContext, incidentId: string, joined: QueuedAlertJoin[]): Promise<TimelineEntry[]> {
  if (joined.length === 0) return [];
  const entries: TimelineEntry[] = [];
  for (const chunk of chunkRows(joined, 1, ctx.caps.maxParameters - 1)) {
    await ctx.db
      .updateTable('alerts')
      .set({ incident_id: incidentId })
      .where(
        'id',
        'in',
        chunk.map((each) => each.alertId),
      )
      .execute();
    await ctx.db
      .deleteFrom('jobs')
      .where(
        'id',
        'in',
        chunk.map((each) => Number(each.jobId)),
      )
      .where('lease_owner', 'is', null)
      .execute();
  }
  for (const chunk of chunkRows(joined, 7, ctx.caps.maxParameters)) {
    const rows = await ctx.db
      .insertInto('timeline')
      .values(
        chunk.map(({ entry }) => ({
          id: randomUUID(),
          incident_id: incidentId,
          at: toMillis(entry.at, 'timeline.at'),
          kind: entry.kind,
          actor: entry.actor,
          text: entry.text,
          data: toJsonTextOrNull(entry.data),
        })),
      )
      .returningAll()
      .execute();
    entries.push(...rows.map(toTimelineEntry));
  }
  return entries;
}
