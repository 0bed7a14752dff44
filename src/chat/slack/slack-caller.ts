import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { ChatError, chatErrorFromSlack } from '../chat-error.js';
import type { SendQueue } from '../send-queue.js';
import { pacedError as chatPacedError } from '../paced-error.js';
import { DEFAULT_RETRY, type RetryOptions } from '../retry-options.js';

/**
 * Every Slack call goes through here, and makes one attempt: paced per channel, and each failure
 * turned into a `ChatError` with a stable code that says whether trying again can help.
 *
 * Nothing waits here. A channel without room (pacing) is a deferral: the job runs again when the
 * channel has room, without using an attempt. A 429 (paused for its Retry-After), a 5xx, a
 * timeout or a reset connection is retryable: the engine gives the job back, due after a backoff
 * of at least the Retry-After, for as long as the retry budget (`retryForSeconds`) lasts, counted
 * from the first failure and kept in the job row. Everything else (invalid_auth,
 * channel_not_found…) fails the box at once. See docs/architecture.md, "Durable delays".
 *
 * The WebClient is built with `retryConfig: { retries: 0 }` and `rejectRateLimitedCalls: true`:
 * its default policy (ten retries over ~30 minutes) would hold a job for half an hour.
 */

/** `ok:false` codes that mean "Slack had a bad moment", not "you asked for something wrong". */
const TRANSIENT_PLATFORM = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

type Failure =
  | { kind: 'rate-limited'; waitMs: number }
  /** `maybeApplied`: the request may have reached Slack (a lost response, a 5xx). */
  | { kind: 'transient'; maybeApplied: boolean; what: string }
  | { kind: 'permanent'; error: ChatError };

export interface CallOptions {
  /** Pace this call in the channel's send queue. */
  channel?: string;
  /** The post's idempotency key: a paced post keeps its reserved turn when it comes back. */
  paceKey?: string;
}

export class SlackCaller {
  private readonly retry: Required<RetryOptions>;

  constructor(
    private readonly client: WebClient,
    private readonly queue: SendQueue,
    private readonly log: Logger,
    retry: RetryOptions = {},
  ) {
    this.retry = { maxElapsedMs: retry.maxElapsedMs ?? DEFAULT_RETRY.maxElapsedMs };
  }

  /** Takes `channel`'s turn (for `key`, see SendQueue.reserve) or throws the `SLACK_PACED` deferral. */
  pace(channel: string, key?: string, method = 'chat.postMessage'): void {
    const waitMs = this.queue.reserve(channel, key);
    if (waitMs <= 0) return;
    this.log.debug({ method, channel, waitMs }, 'slack: channel paced, deferring');
    throw pacedError(method, waitMs);
  }

  /** Whether posts of this process wait for a later turn of `channel` (see SendQueue.hasWaiting). */
  hasWaiting(channel: string): boolean {
    return this.queue.hasWaiting(channel);
  }

  /** Gives back the turn reserved for `key` (its post went out folded into another message). */
  releaseTurn(channel: string, key: string): void {
    this.queue.release(channel, key);
  }

  /** Calls `method` once: its answer, or a `ChatError` saying whether and when to try again. */
  async call<T = Record<string, unknown>>(method: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<T> {
    if (options.channel) this.pace(options.channel, options.paceKey, method);
    try {
      return (await this.client.apiCall(method, args)) as T;
    } catch (error) {
      throw this.failed(method, error, options);
    }
  }

  /**
   * Every page of a cursor-paginated read (WebClient.paginate, 200 to a page), each request made
   * once; a failure on any page is a `ChatError` as in `call`, and the whole read runs again.
   */
  async readPages<T>(method: string, args: Record<string, unknown>): Promise<T[]> {
    const pages: T[] = [];
    try {
      for await (const page of this.client.paginate(method, { limit: 200, ...args })) pages.push(page as T);
    } catch (error) {
      throw this.failed(method, error, {});
    }
    return pages;
  }

  /** What a failed request becomes: permanent, rate limited (the channel paused), or transient. */
  private failed(method: string, error: unknown, options: CallOptions): ChatError {
    const failure = classify(method, error);
    if (failure.kind === 'permanent') return failure.error;
    const budget = { retryForMs: this.retry.maxElapsedMs };
    if (failure.kind === 'rate-limited') {
      this.log.info({ method, channel: options.channel, retryAfterMs: failure.waitMs }, 'slack: rate limited, waiting');
      if (options.channel) this.queue.pause(options.channel, failure.waitMs);
      return new ChatError('SLACK_RATE_LIMITED', `${method}: Slack asked to wait ${Math.ceil(failure.waitMs / 1000)} s`, { method }, { ...budget, retryAfterMs: failure.waitMs });
    }
    this.log.warn({ method, failure: failure.what, maybeApplied: failure.maybeApplied }, 'slack: transient failure, retrying');
    const seconds = Math.round(this.retry.maxElapsedMs / 1000);
    return new ChatError('SLACK_UNAVAILABLE', `${method} failed (${failure.what}); Slack may be down, retried for up to ${seconds}s`, { method }, budget);
  }
}

/** The `SLACK_PACED` deferral: not a failure, the job runs again when the channel has room. */
export function pacedError(method: string, waitMs: number): ChatError {
  return chatPacedError('SLACK_PACED', method, waitMs, 'the channel has no room yet (Slack allows about one message a second)');
}

function classify(method: string, error: unknown): Failure {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number; message?: string };
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'rate-limited', waitMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (TRANSIENT_PLATFORM.has(code)) return { kind: 'transient', maybeApplied: false, what: code };
      return { kind: 'permanent', error: chatErrorFromSlack(method, code) };
    }
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      if (status >= 500 || status === 408) return { kind: 'transient', maybeApplied: true, what: `HTTP ${status}` };
      return { kind: 'permanent', error: new ChatError(`SLACK_HTTP_${status}`, `${method}: Slack answered HTTP ${status}; check SLACK_API_URL`, { method }) };
    }
    case 'slack_webapi_request_error':
      return { kind: 'transient', maybeApplied: true, what: 'network error' };
    default:
      // A 429 without a usable Retry-After is thrown as a plain Error by the SDK; wait like a transient.
      if (typeof e?.message === 'string' && e.message.includes('Retry header')) return { kind: 'transient', maybeApplied: false, what: 'rate limited' };
      return { kind: 'permanent', error: new ChatError('SLACK_UNEXPECTED', `${method}: ${String(e?.message ?? error).slice(0, 200)}`, { method }) };
  }
}
