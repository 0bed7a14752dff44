import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Selectable } from 'kysely';
import type { Alert, Severity } from '../../alerts/alert.js';
import type { TimelineEntry } from '../../incidents/incident.js';
import type { QueryContext } from '../query-context.js';
import type { TimelineTable } from '../schema.js';
import { replaceNul } from '../replace-nul-dialect.js';
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
  const postgres = ctx.caps.dialect === 'postgres';
  // Hand-written, fixed texts (lists travel as one array or JSON parameter): during a storm these
  // run once per batch of hundreds of alerts, and building the lists in Kysely cost more than SQL.
  const jobs = await ctx.db.executeQuery<{ id: number; kind: string; payload: string; run_at: number; attempts: number; lease_owner: string | null }>(
    CompiledQuery.raw(
      postgres
        ? 'select "id", "kind", "payload", "run_at", "attempts", "lease_owner" from "jobs" where "queue" = $1 and "failed" = 0 and "id" > $2 order by "id" limit $3'
        : 'select "id", "kind", "payload", "run_at", "attempts", "lease_owner" from "jobs" where "queue" = ? and "failed" = 0 and "id" > ? order by "id" limit ?',
      [queue, after, max],
    ),
  );
  const run: { jobId: string; alertId: string }[] = [];
  for (const job of jobs.rows) {
    const alertId = job.kind === 'alert' ? (JSON.parse(job.payload) as { alertId?: unknown }).alertId : undefined;
    if (typeof alertId !== 'string' || Number(job.attempts) > 0 || job.lease_owner !== null || Number(job.run_at) > nowMs) break;
    run.push({ jobId: String(job.id), alertId });
  }
  if (run.length === 0) return [];
  // Only what a timeline line needs: a storm's payloads (`raw`) are not read back and parsed.
  const ids = run.map((entry) => entry.alertId);
  const rows = await ctx.db.executeQuery<{ id: string; source: string; status: string; title: string; severity: string; incident_id: string | null }>(
    postgres
      ? CompiledQuery.raw('select "id", "source", "status", "title", "severity", "incident_id" from "alerts" where "id" = any($1::text[])', [ids])
      : CompiledQuery.raw('select "id", "source", "status", "title", "severity", "incident_id" from "alerts" where "id" in (select "value" from json_each(?))', [JSON.stringify(ids)]),
  );
  const alerts = new Map(rows.rows.map((row) => [row.id, row]));
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
 * Three statements for the whole batch instead of a claim and six statements per alert.
 */
export async function joinQueuedAlerts(ctx: QueryContext, incidentId: string, joined: QueuedAlertJoin[]): Promise<TimelineEntry[]> {
  if (joined.length === 0) return [];
  const postgres = ctx.caps.dialect === 'postgres';
  const alertIds = joined.map((each) => each.alertId);
  const jobIds = joined.map((each) => Number(each.jobId));
  const rows: Selectable<TimelineTable>[] = joined.map(({ entry }, index) => ({
    seq: index,
    id: randomUUID(),
    incident_id: incidentId,
    at: toMillis(entry.at, 'timeline.at'),
    kind: entry.kind,
    actor: entry.actor,
    text: entry.text,
    data: toJsonTextOrNull(entry.data),
  }));
  if (postgres) {
    await ctx.db.executeQuery(CompiledQuery.raw('update "alerts" set "incident_id" = $1 where "id" = any($2::text[])', [incidentId, alertIds]));
    await ctx.db.executeQuery(CompiledQuery.raw('delete from "jobs" where "id" = any($1::int8[]) and "lease_owner" is null', [jobIds]));
    // Array elements do not pass the driver's U+0000 replacement, so here.
    const text = (pick: (row: Selectable<TimelineTable>) => string | null) => rows.map((row) => nulFree(pick(row)));
    await ctx.db.executeQuery(
      CompiledQuery.raw(
        `insert into "timeline" ("id", "incident_id", "at", "kind", "actor", "text", "data")
         select "id", $1::text, "at", "kind", "actor", "text", "data"
         from unnest($2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[]) with ordinality as "t"("id", "at", "kind", "actor", "text", "data", "n")
         order by "n"`,
        [incidentId, text((row) => row.id), rows.map((row) => row.at), text((row) => row.kind), text((row) => row.actor), text((row) => row.text), text((row) => row.data)],
      ),
    );
  } else {
    await ctx.db.executeQuery(CompiledQuery.raw('update "alerts" set "incident_id" = ? where "id" in (select "value" from json_each(?))', [incidentId, JSON.stringify(alertIds)]));
    await ctx.db.executeQuery(CompiledQuery.raw('delete from "jobs" where "id" in (select "value" from json_each(?)) and "lease_owner" is null', [JSON.stringify(jobIds)]));
    await ctx.db.executeQuery(
      CompiledQuery.raw(
        `insert into "timeline" ("id", "incident_id", "at", "kind", "actor", "text", "data")
         select "value" ->> 0, ?, "value" ->> 1, "value" ->> 2, "value" ->> 3, "value" ->> 4, "value" ->> 5 from json_each(?) order by "key"`,
        [incidentId, JSON.stringify(rows.map((row) => [nulFree(row.id), row.at, nulFree(row.kind), nulFree(row.actor), nulFree(row.text), nulFree(row.data)]))],
      ),
    );
  }
  return rows.map(toTimelineEntry);
}

function nulFree(text: string | null): string | null {
  return text === null ? null : replaceNul(text);
}
