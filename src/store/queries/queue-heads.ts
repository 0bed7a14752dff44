import { sql, type RawBuilder } from 'kysely';

/**
 * CTEs `queues(queue)` and `heads(id)`: every queue that has unfinished jobs and the smallest id
 * of each among the jobs that are due at `nowMs` or were already tried, i.e. the only job of the
 * queue that may run. A retried job keeps its place (order holds through failures), but a job
 * scheduled for later and never tried does not: a box's timer due in 30 minutes must not hold back
 * the click or incident event that arrives now for the same box. `queues` is a loose index scan (one seek
 * per queue on jobs_queue_head), so a storm of 20,000 alerts in 200 queues costs 200 seeks, and
 * 20,000 alerts in one queue costs one. Both dialects run this recursive form.
 * Use after `with recursive`.
 */
export function queueHeadsCte(nowMs: unknown): RawBuilder<unknown> {
  return sql`
    queues(queue) as (
      select min(f.queue) from jobs f where f.queue is not null and f.failed = 0
      union all
      select (select min(n.queue) from jobs n where n.queue > queues.queue and n.failed = 0)
      from queues where queues.queue is not null
    ),
    heads(id) as (
      select (select min(h.id) from jobs h where h.queue = queues.queue and h.failed = 0 and (h.attempts > 0 or h.run_at <= ${nowMs}))
      from queues where queues.queue is not null
    )`;
}
