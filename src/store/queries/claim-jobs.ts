import { CompiledQuery, sql, type QueryResult, type RawBuilder } from 'kysely';
import type { Job, JobKind } from '../store.js';
import type { QueryContext } from '../query-context.js';
import { queueHeadsCte } from './queue-heads.js';
import { clampLimit, dropUndefined, orUndefined, toIso, toMillis } from '../encode.js';

interface ClaimedRow {
  id: number | string;
  kind: string;
  payload: string;
  queue: string | null;
  unique_key: string | null;
  run_at: number | string;
  attempts: number | string;
  deferrals: number | string;
  failing_since: number | string | null;
}

/**
 * Leases up to `limit` due jobs to `owner`, oldest due first, in one statement.
 *
 * A job with a queue qualifies only as its queue's head (smallest unfinished id; failed jobs do
 * not block) and while no job of that queue holds a live lease. The second test looks redundant
 * but is not on PostgreSQL: ids are handed out at insert and rows become visible at commit, so a
 * smaller id can appear after a larger one of the same queue was already leased.
 *
 * Expired leases count as free, so the claim is also the reaper. The row counts claims, so a job
 * that crashes its worker (its lease runs out) is counted too; the returned `attempts` is the
 * number of earlier attempts (0 on the first run), which is what `retryJob`'s "attempts + 1"
 * means to its caller. `releaseJobs` takes the count back.
 * PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers never take the same row. SQLite:
 * a writing statement holds the single write lock.
 */
export async function claimJobs(ctx: QueryContext, owner: string, limit: number, now: string, leaseUntil: string): Promise<Job[]> {
  const max = clampLimit(limit, 1, 1_000);
  if (max === 0) return [];
  const nowMs = toMillis(now, 'now');
  const untilMs = toMillis(leaseUntil, 'leaseUntil');

  // First the cheap way, whose cost follows `limit`, not the backlog: walk due jobs oldest first
  // (jobs_due index) for a bounded number of rows and keep the queue heads among them. Only when
  // that window is all blocked jobs (a storm behind one running head) does the claim fall back to
  // walking every queue (queue-heads.ts), which costs one index seek per queue.
  const budget = max * 4 + 64;
  const window = await run<{ id: number | string; head: number | string | boolean }>(ctx, 'window', [nowMs, budget], (now, size) => dueWindow(now, size));
  const heads = window.rows
    .filter((row) => Number(row.head) === 1)
    .slice(0, max)
    .map((row) => Number(row.id));
  // The window held every due job, or enough heads: no need to look further.
  if (window.rows.length < budget || heads.length === max) {
    if (heads.length === 0) return [];
    // The same conditions again in the writing statement: another claimer may have won a row
    // (PostgreSQL skips rows locked by a concurrent claim; SQLite has one writer).
    return inPickOrder((await leaseIds(ctx, heads, owner, untilMs, nowMs)).rows);
  }

  // SQLite: an UPDATE takes the database's write lock and commits even when it changes nothing,
  // and sorting candidates costs more than finding them. So look first with a read that takes no
  // lock and does not sort. When everything found fits in the hand, lease exactly those; only a
  // longer list needs the ordered claim, oldest due first. Between the two statements no other
  // process can claim (one writer, one worker per process), and the update checks every
  // condition again anyway.
  if (!ctx.caps.skipLocked) {
    const found = await run<{ id: number }>(
      ctx,
      'found',
      [nowMs, max + 1],
      (now, size) => sql<{ id: number }>`
      with recursive ${queueHeadsCte(now)}
      select j.id as id from jobs j
      where j.id in (select id from heads) and ${claimable(now)}
      union all
      select u.id as id from jobs u where ${unqueuedDue(now)}
      limit ${size}`,
    );
    if (found.rows.length === 0) return [];
    if (found.rows.length <= max) {
      return inPickOrder(
        (
          await leaseIds(
            ctx,
            found.rows.map((row) => Number(row.id)),
            owner,
            untilMs,
            nowMs,
          )
        ).rows,
      );
    }
  }

  const { rows } = await run<ClaimedRow>(
    ctx,
    'ordered',
    [nowMs, max, owner, untilMs],
    (now, size, who, until) => sql<ClaimedRow>`
    with recursive ${claimableCtes(now, size, lockClause(ctx))}
    update jobs
    set lease_owner = ${who}, lease_until = ${until}, attempts = attempts + 1
    where id in (select id from picked)
    returning id, kind, payload, queue, unique_key, run_at, attempts, deferrals, failing_since`,
  );
  return inPickOrder(rows);
}

/** PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers never take the same row. */
function lockClause(ctx: QueryContext): RawBuilder<unknown> {
  return ctx.caps.skipLocked ? sql`for update of j skip locked` : sql``;
}

/** Leases the jobs `ids` that are still claimable at `nowMs`; the id list is one parameter. */
function leaseIds(ctx: QueryContext, ids: number[], owner: string, untilMs: number, nowMs: number): Promise<QueryResult<ClaimedRow>> {
  const postgres = ctx.caps.dialect === 'postgres';
  return run<ClaimedRow>(
    ctx,
    'lease',
    [postgres ? ids : JSON.stringify(ids), owner, untilMs, nowMs],
    (list, who, until, now) => sql<ClaimedRow>`
      update jobs
      set lease_owner = ${who}, lease_until = ${until}, attempts = attempts + 1
      where id in (select j.id from jobs j where ${postgres ? sql`j.id = any(${list}::int8[])` : sql`j.id in (select value from json_each(${list}))`} and ${claimable(now)} ${lockClause(ctx)})
      returning id, kind, payload, queue, unique_key, run_at, attempts, deferrals, failing_since`,
  );
}

