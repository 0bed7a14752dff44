import type { Logger } from 'pino';
import { ChatError } from '../chat-error.js';
import { DEFAULT_RETRY, type RetryOptions } from '../retry-options.js';
import { SendQueue } from '../send-queue.js';
import { pacedError } from '../paced-error.js';
import type { TokenSource } from './teams-token.js';

/** Statuses Microsoft documents as "try again": throttled, concurrent edit, and server trouble. */
const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);

/** How to fix the Bot Connector and Graph errors people actually meet; the rest get Microsoft's code. */
const HINTS: Record<string, string> = {
  BotNotInConversationRoster: 'the Sidekick app is not installed there; add it to the team (or install it for the person)',
  ConversationBlockedByUser: 'the person blocked Sidekick',
  BotDisabledByAdmin: 'a Teams admin blocked the Sidekick app',
  BotNotRegistered: 'no Azure Bot is registered for TEAMS_APP_ID',
  ConversationNotFound: 'the conversation does not exist',
  MessageSizeTooBig: 'the message is too big for Teams; please report this with the flow that sent it',
  Forbidden: 'Microsoft Graph refused; check the application permissions and admin consent (see docs/teams.md)',
  Authorization_RequestDenied: 'Microsoft Graph refused; check the application permissions and admin consent (see docs/teams.md)',
  NotFound: 'not found; check TEAMS_TEAM_ID and the channel',
  NameAlreadyExists: 'a channel with that name already exists',
};

export interface TeamsRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL. */
  url: string;
  scope: string;
  body?: unknown;
  /** The thread this request writes to: requests to one thread are paced together. */
  thread?: string;
  /** The send's idempotency key: a paced send keeps its reserved turn when it comes back. */
  paceKey?: string;
  /**
   * For sends: after an answer that may hide a success (5xx, a lost connection), looks for the
   * effect before failing, and returns it if it happened.
   */
  findApplied?: () => Promise<unknown>;
}

export interface TeamsPacing {
  ratePerSecond: number;
  burst: number;
  now?: () => number;
}

/**
 * Every Bot Connector and Graph request goes through here and makes one attempt: a bearer token
 * from the cache (refreshed once on a 401), pacing per thread (Teams allows 7 sends a second and
 * 60 in 30 seconds per thread), and each failure turned into a `ChatError` saying whether trying
 * again can help.
 *
 * Nothing waits here. A thread without room is the `TEAMS_PACED` deferral: the job runs again at
 * its reserved turn without using an attempt. A 429 (which pauses its whole thread for the
 * Retry-After, so the sends behind it defer instead of each collecting its own 429), a 412, a 5xx
 * or no answer is retryable (`TEAMS_RATE_LIMITED` / `TEAMS_UNAVAILABLE` with `retryAfterMs`): the
 * engine runs the job again after at least the Retry-After, within the retry budget
 * (`retryForSeconds`). Everything else fails the box at once.
 */
export class TeamsCaller {
  private readonly queue: SendQueue;
  private readonly retry: Required<RetryOptions>;

  constructor(
    private readonly tokens: TokenSource,
    private readonly log: Logger,
    retry: RetryOptions = {},
    pacing: TeamsPacing = { ratePerSecond: 2, burst: 7 },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.retry = { maxElapsedMs: retry.maxElapsedMs ?? DEFAULT_RETRY.maxElapsedMs };
    this.queue = new SendQueue(pacing);
  }

  /** Takes `thread`'s turn (for `key`, see SendQueue.reserve) or throws the `TEAMS_PACED` deferral. */
  pace(thread: string, key?: string, what = 'send'): void {
    const waitMs = this.queue.reserve(thread, key);
    if (waitMs <= 0) return;
    this.log.debug({ what, thread, waitMs }, 'teams: thread paced, deferring');
    throw pacedError('TEAMS_PACED', what, waitMs, 'the thread has no room yet (Teams allows 7 sends a second and 60 in 30 seconds per thread)');
  }

  /** Makes `request` once: its answer, or a `ChatError` saying whether and when to try again. */
  async call<T>(request: TeamsRequest): Promise<T> {
    const what = `${request.method} ${new URL(request.url).pathname.split('/').slice(0, 4).join('/')}`;
    if (request.thread) this.pace(request.thread, request.paceKey, what);
    let refreshedToken = false;
    for (;;) {
      const token = await this.tokens.token(request.scope);
      let response: Response | undefined;
      try {
        response = await this.fetchImpl(request.url, {
          method: request.method,
          headers: { authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        response = undefined;
      }
      if (response?.ok) {
        const text = await response.text();
        return (text ? JSON.parse(text) : {}) as T;
      }
      const body = response ? ((await response.json().catch(() => ({}))) as { error?: { code?: unknown; message?: unknown } }) : {};
      const code = typeof body.error?.code === 'string' ? body.error.code.replace(/[^A-Za-z0-9_]/g, '').slice(0, 60) : response ? `HTTP_${response.status}` : 'Unreachable';
      if (response?.status === 401 && !refreshedToken) {
        // A rotated secret or a token revoked early: one fresh token before giving up (no wait).
        refreshedToken = true;
        this.tokens.invalidate(request.scope);
        continue;
      }
      const retryable = !response || RETRYABLE.has(response.status);
      // 429 and 412 were refused before anything happened; a 5xx or no answer may hide a success.
      if (retryable && request.findApplied && (!response || response.status >= 500)) {
        const applied = await request.findApplied().catch(() => undefined);
        if (applied !== undefined) return applied as T;
      }
      if (!retryable) throw new ChatError(`TEAMS_${code.toUpperCase()}`, `${what}: ${HINTS[code] ?? `Microsoft answered ${response!.status} ${code}`}`, { method: what, slackError: code });
      const retryAfterMs = parseRetryAfter(response?.headers.get('retry-after'));
      const budget = { retryForMs: this.retry.maxElapsedMs, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      if (response?.status === 429) {
        if (request.thread) this.queue.pause(request.thread, retryAfterMs ?? 1000);
        this.log.info({ what, retryAfterMs }, 'teams: throttled, the job will run again');
        throw new ChatError('TEAMS_RATE_LIMITED', `${what}: Microsoft asked to wait ${Math.ceil((retryAfterMs ?? 1000) / 1000)} s`, { method: what, slackError: code }, budget);
      }
      this.log.warn({ what, status: response?.status, code }, 'teams: transient failure, the job will run again');
      throw new ChatError(
        'TEAMS_UNAVAILABLE',
        `${what}: Microsoft answered ${response ? `${response.status} ${code}` : 'nothing'}; retried for up to ${Math.round(this.retry.maxElapsedMs / 1000)} s`,
        { method: what, slackError: code },
        budget,
      );
    }
  }
}

/** Retry-After in seconds or as an HTTP date; capped at five minutes so a bad header cannot park a send. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 300_000) : undefined;
}
