/**
 * Whether running the work again can help, read from the error's `retryable` field (every
 * SidekickError has one, set by the catalogue or the throw site). An error without the field
 * (a dropped database connection, a library's network error, a bug) is worth another try.
 */
export function isRetryable(error: unknown): boolean {
  const retryable = (error as { retryable?: unknown } | null | undefined)?.retryable;
  return typeof retryable === 'boolean' ? retryable : true;
}
