import { CompiledQuery, type Selectable } from 'kysely';
import type { Alert } from '../../alerts/alert.js';
import type { NewAlert } from '../store.js';
import type { AlertsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { hashAlertContent } from '../hash-alert-content.js';
import { toIso, toJsonText, toMillis } from '../encode.js';
import { replaceNul } from '../replace-nul-dialect.js';

type AlertInsert = Omit<Selectable<AlertsTable>, 'seq'>;

/** The columns an insert sets, in statement order (`seq` is generated, `incident_id` starts NULL). */
const ALERT_COLUMNS = ['id', 'source', 'dedup_key', 'status', 'title', 'severity', 'labels', 'links', 'starts_at', 'raw', 'delivery_id', 'content_hash', 'group_key', 'received_at'] as const;
const BIGINT_COLUMNS = new Set<string>(['starts_at', 'received_at']);

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
 * Stores the alerts of several callers and enqueues one `alert` job per new alert: a few
 * statements whatever the number of alerts (one dedup lookup, multi-row inserts), hand-written
 * because building and compiling a Kysely insert of hundreds of rows cost more CPU than SQLite
 * spends storing them. On SQLite in one transaction; on PostgreSQL the alerts and their jobs go in
 * one statement (atomic by itself), after the dedup lookup: two round trips and no BEGIN/COMMIT.
 *
 * Dropped as duplicates: an alert whose content hash was stored with a `received_at` within its
 * caller's window (earlier alerts of the same call count too); a redelivery whose (source,
 * deliveryId) or id exists, via ON CONFLICT DO NOTHING, so two instances racing on one delivery
 * do not fail each other's batch. The content check is best effort across instances.
 */
export async function storeAlertRequests(ctx: QueryContext, requests: AlertRequest[]): Promise<AlertInsertResult[]> {
  const entries: Entry[] = [];
  requests.forEach((request, index) => request.rows.forEach((row, position) => entries.push({ row, index, request, alert: request.alerts[position] })));
  if (entries.length === 0) return requests.map(() => ({ inserted: [], duplicates: 0 }));
  if (ctx.caps.dialect === 'postgres') return settle(requests, await storeOnPostgres(ctx, requests, entries));
  return ctx.transaction(async (tx) => settle(requests, await storeOnSqlite(tx, requests, entries)));
}

interface Entry {
  row: AlertInsert;
  index: number;
  request: AlertRequest;
  alert: NewAlert;
}

