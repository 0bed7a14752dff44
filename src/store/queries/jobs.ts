import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { compileOnce } from '../compile-once.js';
import { chunkRows } from '../query-context.js';
import { toIso, toMillis } from '../encode.js';

export interface NewJob {
  kind: JobKind;
  payload: Record<string, unknown>;
  runAt: string;
  queue?: string;
  uniqueKey?: string;
}

/** `alert`: group a stored alert into an incident. `task`: run or resume one box.`event`: an incident event to deliver to runs. `digest`: summarise new alerts of an incident. */
export type JobKind = 'alert' | 'task' | 'event' | 'digest' | 'topic' | 'acknowledged' | 'update';

export interface Job extends NewJob {
  id: string;
  /** Earlier attempts that failed or crashed (deferrals for pacing are not attempts). */
  attempts: number;
  /** When the current run of failures began; unset when the last attempt did not fail. */
  failingSince?: string;
}

/** Adds a job; one whose `uniqueKey` exists already is silently not added again. */
export async function enqueue(ctx: QueryContext, job: NewJob): Promise<void> {
  await insertJob(ctx.db, job.kind, JSON.stringify(job.payload ?? {}), job.queue ?? null, job.uniqueKey ?? null, toMillis(job.runAt, 'job.runAt'));
}

// Several jobs per alert: compiled once (compile-once.ts).
const insertJob = compileOnce((db, kind: string, payload: string, queue: string | null, uniqueKey: string | null, runAt: number) =>
  db
    .insertInto('jobs')
    .values({ kind, payload, queue, unique_key: uniqueKey, run_at: runAt })
    .onConflict((oc) => oc.doNothing()),
);

/**
 * Adds a job already leased to `owner` until `leaseUntil`, as a claim would have left it: the job
 * that created it runs it in this process as soon as the transaction commits, without a claim.
 * Only for a job that heads a queue of its own (a new task's), so that nothing it could overtake
 * exists. Undefined when its `uniqueKey` exists already (nothing added, nothing to run).
 */
export async function enqueueLeased(ctx: QueryContext, job: NewJob, owner: string, leaseUntil: string): Promise<Job | undefined> {
  const runAt = toMillis(job.runAt, 'job.runAt');
  const payload = JSON.stringify(job.payload ?? {});
  // The row counts this lease as a claim does (attempts 1); the job has no earlier attempts.
  const { rows } = await insertLeasedJob(ctx.db, job.kind, payload, job.queue ?? null, job.uniqueKey ?? null, runAt, owner, toMillis(leaseUntil, 'leaseUntil'), 1);
  const row = rows[0];
  if (!row) return undefined;
  return { ...job, id: String(row.id), runAt: toIso(runAt), attempts: 0 };
}

const insertLeasedJob = compileOnce((db, kind: string, payload: string, queue: string | null, uniqueKey: string | null, runAt: number, owner: string, leaseUntil: number, attempts: number) =>
  db
    .insertInto('jobs')
    .values({ kind, payload, queue, unique_key: uniqueKey, run_at: runAt, lease_owner: owner, lease_until: leaseUntil, attempts })
    .onConflict((oc) => oc.doNothing())
    .returning('id'),
);

// Once per job run: compiled once (compile-once.ts).
const deleteLeasedJob = compileOnce((db, id: number, owner: string) => db.deleteFrom('jobs').where('id', '=', id).where('lease_owner', '=', owner));

/** Deletes a finished job, only if `owner` still holds it (a lease taken over is not ours). */
export async function completeJob(ctx: QueryContext, id: string, owner: string): Promise<void> {
  const jobId = parseJobId(id);
  if (jobId === undefined) return;
  await deleteLeasedJob(ctx.db, jobId, owner);
}

/** Deletes finished jobs in one statement per chunk, only those `owner` still holds: one commit for many jobs. */
export async function completeJobs(ctx: QueryContext, ids: string[], owner: string): Promise<void> {
  const jobIds = ids.map(parseJobId).filter((id): id is number => id !== undefined);
  for (const chunk of chunkRows(jobIds, 1, ctx.caps.maxParameters - 1)) {
    await ctx.db.deleteFrom('jobs').where('lease_owner', '=', owner).where('id', 'in', chunk).execute();
  }
}

/**
 * Gives a job back to run at `runAt` after a failure (its claim already counted the attempt, so
 * the next claim reports attempts + 1), or marks it failed when `runAt` is unset. `failedAt` starts
 * the job's run of failures (`failingSince`) unless one is already running.
 * Failed jobs stay for inspection and no longer block their queue.
 */
