import type { Logger } from 'pino';
import type { Job, JobKind, Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { JobOutcome } from './engine.js';
import { withLogContext } from '../util/log-context.js';
import type { RetryHint } from '../boxes/box-error.js';
import { CompleteBatcher } from './complete-batcher.js';
import type { JobHandoff } from './job-handoff.js';

export type JobHandler = (job: Job) => Promise<JobOutcome>;

/** How often a job that throws is tried before it is marked failed (about ten minutes of retries). */
const MAX_JOB_ATTEMPTS = 25;

/** The shortest nap between claims that found nothing; any finished or queued job ends it early. */
const MIN_IDLE_MS = 20;

/**
 * While the worker is busy and claims are frequent, arrivals wait this long after the last claim
 * before they trigger another: a storm's alerts are then claimed in groups, not one claim each.
 * An arrival at an idle worker is claimed at once.
 */
const ARRIVAL_COALESCE_MS = 10;
/**
 * While arrivals keep coming (a storm), the wait doubles up to this, and a busy worker also holds
 * its next claim until then: the alerts of a group pile up behind the job that joins them, so each
 * decide takes more of them along. It falls back as soon as arrivals slow down.
 */
const MAX_COALESCE_MS = 40;
/** Arrivals per ARRIVAL_COALESCE_MS (measured over at least RATE_WINDOW_MS) that mean a storm: 300/s. */
const STORM_ARRIVALS = 3;
/**
 * The arrival rate is measured over at least this long: on a busy machine the event loop stalls
 * and then reads many requests at once, and a burst like that after a stall is no storm (held
 * claims would delay every job of a flow's chain).
 */
const RATE_WINDOW_MS = 100;
/** Below this many per ARRIVAL_COALESCE_MS (150/s) the wait is back to ARRIVAL_COALESCE_MS. */
const CALM_ARRIVALS = 1.5;

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  handlers: Record<JobKind, JobHandler>;
  /** Unique per process: whose leases are whose. */
  owner: string;
  concurrency?: number;
  leaseMs?: number;
  /** How often to look for work another instance queued (work queued here wakes the loop at once). */
  pollMs?: number;
  /** A monotonic clock in ms for arrival coalescing (performance.now); tests drive it by hand. */
  monotonicMs?: () => number;
  /** Called after each job, for metrics. */
  onJobDone?(job: Job, outcome: 'done' | 'retry' | 'deferred' | 'failed', ms: number): void;
}

/**
 * Claims due jobs with a lease and runs them. A heartbeat extends the leases it holds; if this
 * process dies, the leases lapse and another instance (or this one, restarted) claims the jobs again.
 */
export class Worker {
  private running = false;
  /** The jobs running here, by id: the only leases the heartbeat extends. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private wakeUp?: () => void;
  private lastClaimAt = Number.NEGATIVE_INFINITY;
  private lastArrivalWake = Number.NEGATIVE_INFINITY;
  /** How long arrivals at a busy worker wait after the last claim: adapts to the arrival rate. */
  private coalesceMs = ARRIVAL_COALESCE_MS;
  /** Arrivals since `rateSince` (monotonic ms), for the rate that sets `coalesceMs`. */
  private arrivals = 0;
  private rateSince = Number.NEGATIVE_INFINITY;
  private readonly monotonicMs: () => number;
  private nudgeTimer?: NodeJS.Timeout;
  /** A wake that came while the loop was busy claiming: the next sleep returns at once. */
  private woken = false;
  private loopDone?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly completions: CompleteBatcher;
  /** Settles when the last job handed to `track` may start: jobs start one turn of the event loop apart. */
  private startTurn: Promise<void> = Promise.resolve();
  /** Slots promised to jobs leased here by transactions not yet ended (`handoff`). */
  private reserved = 0;

  constructor(private readonly options: WorkerOptions) {
    this.completions = new CompleteBatcher(
      (ids) => options.store.completeJobs(ids, options.owner),
      (waiting) => this.inFlight.size > waiting,
    );
    this.concurrency = options.concurrency ?? 16;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 500;
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.heartbeat = setInterval(
      () => {
        if (this.inFlight.size === 0) return;
        const until = new Date(this.options.clock.now().getTime() + this.leaseMs).toISOString();
        this.options.store.extendLeases(this.options.owner, [...this.inFlight.keys()], until).catch((err) => this.options.log.warn({ err }, 'lease heartbeat failed'));
      },
      Math.max(50, this.leaseMs / 3),
    );
    this.heartbeat.unref();
    this.loopDone = this.loop();
  }

