import { sql, type RawBuilder } from 'kysely';

/**
 * CTEs `queues(queue)` and `heads(id)`: every queue that has unfinished jobs and the smallest id
 * of each, i.e. the only job of the queue that may run. `queues` is a loose index scan (one seek
 * per queue on jobs_queue_head), so a storm of 20,000 alerts in 200 queues costs 200 seeks, and
 * 20,000 alerts in one queue costs one. Both dialects run this recursive form.
 * Use after `with recursive`.
 */
export function queueHeadsCte(): RawBuilder<unknown> {
  return sql`
    queues(queue) as (
      select min(f.queue) from jobs f where f.queue is not null and f.failed = 0
      union all
      select (select min(n.queue) from jobs n where n.queue > queues.queue and n.failed = 0)
      from queues where queues.queue is not null
    ),
    heads(id) as (
      select (select min(h.id) from jobs h where h.queue = queues.queue and h.failed = 0)
      from queues where queues.queue is not null
    )`;
}
