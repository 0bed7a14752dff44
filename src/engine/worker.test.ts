import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import type { Job, Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { systemClock } from '../util/clock.js';
import { Worker } from './worker.js';
import { enqueueHandedOff, withHandoff } from './job-handoff.js';

const log = pino({ level: 'silent' });

/** Polls until `check` holds, failing after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Worker', () => {
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });

  async function start(store: Store, handle: (job: Job) => Promise<undefined>, options: { leaseMs?: number; concurrency?: number } = {}): Promise<Worker> {
    const worker = new Worker({
      store,
      clock: systemClock,
      log,
      owner: 'worker-test',
      leaseMs: options.leaseMs ?? 300,
      concurrency: options.concurrency,
      pollMs: 20,
      handlers: { alert: handle, task: handle, event: handle, digest: handle, topic: handle, acknowledged: handle, update: handle },
    });
    workers.push(worker);
    worker.start();
    return worker;
  }

  it('lets the lease of a job lapse when its outcome could not be written, so the job and its queue go on', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    // The database "drops the connection" exactly when the first job's outcome is written.
    let lost = 2;
    const flaky = new Proxy(store, {
      get(target, key, receiver) {
        if ((key === 'completeJob' || key === 'completeJobs' || key === 'retryJob') && lost > 0) {
          return async () => {
            lost -= 1;
            throw new Error('Connection terminated unexpectedly');
          };
        }
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const now = new Date().toISOString();
    await store.enqueue({ kind: 'task', payload: { n: 'first' }, runAt: now, queue: 'incident-1' });
    await store.enqueue({ kind: 'task', payload: { n: 'second' }, runAt: now, queue: 'incident-1' });

    const ran: string[] = [];
    await start(flaky, async (job) => {
      ran.push(String(job.payload.n));
      return undefined;
    });
    // A heartbeat that kept extending the orphaned lease would block `incident-1` for good.
    await until(async () => (await store.countJobs()).ready + (await store.countJobs()).leased === 0, 5_000, 'both jobs done');
    expect(ran).toEqual(['first', 'first', 'second']);
  });

  it('keeps the lease of a long job alive while it runs, so no one else runs it meanwhile', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    await store.enqueue({ kind: 'task', payload: { n: 'slow' }, runAt: new Date().toISOString() });
    let runs = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await start(
      store,
      async () => {
        runs += 1;
        await finished;
        return undefined;
      },
      { leaseMs: 1000 },
    );
    await until(() => runs === 1, 2_000, 'the job started');
    // Several lease lengths later a rival still finds nothing to claim.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const rival = await store.claimJobs('rival', 10, new Date().toISOString(), new Date(Date.now() + 1000).toISOString());
    expect(rival).toEqual([]);
    finish();
    await until(async () => (await store.countJobs()).leased === 0, 2_000, 'the job done');
    expect(runs).toBe(1);
  });

  it('stops within its deadline and gives a job that is still running back for another instance to take at once', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    await store.enqueue({ kind: 'task', payload: { n: 'hung' }, runAt: new Date().toISOString() });
    let started = false;
    const worker = await start(
      store,
      async () => {
        started = true;
        await new Promise(() => {}); // an HTTP call that never answers
        return undefined;
      },
      { leaseMs: 60_000 },
    );
    await until(() => started, 2_000, 'the job started');
    await worker.stop({ deadlineMs: 100 });
    // Not after the 60 s lease: now, with its attempt given back.
    const taken = await store.claimJobs('successor', 10, new Date().toISOString(), new Date(Date.now() + 1000).toISOString());
    expect(taken.map((job) => [job.payload.n, job.attempts])).toEqual([['hung', 0]]);
  });

  it('starts the jobs of one claim one turn of the event loop apart, so what else waits runs in between', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    const now = new Date().toISOString();
    for (const n of [1, 2, 3]) await store.enqueue({ kind: 'task', payload: { n }, runAt: now });
    const events: string[] = [];
    await start(store, async (job) => {
      events.push(`job ${String(job.payload.n)}`);
      // Work queued by a job's synchronous first steps (a webhook's callback, a timer) comes next.
      setImmediate(() => events.push(`after job ${String(job.payload.n)}`));
      return undefined;
    });
    await until(async () => (await store.countJobs()).ready + (await store.countJobs()).leased === 0, 5_000, 'all jobs done');
    expect(events.slice(0, 5)).toEqual(['job 1', 'after job 1', 'job 2', 'after job 2', 'job 3']);
  });

  /**
   * A worker whose `alert` job creates a task job through the worker's handoff, in a transaction
   * that commits or (with `payload.fail`) rolls back; `claimed` lists what each claim returned.
   */
  async function handoffWorker(options: { concurrency?: number } = {}) {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    const claimed: string[][] = [];
    const claimJobs = store.claimJobs.bind(store);
    store.claimJobs = async (...args) => {
      const jobs = await claimJobs(...args);
      if (jobs.length) claimed.push(jobs.map((job) => String(job.payload.n)));
      return jobs;
    };
    const ran: string[] = [];
    const worker: Worker = await start(
      store,
      async (job) => {
        ran.push(String(job.payload.n));
        if (job.kind !== 'alert') return undefined;
        const task = { kind: 'task' as const, payload: { n: `${String(job.payload.n)}'s task` }, runAt: new Date().toISOString(), queue: `task:${job.id}` };
        const handoff = worker.handoff();
        await withHandoff(store, handoff, async (tx) => {
          await enqueueHandedOff(tx, task, handoff);
          if (job.payload.fail) throw new Error('rolled back');
        }).catch(() => {});
        return undefined;
      },
      { concurrency: options.concurrency },
    );
    return { store, worker, claimed, ran };
  }

  it('runs a job created by a running job here at once, leased in the same commit: no claim returns it', async () => {
    const { store, worker, claimed, ran } = await handoffWorker();
    await store.enqueue({ kind: 'alert', payload: { n: 'a1' }, runAt: new Date().toISOString() });
    worker.wake();
    await until(async () => ran.includes("a1's task") && (await store.countJobs()).leased === 0, 5_000, 'the task job ran');
    expect(ran).toEqual(['a1', "a1's task"]);
    expect(claimed).toEqual([['a1']]);
    expect(await store.countJobs()).toMatchObject({ ready: 0, leased: 0, failed: 0 });
  });

  it('forgets what a rolled-back transaction leased, and frees the slot it promised', async () => {
    const { store, worker, claimed, ran } = await handoffWorker({ concurrency: 2 });
    await store.enqueue({ kind: 'alert', payload: { n: 'undone', fail: true }, runAt: new Date().toISOString() });
    worker.wake();
    await until(async () => ran.includes('undone') && (await store.countJobs()).leased === 0, 5_000, 'the alert job done');
    await store.enqueue({ kind: 'alert', payload: { n: 'kept' }, runAt: new Date().toISOString() });
    worker.wake();
    await until(() => ran.includes("kept's task"), 5_000, 'the second task job ran');
    expect(ran).toEqual(['undone', 'kept', "kept's task"]);
    expect(claimed).toEqual([['undone'], ['kept']]);
    await until(async () => (await store.countJobs()).leased === 0, 2_000, 'all done');
    expect(await store.countJobs()).toMatchObject({ ready: 0, failed: 0 });
  });

  it('queues the job for a claim when every slot is taken, and looks for it once the commit ends', async () => {
    const { store, worker, claimed, ran } = await handoffWorker({ concurrency: 1 });
    await store.enqueue({ kind: 'alert', payload: { n: 'full' }, runAt: new Date().toISOString() });
    worker.wake();
    await until(() => ran.includes("full's task"), 5_000, 'the task job ran');
    expect(claimed).toEqual([['full'], ["full's task"]]);
  });

  it('wakes at once for an arrival at an idle worker, and at most every 10 ms for arrivals at a busy one', async () => {
    const { store, worker, state, release } = await heldAlertWorker('nudged', workers);
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Idle: an arrival is claimed at once (the poll is a minute away).
    await store.enqueue({ kind: 'alert', payload: { n: 'first' }, runAt: new Date().toISOString() });
    state.clock += 1000;
    worker.nudge();
    try {
      await until(() => state.started, 2_000, 'the first alert claimed');
      // Busy: 100 arrivals 1 ms apart (by the worker's clock) wake it about once per 10 ms.
      const wake = vi.spyOn(worker, 'wake');
      state.clock += 1000;
      for (let i = 0; i < 100; i++) {
        worker.nudge();
        state.clock += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50)); // the deferred wake, if any
      expect(wake.mock.calls.length).toBeGreaterThanOrEqual(10);
      expect(wake.mock.calls.length).toBeLessThanOrEqual(11);
    } finally {
      release();
    }
  });

  it('waits longer between claims while arrivals keep coming (up to 40 ms), and at most 10 ms again once they slow down', async () => {
    const { store, worker, state, release } = await heldAlertWorker('storm', workers);
    const claims = vi.spyOn(store, 'claimJobs');
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await store.enqueue({ kind: 'alert', payload: { n: 'first' }, runAt: new Date().toISOString() });
    state.clock += 1000;
    worker.nudge();
    /** `count` arrivals `gapMs` apart by the worker's clock; then the claims they cause are awaited. */
    const arrive = async (count: number, gapMs: number) => {
      const before = claims.mock.calls.length;
      for (let i = 0; i < count; i++) {
        worker.nudge();
        state.clock += gapMs;
      }
      await until(() => claims.mock.calls.length > before, 2_000, 'a claim after the arrivals');
      await new Promise((resolve) => setTimeout(resolve, 60)); // the deferred wake and its claim, if any
    };
    /** How often 100 arrivals 1 ms apart wake the busy worker. */
    const wakesFor100 = async () => {
      const wake = vi.spyOn(worker, 'wake');
      wake.mockClear();
      await arrive(100, 1);
      const count = wake.mock.calls.length;
      wake.mockRestore();
      return count;
    };
    try {
      await until(() => state.started, 2_000, 'the first alert claimed');
      // A burst of 16 ms after a quiet second is no storm: the rate is measured over at least 100 ms.
      state.clock += 1000;
      await arrive(1, 0);
      await arrive(100, 0.16);
      expect(await wakesFor100()).toBeGreaterThanOrEqual(10);
      // A storm: 5 arrivals per ms for 100 ms, twice, doubles the wait twice (10 → 20 → 40 ms).
      await arrive(500, 0.2);
      await arrive(500, 0.2);
      const stormWakes = await wakesFor100();
      expect(stormWakes).toBeGreaterThanOrEqual(2);
      expect(stormWakes).toBeLessThanOrEqual(4);
      // Calm again (one arrival in a second): every 10 ms, as before the storm.
      state.clock += 1000;
      await arrive(1, 0);
      const calmWakes = await wakesFor100();
      expect(calmWakes).toBeGreaterThanOrEqual(10);
      expect(calmWakes).toBeLessThanOrEqual(11);
    } finally {
      release();
    }
  });
});

/**
 * A worker on an in-memory store whose `alert` jobs hang until `release()`, with the monotonic
 * clock of its arrival coalescing in `state.clock` (moved by hand) and `state.started` set once an
 * alert job runs; it joins `workers`, which the tests stop after each.
 */
async function heldAlertWorker(owner: string, workers: Worker[]) {
  const store = openSqliteStore({ file: ':memory:' });
  await store.migrate();
  const state = { clock: 1_000_000, started: false };
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const worker = new Worker({
    store,
    clock: systemClock,
    log,
    owner,
    pollMs: 60_000,
    monotonicMs: () => state.clock,
    handlers: {
      alert: async () => {
        state.started = true;
        await held;
        return undefined;
      },
      task: async () => undefined,
      event: async () => undefined,
      digest: async () => undefined,
      topic: async () => undefined,
      acknowledged: async () => undefined,
      update: async () => undefined,
    },
  });
  workers.push(worker);
  return { store, worker, state, release };
}
