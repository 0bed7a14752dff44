import type { Job } from '../store/store.js';
import type { RetryHint } from '../errors/sidekick-error.js';
import { isRetryable } from '../errors/is-retryable.js';

export { isRetryable };

/** How many times a box is tried before its failure is recorded and the run moves on. */
export const MAX_BOX_ATTEMPTS = 5;

/** The longest backoff between two tries of a box. */
const MAX_BACKOFF_MS = 30_000;

/** What to do with a box run that threw: run again later, or give up and record the failure. */
export type RetryDecision = { kind: 'defer'; until: string; reason: string } | { kind: 'retry'; at: string; failedAt: string } | { kind: 'fail' };

/** What the policy reads of an error: fields, never classes or codes (one catalogue, STYLE 15). */
interface FailureFields {
  retry?: RetryHint;
  message?: unknown;
}

/**
 * Decides what happens after a box run threw, from the error's fields (`retryable`, `retry`; see
 * errors/sidekick-error.ts) and the job's persisted history (`attempts`, `failingSince`): a deferral costs no attempt; a retry waits for the longer of
 * the backoff (1 s doubling, at most 30 s, up to 30 % jitter) and the service's Retry-After; the
 * budget is the error's `retryForMs` when it has one, else MAX_BOX_ATTEMPTS tries.
 */
export function decideRetry(error: unknown, job: Pick<Job, 'attempts' | 'failingSince'>, now: Date, random: () => number = Math.random): RetryDecision {
  const e = (error ?? {}) as FailureFields;
  const hint = e.retry ?? {};
  const retryAfterMs = numberOr(hint.retryAfterMs, undefined);
  const reason = typeof e.message === 'string' ? e.message : String(error);
  if (hint.deferral) return { kind: 'defer', until: new Date(now.getTime() + Math.max(1, retryAfterMs ?? 1000)).toISOString(), reason };
  if (!isRetryable(error)) return { kind: 'fail' };
  const backoff = Math.round(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** job.attempts) * (1 - 0.3 * random()));
  const delay = Math.max(backoff, retryAfterMs ?? 0);
  const failedAt = job.failingSince ?? now.toISOString();
  const within = hint.retryForMs !== undefined ? now.getTime() + delay - Date.parse(failedAt) <= hint.retryForMs : job.attempts + 1 < MAX_BOX_ATTEMPTS;
  if (!within) return { kind: 'fail' };
  return { kind: 'retry', at: new Date(now.getTime() + delay).toISOString(), failedAt };
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
