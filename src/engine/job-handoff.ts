import type { Job, NewJob, Store } from '../store/store.js';

/**
 * What a transaction that creates a task job asks of the worker of its process: may the job carry
 * a lease to this worker (leased in the same commit, started here as soon as it commits, no claim
 * needed), or must it wait for a claim? One per transaction: a rolled-back transaction's jobs were
 * never written, so `settle(false)` forgets them.
 */
export interface JobHandoff {
  /** The lease a job created in this transaction may carry; undefined when it waits for a claim. */
  lease(): { owner: string; until: string } | undefined;
  /** A job this transaction leased: it starts here once the transaction commits. */
  leased(job: Job): void;
  /** A job this transaction queued for a claim: the worker looks once the transaction commits. */
  queued(): void;
  /** The transaction ended: start what it leased when it committed, and look for what it queued. */
  settle(committed: boolean): void;
}

/** No worker here (a tool, a test without one): every job waits for a claim; `wake` tells whoever looks. */
export function claimOnly(wake: () => void = () => {}): JobHandoff {
  let queued = false;
  return {
    lease: () => undefined,
    leased: () => {},
    queued: () => void (queued = true),
    settle: (committed) => {
      if (committed && queued) wake();
    },
  };
}

/**
 * Adds a job inside `tx`, leased to this process's worker when it has room (the job heads a queue
 * of its own, so nothing could run before it), else queued for a claim.
 */
export async function enqueueHandedOff(tx: Store, job: NewJob, handoff: JobHandoff): Promise<void> {
  const lease = handoff.lease();
  if (!lease) {
    await tx.enqueue(job);
    handoff.queued();
    return;
  }
  const leased = await tx.enqueueLeased(job, lease.owner, lease.until);
  if (leased) handoff.leased(leased);
}

/**
 * Runs `work` in one transaction with a handoff of its own, and settles the handoff with whether
 * it committed.
 */
export async function withHandoff<T>(store: Store, handoff: JobHandoff, work: (tx: Store) => Promise<T>): Promise<T> {
  let committed = false;
  try {
    const result = await store.transaction(work);
    committed = true;
    return result;
  } finally {
    handoff.settle(committed);
  }
}
