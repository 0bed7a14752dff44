import { expect, it } from 'vitest';
import type { Job, Store } from './store.js';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at } from './testing/fixtures.js';

const LEASE = at(30_000);

await describeEachStore('jobs', ({ store, target, sibling }) => {
  const ids = (jobs: Job[]) => jobs.map((job) => job.payload.n);

  async function enqueueMany(list: { n: string; queue?: string; runAt?: string; uniqueKey?: string }[]) {
    for (const { n, queue, runAt, uniqueKey } of list) {
      await store().enqueue({ kind: 'task', payload: { n }, runAt: runAt ?? T0, queue, uniqueKey });
    }
  }

  it('claims only due jobs, oldest due first, and counts the attempt', async () => {
    await enqueueMany([{ n: 'later', runAt: at(5000) }, { n: 'b', runAt: at(10) }, { n: 'a' }]);
    const jobs = await store().claimJobs('w1', 10, at(10), LEASE);
    expect(ids(jobs)).toEqual(['a', 'b']);
    expect(jobs[0]).toMatchObject({ kind: 'task', attempts: 0, runAt: T0 });
    expect(jobs[0]).not.toHaveProperty('queue');
    expect(await store().claimJobs('w2', 10, at(10), LEASE)).toEqual([]);
    expect(ids(await store().claimJobs('w2', 10, at(5000), LEASE))).toEqual(['later']);
  });

  it('respects the claim limit, including 0 and nonsense', async () => {
    await enqueueMany([{ n: '1' }, { n: '2' }, { n: '3' }]);
    expect(await store().claimJobs('w', 0, T0, LEASE)).toEqual([]);
    expect(await store().claimJobs('w', -4, T0, LEASE)).toEqual([]);
    expect(ids(await store().claimJobs('w', Number.NaN, T0, LEASE))).toEqual(['1']);
    expect(ids(await store().claimJobs('w', 2, T0, LEASE))).toEqual(['2', '3']);
  });

  it('adds a job with a known unique key only once (until it is done)', async () => {
    await enqueueMany([{ n: 'first', uniqueKey: 'timer:t1' }, { n: 'second', uniqueKey: 'timer:t1' }, { n: 'other' }]);
    const jobs = await store().claimJobs('w', 10, T0, LEASE);
    expect(ids(jobs)).toEqual(['first', 'other']);
    expect(jobs[0].uniqueKey).toBe('timer:t1');
    await store().completeJob(jobs[0].id, 'w');
    await enqueueMany([{ n: 'again', uniqueKey: 'timer:t1' }]);
    expect(ids(await store().claimJobs('w', 10, T0, LEASE))).toEqual(['again']);
  });

  it('runs one queue in order, one job at a time, while other queues and unqueued jobs run alongside', async () => {
    await enqueueMany([{ n: 'q1-a', queue: 'q1' }, { n: 'q1-b', queue: 'q1' }, { n: 'q2-a', queue: 'q2' }, { n: 'free-1' }, { n: 'q1-c', queue: 'q1' }, { n: 'free-2' }]);
    const first = await store().claimJobs('w', 10, T0, LEASE);
    expect(ids(first)).toEqual(['q1-a', 'q2-a', 'free-1', 'free-2']);
    expect(await store().claimJobs('w', 10, T0, LEASE)).toEqual([]);
    await store().completeJob(first[0].id, 'w');
    const second = await store().claimJobs('w', 10, T0, LEASE);
    expect(ids(second)).toEqual(['q1-b']);
    expect(second[0].queue).toBe('q1');
    await store().completeJob(second[0].id, 'w');
    expect(ids(await store().claimJobs('w', 10, T0, LEASE))).toEqual(['q1-c']);
  });

  it('completes several jobs in one call, only those the owner still holds', async () => {
    await enqueueMany([
      { n: 'a', queue: 'q1' },
      { n: 'b', queue: 'q2' },
      { n: 'c', queue: 'q3' },
      { n: 'a2', queue: 'q1' },
    ]);
    const [a, b] = await store().claimJobs('w', 2, T0, at(500_000));
    const [c] = await store().claimJobs('w', 1, T0, LEASE);
    // c's lease lapsed and another worker took it over: w's completion must not delete it.
    expect((await store().claimJobs('other', 10, at(120_000), at(150_000))).map((job) => job.id)).toEqual([c!.id]);
    await store().completeJobs([a!.id, b!.id, c!.id, 'not-a-job-id'], 'w');
    // Once every lease has lapsed: a and b are gone, c is still there, a2 now heads q1.
    expect(ids(await store().claimJobs('w', 10, at(600_000), at(630_000)))).toEqual(['c', 'a2']);
  });

  it('keeps a queue waiting behind a head that is retried later, and lets failed heads go', async () => {
    await enqueueMany([
      { n: 'head', queue: 'q' },
      { n: 'next', queue: 'q' },
    ]);
    const [head] = await store().claimJobs('w', 10, T0, LEASE);
    await store().retryJob(head.id, 'w', 'HTTP 503', at(60_000));
    expect(await store().claimJobs('w', 10, at(1000), LEASE)).toEqual([]);
    const retried = await store().claimJobs('w', 10, at(60_000), at(90_000));
    expect(retried).toMatchObject([{ payload: { n: 'head' }, attempts: 1, runAt: at(60_000) }]);
    await store().retryJob(retried[0].id, 'w', 'gave up');
    expect(ids(await store().claimJobs('w', 10, at(60_000), at(90_000)))).toEqual(['next']);
    expect(await store().countJobs()).toMatchObject({ failed: 1, leased: 1, ready: 0 });
  });

  it('takes back a job whose lease expired; the old owner can then no longer finish it', async () => {
    await enqueueMany([
      { n: 'x', queue: 'q' },
      { n: 'y', queue: 'q' },
    ]);
    const [job] = await store().claimJobs('dead', 10, T0, at(1000));
    expect(await store().claimJobs('alive', 10, at(999), at(5000))).toEqual([]);
    const [again] = await store().claimJobs('alive', 10, at(1000), at(5000));
    expect(job.attempts).toBe(0);
    // The crashed attempt counts: a job that kills its worker cannot loop unnoticed.
    expect(again).toMatchObject({ id: job.id, attempts: 1 });
    await store().completeJob(job.id, 'dead');
    await store().retryJob(job.id, 'dead', 'late');
    expect(await store().countJobs()).toMatchObject({ ready: 1, leased: 1, failed: 0 });
    await store().completeJob(job.id, 'alive');
    expect(ids(await store().claimJobs('alive', 10, at(1000), at(5000)))).toEqual(['y']);
  });

  it('adds a job leased to its creator, as a claim leaves it: no one else claims it until the lease lapses', async () => {
    const job = { kind: 'task' as const, payload: { n: 'handed' }, runAt: T0, queue: 'task:t1', uniqueKey: 'start:t1' };
    const leased = await store().enqueueLeased(job, 'creator', at(1000));
    expect(leased).toMatchObject({ kind: 'task', payload: { n: 'handed' }, runAt: T0, queue: 'task:t1', attempts: 0 });
    expect(await store().countJobs()).toMatchObject({ ready: 0, leased: 1 });
    expect(await store().claimJobs('rival', 10, at(999), at(5000))).toEqual([]);
    // The same unique key again adds nothing and hands out nothing.
    expect(await store().enqueueLeased(job, 'creator', at(1000))).toBeUndefined();
    // Its creator died: the lease lapses, and the claim counts the lost attempt.
    const [again] = await store().claimJobs('rival', 10, at(1000), at(5000));
    expect(again).toMatchObject({ id: leased!.id, attempts: 1 });
    await store().completeJobs([leased!.id], 'creator');
    expect(await store().countJobs()).toMatchObject({ leased: 1 });
    await store().completeJobs([again.id], 'rival');
    expect(await store().countJobs()).toMatchObject({ ready: 0, leased: 0 });
  });

  it('extends only the leases of their owner', async () => {
    await enqueueMany([{ n: 'mine' }, { n: 'theirs' }]);
    const [mine] = await store().claimJobs('me', 1, T0, at(1000));
    const [theirs] = await store().claimJobs('them', 1, T0, at(1000));
    await store().extendLeases('me', [mine.id, theirs.id], at(9000));
    expect(ids(await store().claimJobs('thief', 10, at(1000), at(20_000)))).toEqual(['theirs']);
    expect(ids(await store().claimJobs('thief', 10, at(9000), at(20_000)))).toEqual(['mine']);
  });

  it('extends only the leases of the jobs named: one no longer running lapses and is claimed again', async () => {
    await enqueueMany([{ n: 'running' }, { n: 'orphaned', queue: 'q' }, { n: 'behind', queue: 'q' }]);
    const [running, orphaned] = await store().claimJobs('me', 2, T0, at(1000));
    expect([running.payload.n, orphaned.payload.n]).toEqual(['running', 'orphaned']);
    // `orphaned` finished but its completion was never written: the heartbeat no longer names it.
    await store().extendLeases('me', [running.id, 'not-an-id'], at(9000));
    await store().extendLeases('me', [], at(9000));
    const again = await store().claimJobs('other', 10, at(1000), at(20_000));
    expect(again.map((job) => [job.payload.n, job.attempts])).toEqual([['orphaned', 1]]);
    await store().completeJob(again[0].id, 'other');
    expect(ids(await store().claimJobs('other', 10, at(1000), at(20_000)))).toEqual(['behind']);
  });

  it('gives back jobs on shutdown untouched, ready to run at once', async () => {
    await enqueueMany([{ n: 'a', queue: 'q' }, { n: 'b' }, { n: 'c' }]);
    await store().claimJobs('leaving', 2, T0, LEASE);
    const [kept] = await store().claimJobs('staying', 1, T0, LEASE);
    await store().releaseJobs('leaving');
    expect(await store().countJobs()).toMatchObject({ ready: 2, leased: 1 });
    const back = await store().claimJobs('next', 10, T0, LEASE);
    expect(back.map((job) => [job.payload.n, job.attempts])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    expect(kept.payload.n).toBe('c');
  });

  it('ignores completion, retry and release for unknown ids, wrong owners and hostile input', async () => {
    await enqueueMany([{ n: 'x' }]);
    const [job] = await store().claimJobs('w', 1, T0, LEASE);
    for (const id of ['999', 'abc', "1' or '1'='1", '', '-1', '1e3', '99999999999999999999']) {
      await store().completeJob(id, 'w');
      await store().retryJob(id, 'w', 'x');
    }
    for (const owner of HOSTILE) {
      await store().completeJob(job.id, owner);
      await store().releaseJobs(owner);
      await store().extendLeases(owner, [job.id], at(1));
    }
    expect(await store().countJobs()).toMatchObject({ leased: 1 });
    await store().completeJob(job.id, 'w');
    expect(await store().countJobs()).toEqual({ ready: 0, leased: 0, failed: 0 });
  });

  it('round-trips hostile payloads and owners', async () => {
    const payload = { text: HOSTILE.join('|'), nul: '\u0000', nested: { list: [1, null, 'x'] } };
    await store().enqueue({ kind: 'event', payload, runAt: T0, queue: HOSTILE[0] });
    const [job] = await store().claimJobs(HOSTILE[3], 1, T0, LEASE);
    expect(job).toMatchObject({ kind: 'event', payload, queue: HOSTILE[0] });
    await store().completeJob(job.id, HOSTILE[3]);
    expect((await store().countJobs()).leased).toBe(0);
  });

  it('says when the next claimable job is due; a job scheduled for later does not hold its queue', async () => {
    expect(await store().nextJobDue()).toBeUndefined();
    await enqueueMany([
      { n: 'later', queue: 'q', runAt: at(5000) },
      { n: 'now', queue: 'q', runAt: T0 },
    ]);
    expect(await store().nextJobDue()).toBe(T0);
    const [now] = await store().claimJobs('w', 10, T0, at(1000));
    expect(now.payload.n).toBe('now');
    await store().completeJob(now.id, 'w');
    expect(await store().nextJobDue()).toBe(at(5000));
    await enqueueMany([{ n: 'timer', runAt: at(3000) }]);
    expect(await store().nextJobDue()).toBe(at(3000));
    const [timer] = await store().claimJobs('w', 10, at(3000), at(8000));
    expect(timer.payload.n).toBe('timer');
    // A leased job comes free when its lease ends (its owner might be dead).
    expect(await store().nextJobDue()).toBe(at(5000));
    await store().retryJob(timer.id, 'w', 'x');
    const [later] = await store().claimJobs('w', 10, at(5000), at(9000));
    expect(later.payload.n).toBe('later');
    expect(await store().nextJobDue()).toBe(at(9000));
  });

  it('asked about a horizon, looks only at jobs due before it', async () => {
    await enqueueMany([
      { n: 'timer', runAt: at(60_000) },
      { n: 'soon', queue: 'q', runAt: at(400) },
    ]);
    expect(await store().nextJobDue(at(500))).toBe(at(400));
    expect(await store().nextJobDue(at(300))).toBeUndefined();
    const [soon] = await store().claimJobs('w', 10, at(400), at(30_000));
    expect(soon.payload.n).toBe('soon');
    // A live lease started before the horizon still counts, at its end.
    expect(await store().nextJobDue(at(500))).toBe(at(30_000));
    expect(await store().nextJobDue()).toBe(at(30_000));
    await store().completeJob(soon.id, 'w');
    expect(await store().nextJobDue(at(500))).toBeUndefined();
    expect(await store().nextJobDue()).toBe(at(60_000));
  });

  it('does not report a job waiting behind an already-tried head as due', async () => {
    await enqueueMany([
      { n: 'head', queue: 'q', runAt: T0 },
      { n: 'behind', queue: 'q', runAt: T0 },
    ]);
    const [head] = await store().claimJobs('w', 1, T0, at(100));
    await store().retryJob(head.id, 'w', 'try again', at(7000));
    expect(await store().nextJobDue()).toBe(at(7000));
    expect(await store().claimJobs('w', 10, at(1000), at(2000))).toEqual([]);
  });

  it('counts ready, leased and failed jobs and the oldest ready one', async () => {
    await enqueueMany([
      { n: 'a', runAt: at(10) },
      { n: 'b', runAt: at(20) },
      { n: 'c', runAt: at(30) },
    ]);
    expect(await store().countJobs()).toEqual({ ready: 3, leased: 0, failed: 0, oldestDueAt: at(10) });
    const [a] = await store().claimJobs('w', 1, at(100), LEASE);
    await store().retryJob(a.id, 'w', 'nope');
    await store().claimJobs('w', 1, at(100), LEASE);
    expect(await store().countJobs()).toEqual({ ready: 1, leased: 1, failed: 1, oldestDueAt: at(30) });
  });

  it('never hands one job to two concurrent claims of one store', async () => {
    await enqueueMany(Array.from({ length: 60 }, (_, i) => ({ n: `j${i}`, queue: i % 3 ? undefined : `q${i % 4}` })));
    const batches = await Promise.all(Array.from({ length: 12 }, (_, i) => store().claimJobs(`w${i}`, 5, T0, LEASE)));
    const claimed = batches.flat().map((job) => job.id);
    expect(new Set(claimed).size).toBe(claimed.length);
  });

  it.runIf(target.dialect === 'postgres')('never hands one job to two instances, and keeps each queue in order with one job in flight', async () => {
    const other = await sibling();
    const total = 400;
    await store().transaction(async (tx) => {
      for (let i = 0; i < total; i++) {
        await tx.enqueue({ kind: 'alert', payload: { n: i }, runAt: T0, queue: i % 4 === 0 ? undefined : `q${i % 10}` });
      }
    });
    const seen = new Map<string, number>();
    const inFlight = new Map<string, number>();
    const order = new Map<string, number[]>();
    const violations: string[] = [];
    const work = async (instance: Store, owner: string) => {
      for (let idle = 0; idle < 3;) {
        const jobs = await instance.claimJobs(owner, 4, T0, LEASE);
        if (jobs.length === 0) {
          idle += 1;
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        idle = 0;
        for (const job of jobs) {
          seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
          if (job.queue) {
            inFlight.set(job.queue, (inFlight.get(job.queue) ?? 0) + 1);
            if (inFlight.get(job.queue)! > 1) violations.push(`${job.queue} ran two jobs at once`);
            order.set(job.queue, [...(order.get(job.queue) ?? []), Number(job.payload.n)]);
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
        for (const job of jobs) {
          if (job.queue) inFlight.set(job.queue, inFlight.get(job.queue)! - 1);
          await instance.completeJob(job.id, owner);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => work(i % 2 ? other : store(), `${i % 2 ? 'b' : 'a'}-${i}`)));
    expect(violations).toEqual([]);
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    for (const [queue, numbers] of order) expect(numbers, queue).toEqual([...numbers].sort((x, y) => x - y));
    expect(await store().countJobs()).toEqual({ ready: 0, leased: 0, failed: 0 });
  });
});
