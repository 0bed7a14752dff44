import { TrackerError } from '../tracker-error.js';
import { parseRetryAfter } from '../../util/http-retry.js';

/** What Octokit throws: a RequestError with the status and GitHub's response. */
interface OctokitFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** GitHub's wait for a 429 the throttling plugin did not recognise: Retry-After, else "at least a minute". */
const DEFAULT_WAIT_MS = 60_000;

/**
 * How long GitHub asks us to wait, if `error` is a rate limit (403 or 429): the wait the
 * throttling plugin read (github.ts notes it), else for a bare 429 its Retry-After or a minute.
 */
export function rateLimitWait(error: unknown, now: Date, notedWaitMs?: number): number | undefined {
  const failure = error as OctokitFailure;
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  if (notedWaitMs !== undefined) return notedWaitMs;
  if (failure.status !== 429) return undefined;
  const retryAfter = failure.response?.headers?.['retry-after'];
  return parseRetryAfter(retryAfter === undefined ? undefined : String(retryAfter), now) ?? DEFAULT_WAIT_MS;
}

/** True for failures worth one more try for an idempotent request: 5xx and network errors. */
export function isServerTrouble(error: unknown): boolean {
  const status = (error as OctokitFailure).status;
  return status === undefined || status >= 500;
}

/** Turns what Octokit threw into a TrackerError that says what to fix, without the token. */
export function toTrackerError(error: unknown, context: { repo: string; doing: string; now: Date; notedWaitMs?: number }): TrackerError {
  if (error instanceof TrackerError) return error;
  const failure = error as OctokitFailure;
  const status = failure.status;
  const said = messageOf(failure);
  const where = `${context.doing} in ${context.repo}`;
  const wait = rateLimitWait(error, context.now, context.notedWaitMs);
  if (wait !== undefined) {
    return new TrackerError('TRACKER_RATE_LIMITED', `GitHub rate limit while ${where} (${said}); try again in ${Math.ceil(wait / 1000)} s`, { status, retryAfterMs: wait, transient: true });
  }
  switch (status) {
    case 401:
      return new TrackerError('TRACKER_AUTH_FAILED', `GitHub rejected the token (401 ${said}) while ${where}; check GITHUB_TOKEN`, { status });
    case 403:
      return new TrackerError('TRACKER_FORBIDDEN', `GitHub refused ${where} (403 ${said}); the token needs the "issues: write" permission on the repository`, { status });
    case 404:
      return new TrackerError(
        'TRACKER_NOT_FOUND',
        `GitHub answered 404 Not Found while ${where}; check GITHUB_REPO (owner/name), GITHUB_API_URL, and that the token can see the repository (GitHub says 404, not 403, for private repositories a token cannot access)`,
        { status },
      );
    case 410:
      return new TrackerError('TRACKER_REJECTED', `GitHub answered 410 (${said}) while ${where}; are issues enabled for the repository?`, { status });
    case 422:
      return new TrackerError('TRACKER_REJECTED', `GitHub rejected ${where} as invalid (422 ${said})`, { status });
    default:
      if (isServerTrouble(error)) {
        return new TrackerError('TRACKER_UNAVAILABLE', `GitHub did not complete ${where} (${status ?? 'no answer'}: ${said}); it will be retried`, { status, transient: true });
      }
      return new TrackerError('TRACKER_REJECTED', `GitHub answered ${status} while ${where} (${said})`, { status });
  }
}

/** GitHub's message plus every `errors[]` entry (422 explains itself there). */
function messageOf(failure: OctokitFailure): string {
  const data = failure.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const parts: string[] = [];
  if (data && typeof data.message === 'string') parts.push(data.message);
  if (data && Array.isArray(data.errors)) {
    for (const entry of data.errors.slice(0, 5)) {
      if (typeof entry === 'string') parts.push(entry);
      else if (entry && typeof entry === 'object') {
        const e = entry as { message?: unknown; resource?: unknown; field?: unknown; code?: unknown };
        parts.push(typeof e.message === 'string' ? e.message : `${String(e.resource ?? '')}.${String(e.field ?? '')} ${String(e.code ?? '')}`.trim());
      }
    }
  }
  if (parts.length === 0 && failure.message) parts.push(failure.message.split('\n')[0]);
  return parts.join(': ').slice(0, 500);
}
