import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCatalogued, specOf } from './error-catalogue.js';
import { errorKind, SidekickError } from './sidekick-error.js';
import { decideRetry, isRetryable } from '../engine/retry-policy.js';
import { TrackerError } from '../trackers/tracker-error.js';
import { toTrackerError } from '../trackers/github/github-errors.js';
import { toJiraTrackerError } from '../trackers/jira/jira-errors.js';
import { MeetingError } from '../meetings/meeting-error.js';
import { AlertIntakeError } from '../alerts/errors.js';
import { HttpError } from '../server/http-error.js';
import { ChatError } from '../chat/chat-error.js';

const now = new Date('2026-01-01T04:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

/** Every `.ts` file under `dir` that is not a test. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the error catalogue', () => {
  it('lists every code the source throws, by name or by family', () => {
    const thrown = new Set<string>();
    for (const file of sources(join(import.meta.dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/new \w*Error\((?:\d+, )?'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) thrown.add(match[1]);
    }
    expect(thrown.size).toBeGreaterThan(30);
    expect([...thrown].filter((code) => !isCatalogued(code))).toEqual([]);
  });

  it('gives each error its status, retryability and hint from its code, unless the throw site says otherwise', () => {
    expect(new AlertIntakeError('ALERT_UNMAPPABLE', 'x')).toMatchObject({ code: 'ALERT_UNMAPPABLE', status: 422, retryable: false, hint: expect.stringMatching(/replay/) });
    expect(new AlertIntakeError('ALERT_STORE_FAILED', 'x')).toMatchObject({ status: 503, retryable: true });
    expect(new HttpError(409, 'CLICK_STALE', 'x')).toMatchObject({ status: 409, statusCode: 409 });
    expect(new ChatError('SLACK_CHANNEL_NOT_FOUND', 'x')).toMatchObject({ status: 502, retryable: false });
    expect(new ChatError('SLACK_UNAVAILABLE', 'x', {}, {})).toMatchObject({ retryable: true });
    expect(specOf('NO_SUCH_CODE')).toEqual({ status: 500, retryable: false });
    expect(new SidekickError('TRACKER_UNAVAILABLE', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('declares an error kind with its name, its codes and the catalogue’s fields', () => {
    class StoreKind extends errorKind<'STORE_CONFLICT'>('StoreKind', { codeInMessage: true }) {}
    const error = new StoreKind('STORE_CONFLICT', 'taken');
    expect(error).toBeInstanceOf(StoreKind);
    expect(error).toBeInstanceOf(SidekickError);
    expect(error).toMatchObject({ name: 'StoreKind', code: 'STORE_CONFLICT', message: 'STORE_CONFLICT: taken', status: 409, retryable: false });
    expect(new AlertIntakeError('ALERT_UNMAPPABLE', 'x')).toMatchObject({ name: 'AlertIntakeError', message: 'x' });
  });
});

describe('retry reads the catalogue’s fields', () => {
  it('never retries a bad or under-privileged tracker token, whatever the tracker', () => {
    for (const status of [401, 403, 404, 422]) {
      const github = toTrackerError({ status, response: { headers: {}, data: { message: 'Bad credentials' } } }, { repo: 'o/r', doing: 'creating the issue', now });
      expect(github.retryable, `GitHub ${status}`).toBe(false);
      expect(decideRetry(github, { attempts: 0 }, now)).toEqual({ kind: 'fail' });
    }
    const jira = toJiraTrackerError({ status: 401, response: { data: {} } }, { project: 'OPS', doing: 'creating the issue', now });
    expect(decideRetry(jira, { attempts: 0 }, now)).toEqual({ kind: 'fail' });
  });

  it('retries a tracker that is down or limiting, no sooner than its Retry-After', () => {
    const limited = toTrackerError({ status: 429, response: { headers: { 'retry-after': '120' }, data: {} } }, { repo: 'o/r', doing: 'x', now });
    expect(limited).toMatchObject({ code: 'TRACKER_RATE_LIMITED', retryable: true, retry: { retryAfterMs: 120_000 } });
    expect(decideRetry(limited, { attempts: 0 }, now, () => 0)).toEqual({ kind: 'retry', at: at(120_000), failedAt: now.toISOString() });
    const down = toTrackerError({ status: 502, response: { headers: {}, data: {} } }, { repo: 'o/r', doing: 'x', now });
    expect(decideRetry(down, { attempts: 0 }, now, () => 0)).toEqual({ kind: 'retry', at: at(1000), failedAt: now.toISOString() });
  });

  it('lets a throw site’s transient flag win over the code’s default', () => {
    expect(isRetryable(new TrackerError('TRACKER_REJECTED', 'x', { transient: true }))).toBe(true);
    expect(isRetryable(new TrackerError('TRACKER_UNAVAILABLE', 'x', { transient: false }))).toBe(false);
    expect(new MeetingError('MEETING_RATE_LIMITED', 'x', { retryAfterMs: 5000 }).retry).toEqual({ retryAfterMs: 5000 });
  });
});