/** The entries that pass the content-hash window and are not a repeat of an id in the batch. */
function freshEntries(entries: Entry[], seen: Map<string, number>): Entry[] {
  const ids = new Set<string>();
  return entries.filter(({ row, request }) => {
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
}

/** Each caller's inserted alerts (in its order) and duplicates. */
function settle(requests: AlertRequest[], stored: Entry[]): AlertInsertResult[] {
  const results = requests.map((): AlertInsertResult => ({ inserted: [], duplicates: 0 }));
  for (const { index, alert, row } of stored) results[index].inserted.push(toInsertedAlert(alert, row));
  requests.forEach((request, index) => {
    results[index].duplicates = request.alerts.length - results[index].inserted.length;
  });
  return results;
}

/** The job payload an alert's job carries. */
function jobPayload(row: AlertInsert): string {
  return JSON.stringify({ alertId: row.id });
}

const ALERT_COLUMN_LIST = ALERT_COLUMNS.map((column) => `"${column}"`).join(', ');

async function storeOnSqlite(tx: QueryContext, requests: AlertRequest[], entries: Entry[]): Promise<Entry[]> {
  const seen = await lastStored(tx, requests, (hashes, since) =>
    CompiledQuery.raw('select "content_hash", max("received_at") as "last" from "alerts" where "content_hash" in (select "value" from json_each(?)) and "received_at" >= ? group by "content_hash"', [
      JSON.stringify(hashes),
      since,
    ]),
  );
  const fresh = freshEntries(entries, seen);

  const insertedIds = new Set<string>();
  for (const chunk of sqliteChunks(fresh)) {
    const parameters: unknown[] = [];
    for (const { row } of chunk) for (const column of ALERT_COLUMNS) parameters.push(row[column]);
    const returned = await tx.db.executeQuery<{ id: string }>(
      CompiledQuery.raw(`insert into "alerts" (${ALERT_COLUMN_LIST}) values ${placeholders(chunk.length, ALERT_COLUMNS.length)} on conflict do nothing returning "id"`, parameters),
    );
    for (const { id } of returned.rows) insertedIds.add(id);
  }

  const stored = insertedIds.size === fresh.length ? fresh : fresh.filter((entry) => insertedIds.has(entry.row.id));
  for (const chunk of sqliteChunks(stored)) {
    const parameters: unknown[] = [];
    for (const { row, request } of chunk) parameters.push('alert', jobPayload(row), row.group_key, request.nowMs);
    await tx.db.executeQuery(CompiledQuery.raw(`insert into "jobs" ("kind", "payload", "queue", "run_at") values ${placeholders(chunk.length, 4)}`, parameters));
  }
  return stored;
}

/**
 * The alerts and their jobs in one statement: the rows travel as one array per column (the SQL
 * text never changes, whatever the batch size), the jobs are inserted for the alerts the insert
 * returned, in the order sent.
 */
const POSTGRES_INSERT = `with "input" as (
  select * from unnest(${ALERT_COLUMNS.map((column, index) => `$${index + 1}::${BIGINT_COLUMNS.has(column) ? 'int8' : 'text'}[]`).join(', ')}, $${ALERT_COLUMNS.length + 1}::text[], $${ALERT_COLUMNS.length + 2}::int8[])
    with ordinality as "t"(${ALERT_COLUMN_LIST}, "job_payload", "job_run_at", "n")
), "stored" as (
  insert into "alerts" (${ALERT_COLUMN_LIST})
  select ${ALERT_COLUMN_LIST} from "input" order by "n"
  on conflict do nothing
  returning "id"
), "queued" as (
  insert into "jobs" ("kind", "payload", "queue", "run_at")
  select 'alert', "input"."job_payload", "input"."group_key", "input"."job_run_at" from "input" join "stored" on "stored"."id" = "input"."id" order by "input"."n"
)
select "id" from "stored"`;

async function storeOnPostgres(ctx: QueryContext, requests: AlertRequest[], entries: Entry[]): Promise<Entry[]> {
  const seen = await lastStored(ctx, requests, (hashes, since) =>
    CompiledQuery.raw('select "content_hash", max("received_at") as "last" from "alerts" where "content_hash" = any($1::text[]) and "received_at" >= $2 group by "content_hash"', [hashes, since]),
  );
  const fresh = freshEntries(entries, seen);
  if (fresh.length === 0) return [];
  // One array per column; array elements do not pass the driver's U+0000 replacement, so here.
  const columns = ALERT_COLUMNS.map((column) => fresh.map(({ row }) => (typeof row[column] === 'string' ? replaceNul(row[column]) : row[column])));
  const returned = await ctx.db.executeQuery<{ id: string }>(CompiledQuery.raw(POSTGRES_INSERT, [...columns, fresh.map(({ row }) => jobPayload(row)), fresh.map(({ request }) => request.nowMs)]));
  const insertedIds = new Set(returned.rows.map((row) => row.id));
  return insertedIds.size === fresh.length ? fresh : fresh.filter((entry) => insertedIds.has(entry.row.id));
}

/**
 * When each content hash of the deduplicating requests was last stored within their windows (an
 * empty map when none dedups). `query` is the dialect's way to ask for a list of hashes.
 */
async function lastStored(ctx: QueryContext, requests: AlertRequest[], query: (hashes: string[], since: number) => CompiledQuery): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const since = dedupSince(requests);
  if (since === undefined) return seen;
  const hits = await ctx.db.executeQuery<{ content_hash: string; last: number }>(query(dedupHashes(requests), since));
  for (const hit of hits.rows) seen.set(hit.content_hash, Number(hit.last));
  return seen;
}

/** The oldest `received_at` any deduplicating caller's window reaches back to; undefined if none dedups. */
function dedupSince(requests: AlertRequest[]): number | undefined {
  let since: number | undefined;
  for (const request of requests) if (request.windowMs > 0) since = Math.min(since ?? Number.POSITIVE_INFINITY, request.nowMs - request.windowMs);
  return since;
}

function dedupHashes(requests: AlertRequest[]): string[] {
  const hashes = new Set<string>();
  for (const request of requests) if (request.windowMs > 0) for (const row of request.rows) hashes.add(row.content_hash);
  return [...hashes];
}

/** Rows per SQLite statement: powers of two up to a cap, so a handful of statement texts stay prepared. */
const MAX_ROWS_PER_STATEMENT = 256;

function sqliteChunks<T>(rows: T[]): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < rows.length;) {
    const left = rows.length - at;
    const size = left >= MAX_ROWS_PER_STATEMENT ? MAX_ROWS_PER_STATEMENT : 2 ** Math.floor(Math.log2(left));
    chunks.push(rows.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const placeholderTexts = new Map<string, string>();

/** `(?, ?), (?, ?)` for rows × columns, kept once made. */
function placeholders(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let text = placeholderTexts.get(key);
  if (text === undefined) {
    const one = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
    text = Array.from({ length: rows }, () => one).join(', ');
    placeholderTexts.set(key, text);
  }
  return text;
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
