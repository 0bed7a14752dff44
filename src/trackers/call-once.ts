import type { Logger } from 'pino';

/**
 * One tracker request, one attempt: nothing waits here. A failure is logged (what was being done,
 * the status) and thrown as it is; the tracker turns it into a TrackerError (a 429 with its
 * Retry-After, a 5xx or no answer are transient), and the engine runs the box again later,
 * durably. Filing again is safe: the issue is found by its marker before anything is created.
 */
export async function callOnce<T>(vendor: string, log: Logger | undefined, doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    log?.debug({ doing, status: (error as { status?: number })?.status }, `${vendor}: request failed`);
    throw error;
  }
}