/** A claim statement's SQL, built once per store, and where each argument goes among its parameters. */
interface Prepared {
  sql: string;
  /** parameters[i] = args[order[i]]. */
  order: number[];
}

const preparedByAdapter = new WeakMap<object, Map<string, Prepared>>();

/**
 * Runs the claim statement `name` with `args`. Its SQL is built and compiled once per store (the
 * claim runs many times a second in a storm, and building the statements cost more CPU than
 * running them): `build` gets a marker for each argument, each of which must become exactly one
 * parameter (repeats allowed), as in compile-once.ts.
 */
async function run<R>(ctx: QueryContext, name: string, args: unknown[], build: (...markers: never[]) => RawBuilder<R>): Promise<QueryResult<R>> {
  const adapter = ctx.db.getExecutor().adapter;
  let statements = preparedByAdapter.get(adapter);
  if (!statements) preparedByAdapter.set(adapter, (statements = new Map()));
  let prepared = statements.get(name);
  if (!prepared) {
    const markers = args.map((_, i) => `\u0001claim-${i}\u0001`);
    const compiled = build(...(markers as never[])).compile(ctx.db);
    const order = compiled.parameters.map((value) => markers.indexOf(value as string));
    if (order.includes(-1) || markers.some((_, i) => !order.includes(i))) throw new Error(`claimJobs: every argument must be a parameter of the query (${compiled.sql})`);
    prepared = { sql: compiled.sql, order };
    statements.set(name, prepared);
  }
  const { sql: text, order } = prepared;
  return ctx.db.executeQuery<R>(
    CompiledQuery.raw(
      text,
      order.map((index) => args[index]),
    ),
  );
}

/**
 * The first `budget` due, unleased jobs, oldest due first, each with whether it heads its queue.
 * Read through jobs_due: the rows touched follow `budget`, not the backlog (store-claim-cost.test.ts).
 */
export function dueWindow(nowMs: number | string, budget: number | string): RawBuilder<{ id: number | string; head: number | string | boolean }> {
  return sql<{ id: number | string; head: number | string | boolean }>`
    select d.id as id, case when ${headAt(nowMs)} then 1 else 0 end as head
    from jobs d
    where d.failed = 0 and d.run_at <= ${nowMs} and (d.lease_until is null or d.lease_until <= ${nowMs})
    order by d.run_at, d.id
    limit ${budget}`;
}

/** RETURNING gives no order guarantee: hand jobs out oldest due first, as they were picked. */
function inPickOrder(rows: ClaimedRow[]): Job[] {
  return rows
    .map((row) => ({ row, runAt: Number(row.run_at), id: Number(row.id) }))
    .sort((a, b) => a.runAt - b.runAt || a.id - b.id)
    .map(({ row }) => toJob(row));
}

/** The CTEs up to `picked(id)`: the jobs a claim at `nowMs` may take, at most `max`. */
function claimableCtes(nowMs: unknown, max: unknown, lock: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    ${queueHeadsCte(nowMs)},
    candidates(id) as (
      select id from heads
      union all
      select id from (
        select u.id from jobs u where ${unqueuedDue(nowMs)}
        order by u.run_at, u.id
        limit ${max}
      ) unqueued
    ),
    picked(id) as (
      select j.id from jobs j
      where j.id in (select id from candidates) and ${claimable(nowMs)}
      order by j.run_at, j.id
      limit ${max}
      ${lock}
    )`;
}

/** A claimed jobs row as the domain sees it. */
function toJob(row: ClaimedRow): Job {
  return dropUndefined<Job>({
    id: String(row.id),
    kind: row.kind as JobKind,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    runAt: toIso(row.run_at),
    queue: orUndefined(row.queue),
    uniqueKey: orUndefined(row.unique_key),
    // The row already counts this claim; callers see how many attempts came before it. Claims
    // that ended in a deferral (pacing) were not attempts.
    attempts: Number(row.attempts) - 1 - Number(row.deferrals),
    failingSince: row.failing_since === null ? undefined : toIso(row.failing_since),
  });
}

/** Job `j` may be leased at `nowMs`: due, not failed, free, and its queue holds no live lease. */
function claimable(nowMs: unknown): RawBuilder<unknown> {
  return sql`j.failed = 0
        and j.run_at <= ${nowMs}
        and (j.lease_until is null or j.lease_until <= ${nowMs})
        and (j.queue is null or not exists (
          select 1 from jobs l where l.queue = j.queue and l.lease_until is not null and l.lease_until > ${nowMs}))`;
}

/**
 * Due job `d` is the head of its queue at `nowMs`: no unfinished job before it in its queue was
 * already tried or is due (a timer due later never blocks), and no job of its queue holds a live
 * lease. Two index seeks (jobs_queue_head, jobs_queue_leased), whatever the backlog.
 */
function headAt(nowMs: unknown): RawBuilder<unknown> {
  return sql`(d.queue is null or (
        not exists (select 1 from jobs e where e.queue = d.queue and e.failed = 0 and e.id < d.id and (e.attempts > 0 or e.run_at <= ${nowMs}))
        and not exists (select 1 from jobs l where l.queue = d.queue and l.lease_until is not null and l.lease_until > ${nowMs})))`;
}

/** Job `u` has no queue, is due at `nowMs`, not failed and free: claimable on its own. */
function unqueuedDue(nowMs: unknown): RawBuilder<unknown> {
  return sql`u.queue is null and u.failed = 0 and u.run_at <= ${nowMs}
        and (u.lease_until is null or u.lease_until <= ${nowMs})`;
}
