import { describe, expect, it } from 'vitest';
import { decideRetry, isRetryable, MAX_BOX_ATTEMPTS } from './retry-policy.js';
import { BoxError } from '../boxes/box-error.js';
import { ChatError } from '../chat/chat-error.js';
import { TrackerError } from '../trackers/tracker-error.js';
import { MeetingError } from '../meetings/meeting-error.js';
import { GraphError } from '../graphs/graph-error.js';
import { TemplateError } from '../templates/render.js';

const now = new Date('2026-01-01T04:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('retry policy', () => {
  it('reads retryability from the errors’ fields: transient vendor failures yes, permanent ones and templates no', () => {
    expect(isRetryable(new TrackerError('TRACKER_UNAVAILABLE', 'x', { transient: true }))).toBe(true);
    expect(isRetryable(new TrackerError('TRACKER_AUTH_FAILED', 'x'))).toBe(false);
    expect(isRetryable(new MeetingError('MEETING_RATE_LIMITED', 'x'))).toBe(true);
    expect(isRetryable(new MeetingError('MEETING_AUTH_FAILED', 'x'))).toBe(false);
    expect(isRetryable(new GraphError('GRAPH_UNAVAILABLE', 'x'))).toBe(true);
    expect(isRetryable(new GraphError('GRAPH_REJECTED', 'x'))).toBe(false);
    expect(isRetryable(new ChatError('SLACK_CHANNEL_NOT_FOUND', 'x'))).toBe(false);
    expect(isRetryable(new TemplateError('TEMPLATE_PARSE', 'x'))).toBe(false);
    expect(isRetryable(new BoxError('HTTP_BAD_URL', 'x'))).toBe(false);
    // A dropped database connection or a bug: worth another try.
    expect(isRetryable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
  });

  it('a deferral (chat pacing) runs again at its turn and uses no attempt, however many came before', () => {
    const paced = new ChatError('SLACK_PACED', 'x', {}, { deferral: true, retryAfterMs: 2500 });
    expect(decideRetry(paced, { attempts: 99 }, now)).toEqual({ kind: 'defer', until: at(2500), reason: paced.message });
  });

  it('backs off 1 s doubling to 30 s, waits at least the Retry-After, and gives up after MAX_BOX_ATTEMPTS', () => {
    const blip = new Error('ECONNRESET');
    expect(decideRetry(blip, { attempts: 0 }, now, () => 0)).toEqual({ kind: 'retry', at: at(1000), failedAt: now.toISOString() });
    expect(decideRetry(blip, { attempts: 3 }, now, () => 0)).toMatchObject({ at: at(8000) });
    expect(decideRetry(blip, { attempts: 3 }, now, () => 1)).toMatchObject({ at: at(5600) }); // 30 % jitter, never longer
    const limited = new MeetingError('MEETING_RATE_LIMITED', 'x', { retryAfterMs: 45_000 });
    expect(decideRetry(limited, { attempts: 0 }, now, () => 0)).toMatchObject({ kind: 'retry', at: at(45_000) });
    expect(decideRetry(blip, { attempts: MAX_BOX_ATTEMPTS - 1 }, now)).toEqual({ kind: 'fail' });
    expect(decideRetry(new ChatError('SLACK_INVALID_AUTH', 'x'), { attempts: 0 }, now)).toEqual({ kind: 'fail' });
  });

  it('with a time budget (Slack’s retryForSeconds) counts from the first failure, kept in the job', () => {
    const down = new ChatError('SLACK_UNAVAILABLE', 'x', {}, { retryForMs: 60_000 });
    // Ten attempts in, but failing only for 20 s: keep going; its first failure stays the start.
    const since = new Date(now.getTime() - 20_000).toISOString();
    expect(decideRetry(down, { attempts: 10, failingSince: since }, now, () => 0)).toEqual({ kind: 'retry', at: at(30_000), failedAt: since });
    const longAgo = new Date(now.getTime() - 58_000).toISOString(); // the next try (4 s on) would pass the minute
    expect(decideRetry(down, { attempts: 2, failingSince: longAgo }, now, () => 0)).toEqual({ kind: 'fail' });
  });
});