  /**
   * Alerts arrived: look at once if the worker is idle or its last claim was a while ago; while it
   * is busy and claiming often, a little later (`coalesceMs` after the last claim: 10 ms, up to
   * 40 ms while a storm lasts), so a storm's webhooks keep the CPU and the alerts that arrived
   * meanwhile are taken together.
   */
  nudge(): void {
    const now = this.monotonicMs();
    this.arrivals += 1;
    const since = now - Math.max(this.lastClaimAt, this.lastArrivalWake);
    if (this.inFlight.size === 0 || since >= this.coalesceMs) {
      this.lastArrivalWake = now;
      return this.wake();
    }
    if (this.nudgeTimer) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      this.wake();
    }, this.coalesceMs - since);
  }

  /**
   * For one transaction that creates jobs heading queues of their own (a new task's): while this
   * worker has a free slot, such a job is leased to it in that commit and starts here as the
   * commit ends, with no claim statement and no wait for the next claim. Without a free slot it
   * is queued, and the worker looks once the commit ends. A crash after the commit leaves the job
   * leased to a dead process, like any claimed job: another claim takes it when the lease lapses.
   */
  handoff(): JobHandoff {
    const leased: Job[] = [];
    let reserved = 0;
    let queued = false;
    return {
      lease: () => {
        if (!this.running || this.inFlight.size + this.reserved >= this.concurrency) return undefined;
        reserved += 1;
        this.reserved += 1;
        return { owner: this.options.owner, until: new Date(this.options.clock.now().getTime() + this.leaseMs).toISOString() };
      },
      leased: (job) => void leased.push(job),
      queued: () => void (queued = true),
      settle: (committed) => {
        this.reserved -= reserved;
        reserved = 0;
        if (!committed) return;
        // Stopping: what was leased here is given back by `stop`, or lapses.
        if (this.running) for (const job of leased) this.track(job);
        if (queued) this.wake();
      },
    };
  }

  /** Work was queued here: look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Graceful stop: no new claims; jobs in flight may finish within `deadlineMs`; then every lease
   * still held is given back, so another instance takes the unfinished jobs at once instead of
   * after `leaseMs`. The caller exits right after, so a job still running at the deadline does not
   * run on beside its successor (and boxes are idempotent by task id even if it did).
   */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.nudgeTimer);
    this.wake();
    await this.loopDone;
    const deadlineMs = options.deadlineMs ?? Number.POSITIVE_INFINITY;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.inFlight.values()]).then(() => true),
      ...(Number.isFinite(deadlineMs) ? [new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)))] : []),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.options.log.warn({ jobs: [...this.inFlight.keys()], deadlineMs }, 'shutdown deadline passed: giving unfinished jobs back to other instances');
    }
    clearInterval(this.heartbeat);
    await this.options.store.releaseJobs(this.options.owner).catch((err) => this.options.log.warn({ err }, 'releasing leases failed; they lapse after leaseMs'));
  }

  /**
   * Runs every job that is due now, and the jobs those create, until none is left (for the
   * simulator and tests driving a fake clock). Returns how many ran.
   */
  async drain(maxJobs = 10_000): Promise<number> {
    let count = 0;
    while (count < maxJobs) {
      const jobs = await this.claim(this.concurrency);
      if (jobs.length === 0) {
        if (this.inFlight.size === 0) break;
        await Promise.race(this.inFlight.values());
        continue;
      }
      count += jobs.length;
      for (const job of jobs) this.track(job);
      await Promise.race(this.inFlight.values());
    }
    await Promise.allSettled([...this.inFlight.values()]);
    return count;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.inFlight.size - this.reserved;
      if (free > 0) {
        // A storm: a busy worker claims at most every `coalesceMs`, whatever woke it (a job that
        // ended, an alert joined), so the alerts queued meanwhile go to one job each group.
        const hold = this.inFlight.size > 0 && this.coalesceMs > ARRIVAL_COALESCE_MS ? this.lastClaimAt + this.coalesceMs - this.monotonicMs() : 0;
        if (hold > 0) await new Promise<void>((resolve) => setTimeout(resolve, hold));
        if (!this.running) break;
        try {
          for (const job of await this.claim(free)) this.track(job);
        } catch (err) {
          this.options.log.error({ err }, 'claiming jobs failed; retrying');
        }
        // Let HTTP requests in between claims, even when every claim finds work: a backlog of
        // thousands of jobs must never keep /healthz, webhooks or the web UI waiting.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!this.running) break;
      // Whatever could be claimed was. More comes with a wake (a job ended, work was queued here),
      // a timer falling due, or the poll for other instances' work. Asking the database again at
      // once found nothing but starved the event loop, and with it the webhooks, during storms.
      // A wake already came (a job ended): no need to ask the database when the next job is due.
      await this.sleep(this.inFlight.size >= this.concurrency ? this.pollMs : this.woken ? 0 : Math.max(MIN_IDLE_MS, await this.idleDelay()));
    }
  }

  private async idleDelay(): Promise<number> {
    try {
      // Only the next poll interval matters: a job due later is found by the next look anyway.
      const now = this.options.clock.now().getTime();
      const due = await this.options.store.nextJobDue(new Date(now + this.pollMs).toISOString());
      if (!due) return this.pollMs;
      return Math.max(0, Math.min(this.pollMs, new Date(due).getTime() - this.options.clock.now().getTime()));
    } catch {
      return this.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.woken = false;
        this.wakeUp = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async claim(limit: number): Promise<Job[]> {
    const at = this.monotonicMs();
    this.lastClaimAt = at;
    const now = this.options.clock.now();
    const jobs = await this.options.store.claimJobs(this.options.owner, limit, now.toISOString(), new Date(now.getTime() + this.leaseMs).toISOString());
    this.adaptCoalescing(at);
    return jobs;
  }

  /**
   * Sets how long arrivals wait while the worker is busy, from the arrival rate since the last
   * measure (taken over at least RATE_WINDOW_MS): a storm doubles it up to MAX_COALESCE_MS, a
   * calm rate resets it. A claim that fills every free slot is no signal by itself: a backlog
   * without arrivals (a restart with queued jobs) should run at full speed, not wait between claims.
   */
  private adaptCoalescing(at: number): void {
    if (!Number.isFinite(this.rateSince)) this.rateSince = at;
    const elapsed = at - this.rateSince;
    if (elapsed < RATE_WINDOW_MS) return;
    const perWindow = (this.arrivals * ARRIVAL_COALESCE_MS) / elapsed;
    if (perWindow >= STORM_ARRIVALS) this.coalesceMs = Math.min(MAX_COALESCE_MS, this.coalesceMs * 2);
    else if (perWindow < CALM_ARRIVALS) this.coalesceMs = ARRIVAL_COALESCE_MS;
    this.arrivals = 0;
    this.rateSince = at;
  }

  /**
   * Resolves in a later turn of the event loop than the job handed out before it. A job's store
   * calls are synchronous on SQLite, so the claimed jobs started together would run their first
   * steps back to back in one turn (16 jobs × 1–3 ms) while timers, webhooks and health checks
   * wait; one job per turn lets them in between at the cost of a few microseconds per job.
   */
  private nextTurn(): Promise<void> {
    const turn = this.startTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.startTurn = turn;
    return turn;
  }

  private track(job: Job): void {
    const turn = this.nextTurn();
    // Every line logged while the job runs says which job (and, once known, incident and run).
    const promise = withLogContext({ jobId: job.id, jobKind: job.kind }, () => turn.then(() => this.execute(job))).finally(() => {
      // Finished, or its outcome could not be written: either way it no longer runs here, so its
      // lease is left to lapse and the job is claimed again (handlers are idempotent).
      this.inFlight.delete(job.id);
      // A finished job frees a slot and may have unblocked the next job of its queue.
      this.wake();
    });
    this.inFlight.set(job.id, promise);
  }

  private async execute(job: Job): Promise<void> {
    const { store, owner, log } = this.options;
    const started = performance.now();
    const handler = this.options.handlers[job.kind];
    try {
      const outcome = handler ? await handler(job) : undefined;
      // A retry or a deferral is the same row due later: the slot is free as soon as it is written.
      if (outcome && 'deferUntil' in outcome) {
        await store.deferJob(job.id, owner, outcome.deferUntil, outcome.reason);
        this.options.onJobDone?.(job, 'deferred', performance.now() - started);
        return;
      }
      if (outcome && 'retryAt' in outcome) {
        await store.retryJob(job.id, owner, outcome.error, outcome.retryAt, outcome.failedAt);
        log.info({ jobId: job.id, kind: job.kind, attempt: job.attempts + 1, retryAt: outcome.retryAt, err: outcome.error }, 'job will be retried');
        this.options.onJobDone?.(job, 'retry', performance.now() - started);
        return;
      }
      await this.completions.add(job.id);
      this.options.onJobDone?.(job, 'done', performance.now() - started);
    } catch (err) {
      // "Not yet" from a job kind without its own policy (a digest waiting for its channel's turn).
      const hint = (err as { retry?: RetryHint }).retry;
      if (hint?.deferral) {
        const until = new Date(this.options.clock.now().getTime() + Math.max(1, hint.retryAfterMs ?? 1000)).toISOString();
        await store.deferJob(job.id, owner, until, (err as Error).message).catch(() => {});
        this.options.onJobDone?.(job, 'deferred', performance.now() - started);
        return;
      }
      log.error({ err, jobId: job.id, kind: job.kind }, 'job failed');
      // Mostly a database or network blip: retry soon (backoff capped at 30 s, or the service's
      // Retry-After) and for long enough to ride out a database restart; only a job failing for
      // ~10 minutes is given up.
      const attempts = job.attempts + 1;
      const delay = Math.max(Math.min(30_000, 1000 * 2 ** attempts), hint?.retryAfterMs ?? 0);
      const retryAt = attempts < MAX_JOB_ATTEMPTS ? new Date(this.options.clock.now().getTime() + delay).toISOString() : undefined;
      await store.retryJob(job.id, owner, (err as Error).message ?? String(err), retryAt).catch(() => {});
      this.options.onJobDone?.(job, 'failed', performance.now() - started);
    }
  }
}