export async function retryJob(ctx: QueryContext, id: string, owner: string, error: string, runAt?: string, failedAt?: string): Promise<void> {
  const jobId = parseJobId(id);
  if (jobId === undefined) return;
  const next = runAt === undefined ? { failed: 1 } : { run_at: toMillis(runAt, 'runAt') };
  const since = failedAt === undefined ? {} : { failing_since: sql<number>`coalesce(failing_since, ${toMillis(failedAt, 'failedAt')})` };
  await ctx.db
    .updateTable('jobs')
    .set({ ...next, ...since, lease_owner: null, lease_until: null, last_error: error })
    .where('id', '=', jobId)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * "Not yet": gives a job back to run at `runAt` without counting the claim as an attempt (chat
 * pacing, a channel with a backlog). The job keeps its place at the head of its queue, because
 * its claim count stays above zero, and its worker slot is free at once.
 */
export async function deferJob(ctx: QueryContext, id: string, owner: string, runAt: string, reason: string): Promise<void> {
  const jobId = parseJobId(id);
  if (jobId === undefined) return;
  await ctx.db
    .updateTable('jobs')
    .set((eb) => ({ run_at: toMillis(runAt, 'runAt'), deferrals: eb('deferrals', '+', 1), lease_owner: null, lease_until: null, last_error: reason }))
    .where('id', '=', jobId)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Heartbeat: extends the leases `owner` still holds on the jobs `ids`, the ones it is running.
 * Only those: a job whose completion could not be written (the database dropped the connection)
 * is no longer running anywhere, so its lease must lapse and let the job be claimed again,
 * rather than be kept alive — and its queue blocked — for as long as this process lives.
 */
export async function extendLeases(ctx: QueryContext, owner: string, ids: readonly string[], leaseUntil: string): Promise<void> {
  const jobIds = ids.map(parseJobId).filter((id): id is number => id !== undefined);
  if (jobIds.length === 0) return;
  const until = toMillis(leaseUntil, 'leaseUntil');
  for (const chunk of chunkRows(jobIds, 1, ctx.caps.maxParameters - 2)) {
    await ctx.db.updateTable('jobs').set({ lease_until: until }).where('lease_owner', '=', owner).where('failed', '=', 0).where('id', 'in', chunk).execute();
  }
}

/** Graceful shutdown: frees every job `owner` holds and takes back the attempt its claim counted. */
export async function releaseJobs(ctx: QueryContext, owner: string): Promise<void> {
  await ctx.db
    .updateTable('jobs')
    .set((eb) => ({ lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1) }))
    .where('lease_owner', '=', owner)
    .where('failed', '=', 0)
    .execute();
}

/**
 * When the next job could be claimed: the earliest, over unfinished jobs not waiting behind an
 * already-tried job of their queue, of the later of `run_at` and a live lease's end (a dead
 * instance's jobs come free then). Jobs scheduled for later never hold their queue (see
 * queue-heads.ts), so they count on their own.
 *
 * With `before`, only jobs whose `run_at` is earlier are looked at (undefined: none due by then).
 * The worker asks only about its next poll interval each time it goes idle, so the question walks
 * the jobs due so far or soon (jobs_due), not the whole table: 100,000 timers due in hours cost
 * nothing, where reading all of them took ~37 ms of the event loop after every alert.
 */
export async function nextJobDue(ctx: QueryContext, before?: string): Promise<string | undefined> {
  const horizon = before === undefined ? undefined : toMillis(before, 'before');
  const { rows } = await sql<{ due: number | string | null }>`
    select min(case when j.lease_until > j.run_at then j.lease_until else j.run_at end) as due
    from jobs j
    where j.failed = 0${horizon === undefined ? sql`` : sql` and j.run_at < ${horizon}`}
      and (j.queue is null or not exists (
        select 1 from jobs b where b.queue = j.queue and b.failed = 0 and b.attempts > 0 and b.id < j.id))`.execute(ctx.db);
  const due = rows[0]?.due;
  return due === null || due === undefined ? undefined : toIso(due);
}

/**
 * For metrics: `ready` = not leased and not failed (including jobs scheduled for later, such as
 * reminders), `leased` = held by an instance, `failed` = gave up; `oldestDueAt` = earliest
 * `run_at` among ready jobs (compare it with now for the queue's lag).
 */
export async function countJobs(ctx: QueryContext): Promise<{ ready: number; leased: number; failed: number; oldestDueAt?: string }> {
  const { rows } = await sql<{
    ready: number | string;
    leased: number | string;
    failed: number | string;
    oldest: number | string | null;
  }>`
    select
      count(case when failed = 0 and lease_owner is null then 1 end) as ready,
      count(case when failed = 0 and lease_owner is not null then 1 end) as leased,
      count(case when failed <> 0 then 1 end) as failed,
      min(case when failed = 0 and lease_owner is null then run_at end) as oldest
    from jobs`.execute(ctx.db);
  const row = rows[0];
  const counts = { ready: Number(row?.ready ?? 0), leased: Number(row?.leased ?? 0), failed: Number(row?.failed ?? 0) };
  return row?.oldest === null || row?.oldest === undefined ? counts : { ...counts, oldestDueAt: toIso(row.oldest) };
}

function parseJobId(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}
