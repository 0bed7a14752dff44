import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { ChatError, chatErrorFromSlack } from './chat-error.js';
import { realSleep, type SendQueue, type Sleep } from './send-queue.js';

/**
 * Every Slack call goes through here: paced per channel, 429s honoured by Retry-After, transient
 * failures (5xx, network, Slack's own `internal_error`…) retried with exponential backoff for a
 * bounded time, and the rest turned into a `ChatError` with a stable code.
 *
 * The WebClient is built with `retryConfig: { retries: 0 }` and `rejectRateLimitedCalls: true`, so
 * this is the only retry loop: its default policy (ten retries over ~30 minutes) would multiply
 * with ours and hold a job for half an hour.
 */

export interface RetryOptions {
  /** First backoff after a transient failure. */
  initialDelayMs?: number;
  /** Longest single backoff. */
  maxDelayMs?: number;
  /** Give up once this much time went by: long enough that a one-minute Slack outage loses nothing. */
  maxElapsedMs?: number;
  sleep?: Sleep;
  now?: () => number;
  /** 0..1, part of each backoff that is randomised (0 in tests that count waits). */
  jitter?: number;
}

export const DEFAULT_RETRY: Required<Omit<RetryOptions, 'sleep' | 'now'>> = {
  initialDelayMs: 1000,
  maxDelayMs: 20_000,
  maxElapsedMs: 120_000,
  jitter: 0.3,
};

/** `ok:false` codes that mean "Slack had a bad moment", not "you asked for something wrong". */
const TRANSIENT_PLATFORM = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

type Failure =
  | { kind: 'rate-limited'; waitMs: number }
  /** `maybeApplied`: the request may have reached Slack (a lost response, a 5xx): check before repeating a post. */
  | { kind: 'transient'; maybeApplied: boolean; what: string }
  | { kind: 'permanent'; error: ChatError };

export interface CallOptions<T> {
  /** Pace this call in the channel's send queue. */
  channel?: string;
  /**
   * For calls that must not be repeated blindly (posting): after an ambiguous failure, looks for
   * the result of the earlier attempt; when found it is returned instead of calling again.
   */
  findExisting?: () => Promise<T | undefined>;
  /** One attempt only: a transient failure throws `SLACK_UNAVAILABLE` at once (the caller retries). */
  once?: boolean;
}

export class SlackCaller {
  private readonly retry: Required<Omit<RetryOptions, 'sleep' | 'now'>>;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(
    private readonly client: WebClient,
    private readonly queue: SendQueue,
    private readonly log: Logger,
    retry: RetryOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...stripUndefined(retry) };
    this.sleep = retry.sleep ?? realSleep;
    this.now = retry.now ?? Date.now;
  }

  /** Calls `method` until it succeeds, fails for good, or the retry budget is spent. */
  async call<T = Record<string, unknown>>(method: string, args: Record<string, unknown>, options: CallOptions<T> = {}): Promise<T> {
    const started = this.now();
    let waited = 0;
    let attempt = 0;
    let maybeApplied = false;
    let last = 'no attempt';
    for (;;) {
      attempt += 1;
      if (maybeApplied && options.findExisting) {
        const found = await options.findExisting().catch((error: unknown) => {
          // Unknown whether it went through, and we cannot look: waiting and looking again is the only safe move.
          this.log.warn({ method, code: (error as ChatError).code }, 'slack: could not check for an earlier attempt');
          return 'unknown' as const;
        });
        if (found !== undefined && found !== 'unknown') return found;
        if (found === 'unknown') {
          waited += await this.backoff(attempt, started, waited, method, last);
          continue;
        }
        maybeApplied = false;
      }
      if (options.channel) await this.queue.take(options.channel);
      let failure: Failure;
      try {
        return (await this.client.apiCall(method, args)) as T;
      } catch (error) {
        failure = classify(method, error);
      }
      if (failure.kind === 'permanent') throw failure.error;
      if (failure.kind === 'rate-limited') {
        last = 'rate limited';
        this.log.info({ method, channel: options.channel, retryAfterMs: failure.waitMs }, 'slack: rate limited, waiting');
        if (options.channel) this.queue.pause(options.channel, failure.waitMs);
        if (this.spent(started, waited) + failure.waitMs > this.retry.maxElapsedMs) throw this.giveUp('SLACK_RATE_LIMITED', method, attempt, last);
        if (!options.channel) await this.sleep(failure.waitMs);
        waited += failure.waitMs;
        continue;
      }
      last = failure.what;
      if (options.once) throw this.giveUp('SLACK_UNAVAILABLE', method, attempt, last);
      maybeApplied ||= failure.maybeApplied;
      waited += await this.backoff(attempt, started, waited, method, last);
    }
  }

  private spent(started: number, waited: number): number {
    // Injected sleeps may not advance the clock; the larger of the two keeps the budget honest.
    return Math.max(this.now() - started, waited);
  }

  private async backoff(attempt: number, started: number, waited: number, method: string, last: string): Promise<number> {
    const base = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(base * (1 - this.retry.jitter * Math.random()));
    if (this.spent(started, waited) + delay > this.retry.maxElapsedMs) throw this.giveUp('SLACK_UNAVAILABLE', method, attempt, last);
    this.log.warn({ method, attempt, delayMs: delay, failure: last }, 'slack: transient failure, retrying');
    await this.sleep(delay);
    return delay;
  }

  private giveUp(code: string, method: string, attempts: number, last: string): ChatError {
    const seconds = Math.round(this.retry.maxElapsedMs / 1000);
    const over = attempts > 1 ? ` over ${seconds}s` : '';
    return new ChatError(code, `${method} still failing after ${attempts} attempt${attempts > 1 ? 's' : ''}${over} (${last}); Slack may be down`, { method, attempts });
  }
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
