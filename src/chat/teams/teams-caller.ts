import type { Logger } from 'pino';
import { ChatError } from '../slack/chat-error.js';
import { DEFAULT_RETRY, type RetryOptions } from '../slack/slack-caller.js';
import { realSleep, SendQueue } from '../slack/send-queue.js';
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
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute URL. */
  url: string;
  scope: string;
  body?: unknown;
  /** The thread this request writes to: requests to one thread are paced together. */
  thread?: string;
  /**
   * For sends: after an answer that may hide a success (5xx, a lost connection), looks for the
   * effect before sending again, and returns it if it happened.
   */
  findApplied?: () => Promise<unknown>;
}

/**
 * Every Bot Connector and Graph request goes through here: a bearer token from the cache, pacing
 * per thread (Teams allows 7 sends a second and 60 in 30 seconds per thread), and retries with
 * backoff for 429/412/5xx, honouring Retry-After. One 429 pauses its whole thread, so the sends
 * queued behind it wait instead of each collecting its own 429.
 *
 * Pacing sits behind `pace`, the one place to swap in a durable pacer.
 */
export class TeamsCaller {
  private readonly queue: SendQueue;
  private readonly retry: Required<Omit<RetryOptions, 'sleep' | 'now'>>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly tokens: TokenSource,
    private readonly log: Logger,
    retry: RetryOptions = {},
    pacing: { ratePerSecond: number; burst: number } = { ratePerSecond: 2, burst: 7 },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.sleep = retry.sleep ?? realSleep;
    this.now = retry.now ?? Date.now;
    this.queue = new SendQueue({ ...pacing, sleep: retry.sleep, now: retry.now });
  }

  /** Waits until `thread` may take one more request. */
  pace(thread: string): Promise<void> {
    return this.queue.take(thread);
  }

  async call<T>(request: TeamsRequest): Promise<T> {
    const started = this.now();
    let attempt = 0;
    let refreshedToken = false;
    for (;;) {
      attempt += 1;
      if (request.thread) await this.pace(request.thread);
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
      const what = `${request.method} ${new URL(request.url).pathname.split('/').slice(0, 4).join('/')}`;
      const body = response ? ((await response.json().catch(() => ({}))) as { error?: { code?: unknown; message?: unknown } }) : {};
      const code = typeof body.error?.code === 'string' ? body.error.code.replace(/[^A-Za-z0-9_]/g, '').slice(0, 60) : response ? `HTTP_${response.status}` : 'Unreachable';
      if (response?.status === 401 && !refreshedToken) {
        // A rotated secret or a token revoked early: one fresh token before giving up.
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
      if (!retryable) throw new ChatError(`TEAMS_${code.toUpperCase()}`, `${what}: ${HINTS[code] ?? `Microsoft answered ${response!.status} ${code}`}`, { method: what, slackError: code, attempts: attempt });
      const retryAfterMs = parseRetryAfter(response?.headers.get('retry-after'));
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (attempt - 1)) * (1 - this.retry.jitter * Math.random());
      const waitMs = retryAfterMs ?? backoff;
      if (this.now() - started + waitMs > this.retry.maxElapsedMs) {
        throw new ChatError(
          response?.status === 429 ? 'TEAMS_RATE_LIMITED' : 'TEAMS_UNAVAILABLE',
          `${what}: Microsoft kept answering ${response ? response.status : 'nothing'} for ${Math.round((this.now() - started) / 1000)} s`,
          { method: what, slackError: code, attempts: attempt },
        );
      }
      this.log.warn({ what, status: response?.status, code, attempt, waitMs }, 'teams: retrying');
      if (response?.status === 429 && request.thread) this.queue.pause(request.thread, waitMs);
      else await this.sleep(waitMs);
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
