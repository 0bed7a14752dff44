import { TrackerError } from '../tracker-error.js';
import { parseRetryAfter } from '../../util/http-retry.js';

/** What jira.js throws: an HttpException (`status`, `response.data`) caused by an AxiosError (headers), or an AxiosError. */
interface JiraFailure {
  status?: number;
  message?: string;
  response?: { data?: unknown; status?: number; headers?: Record<string, unknown> };
  cause?: { response?: { headers?: Record<string, unknown> } };
}

const statusOf = (error: unknown): number | undefined => {
  const failure = error as JiraFailure;
  return failure?.status ?? failure?.response?.status;
};

function headerOf(error: unknown, name: string): string | undefined {
  const failure = error as JiraFailure;
  const headers = failure?.cause?.response?.headers ?? failure?.response?.headers ?? {};
  const value = (headers as { get?: (n: string) => unknown }).get?.(name) ?? headers[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** Jira's wait on a 429 (or a 503 that says when): Retry-After, else a minute doubling per attempt. */
export function jiraRateLimitWait(error: unknown, attempt: number, now: Date): number | undefined {
  const status = statusOf(error);
  const retryAfter = parseRetryAfter(headerOf(error, 'retry-after'), now);
  if (status === 429) return retryAfter ?? 60_000 * 2 ** (attempt - 1);
  if (status === 503 && retryAfter !== undefined) return retryAfter;
  return undefined;
}

/** 5xx and network failures: worth another try for a request that changes nothing. */
export function isJiraServerTrouble(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

/** Turns what jira.js threw into a TrackerError that says what to fix, with the transient flag as data. */
export function toJiraTrackerError(error: unknown, context: { project: string; doing: string; now: Date }): TrackerError {
  if (error instanceof TrackerError) return error;
  const status = statusOf(error);
  const said = jiraMessageOf(error);
  const where = `${context.doing} in Jira project ${context.project}`;
  const wait = jiraRateLimitWait(error, 1, context.now);
  if (wait !== undefined) {
    return new TrackerError('TRACKER_RATE_LIMITED', `Jira rate limit while ${where} (${said}); try again in ${Math.ceil(wait / 1000)} s`, { status, retryAfterMs: wait, transient: true });
  }
  switch (status) {
    case 401:
      return new TrackerError(
        'TRACKER_AUTH_FAILED',
        `Jira rejected the credentials (401 ${said}) while ${where}; check JIRA_EMAIL and JIRA_API_TOKEN (Cloud) or the personal access token (Data Center)`,
        { status },
      );
    case 403:
      return new TrackerError('TRACKER_FORBIDDEN', `Jira refused ${where} (403 ${said}); the account needs the "Create issues", "Add comments" and "Link issues" project permissions`, { status });
    case 404:
      return new TrackerError('TRACKER_NOT_FOUND', `Jira answered 404 while ${where} (${said}); check JIRA_URL and JIRA_PROJECT (the project key, e.g. OPS)`, { status });
    case 400:
      return new TrackerError('TRACKER_REJECTED', `Jira rejected ${where} (400 ${said})`, { status });
    default:
      if (isJiraServerTrouble(error)) {
        return new TrackerError('TRACKER_UNAVAILABLE', `Jira did not complete ${where} (${status ?? 'no answer'}: ${said}); it will be retried`, { status, transient: true });
      }
      return new TrackerError('TRACKER_REJECTED', `Jira answered ${status} while ${where} (${said})`, { status });
  }
}

/** Jira's `errorMessages[]` and `errors{field: message}`, which say what was wrong. */
export function jiraMessageOf(error: unknown): string {
  const failure = error as JiraFailure & { response?: { data?: unknown } };
  const data = ((failure?.response as { data?: unknown } | undefined)?.data ?? failure?.response) as { errorMessages?: unknown; errors?: unknown; message?: unknown } | undefined;
  const parts: string[] = [];
  if (data && Array.isArray(data.errorMessages)) parts.push(...data.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (data && data.errors && typeof data.errors === 'object') {
    for (const [field, message] of Object.entries(data.errors as Record<string, unknown>)) parts.push(`${field}: ${String(message)}`);
  }
  if (parts.length === 0 && failure?.message) parts.push(String(failure.message).split('\n')[0]);
  return parts.join('; ').slice(0, 500) || 'no details';
}
