import { createRequesterFn, type RequesterType, type ResourceOptions, type ResponseBodyTypes } from '@gitbeaker/requester-utils';
import { TrackerError } from '../tracker-error.js';
import { parseRetryAfter } from '../../util/http-retry.js';

/** A GitLab answer that was not 2xx, with what Sidekick's retry and messages need. */
export class GitLabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly data: unknown,
  ) {
    super(`GitLab answered ${status}: ${gitlabMessageOf(data)}`);
  }
}

/**
 * Gitbeaker's requester without its blind retries (ten tries of a 429 or 502 that ignore
 * Retry-After): one attempt per call, failures thrown with status and headers so Sidekick's own
 * retry honours what GitLab asked and the engine can reschedule a long wait.
 */
export const singleAttemptRequester: (options: ResourceOptions) => RequesterType = createRequesterFn(
  (_, requestOptions) => Promise.resolve(requestOptions),
  async (endpoint, options) => {
    // Gitbeaker hands its requester untyped options; these are passed to fetch as they are.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    const { prefixUrl, searchParams, method, headers, body, signal } = (options ?? {}) as Record<string, any>;
    const url = new URL(endpoint, String(prefixUrl).endsWith('/') ? prefixUrl : `${prefixUrl}/`);
    url.search = searchParams || '';
    const response = await fetch(url, { method, headers, body, signal });
    const responseHeaders = Object.fromEntries(response.headers.entries());
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const text = response.status === 204 ? '' : await response.text();
    let data: unknown = text;
    if (type === 'application/json' && text) {
      try {
        data = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    if (!response.ok) throw new GitLabHttpError(response.status, responseHeaders, data);
    return { body: (response.status === 204 ? null : (data ?? {})) as ResponseBodyTypes, headers: responseHeaders, status: response.status };
  },
);

/** GitLab's wait on a 429 (or a 503 that says when): Retry-After, else RateLimit-Reset, else a minute doubling. */
export function gitlabRateLimitWait(error: unknown, attempt: number, now: Date): number | undefined {
  if (!(error instanceof GitLabHttpError)) return undefined;
  const retryAfter = parseRetryAfter(error.headers['retry-after'], now);
  if (error.status === 429) {
    const reset = Number(error.headers['ratelimit-reset']);
    return retryAfter ?? (Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now.getTime()) : 60_000 * 2 ** (attempt - 1));
  }
  return error.status === 503 ? retryAfter : undefined;
}

export function isGitLabServerTrouble(error: unknown): boolean {
  return !(error instanceof GitLabHttpError) || error.status >= 500;
}

/** GitLab's `message` (a string or `{field: [problems]}`) or `error`. */
export function gitlabMessageOf(data: unknown): string {
  const body = data as { message?: unknown; error?: unknown } | undefined;
  const message = body?.message ?? body?.error ?? data;
  if (typeof message === 'string') return message.slice(0, 500);
  if (message && typeof message === 'object') {
    return Object.entries(message as Record<string, unknown>)
      .map(([field, problems]) => `${field} ${Array.isArray(problems) ? problems.join(', ') : String(problems)}`)
      .join('; ')
      .slice(0, 500);
  }
  return 'no details';
}

/** Turns a failure into a TrackerError that says what to fix, with the transient flag as data. */
export function toGitLabTrackerError(error: unknown, context: { project: string; doing: string; now: Date }): TrackerError {
  if (error instanceof TrackerError) return error;
  const where = `${context.doing} in GitLab project ${context.project}`;
  const wait = gitlabRateLimitWait(error, 1, context.now);
  if (!(error instanceof GitLabHttpError)) {
    return new TrackerError('TRACKER_UNAVAILABLE', `GitLab did not answer while ${where} (${(error as Error)?.message ?? String(error)}); it will be retried`, { transient: true });
  }
  const { status } = error;
  const said = gitlabMessageOf(error.data);
  if (wait !== undefined) {
    return new TrackerError('TRACKER_RATE_LIMITED', `GitLab rate limit while ${where} (${said}); try again in ${Math.ceil(wait / 1000)} s`, { status, retryAfterMs: wait, transient: true });
  }
  if (status === 401) return new TrackerError('TRACKER_AUTH_FAILED', `GitLab rejected the token (401 ${said}) while ${where}; check GITLAB_TOKEN`, { status });
  if (status === 403) return new TrackerError('TRACKER_FORBIDDEN', `GitLab refused ${where} (403 ${said}); the token needs the "api" scope and at least the Reporter role`, { status });
  if (status === 404) return new TrackerError('TRACKER_NOT_FOUND', `GitLab answered 404 while ${where} (${said}); check GITLAB_PROJECT (numeric id or group/project path) and GITLAB_URL`, { status });
  if (status >= 500) return new TrackerError('TRACKER_UNAVAILABLE', `GitLab did not complete ${where} (${status}: ${said}); it will be retried`, { status, transient: true });
  return new TrackerError('TRACKER_REJECTED', `GitLab rejected ${where} (${status} ${said})`, { status });
}
