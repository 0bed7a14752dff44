import { decideRetry } from '../../src/engine/retry-policy.js';

export interface JobRun<T> {
  result: T;
  /** How many times the work ran. */
  runs: number;
  /** The delay the engine's retry policy chose after each failed run (deferrals and retries). */
  delays: number[];
  /** The errors each failed run threw, in order. */
  errors: unknown[];
}

/**
 * What the engine does with a box that throws: the job runs again when the retry policy says
 * (a deferral for pacing, a backoff or Retry-After for a failure) until it succeeds or the policy
 * gives up (then the last error is thrown). The engine's own decideRetry decides; `scale` turns
 * its delays into real waits (0: no real wait, for fakes that do not count time).
 */
export async function runAsJob<T>(work: () => Promise<T>, options: { scale?: number } = {}): Promise<JobRun<T>> {
  let attempts = 0;
  let failingSince: string | undefined;
  const delays: number[] = [];
  const errors: unknown[] = [];
  for (let runs = 1; ; runs++) {
    try {
      return { result: await work(), runs, delays, errors };
    } catch (error) {
      errors.push(error);
      const now = Date.now();
      const decision = decideRetry(error, { attempts, failingSince }, new Date(now), () => 0);
      if (decision.kind === 'fail') throw error;
      if (decision.kind === 'retry') {
        attempts += 1;
        failingSince = decision.failedAt;
      }
      const ms = Date.parse(decision.kind === 'defer' ? decision.until : decision.at) - now;
      delays.push(ms);
      await new Promise((resolve) => setTimeout(resolve, ms * (options.scale ?? 0)));
    }
  }
}
