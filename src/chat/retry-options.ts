/** How long a chat adapter keeps retrying a failing call, counted from its first failure. */
export interface RetryOptions {
  /** The retry budget: give up once failures have lasted this long (default two minutes). */
  maxElapsedMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxElapsedMs: 120_000,
};
