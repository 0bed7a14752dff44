import { describe, expect, it } from 'vitest';
import { computeTimings, formatDuration } from './timings.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { Alert } from '../alerts/alert.js';
import { anIncident } from '../incidents/testing/an-incident.js';

const incident = (patch: Partial<Incident> = {}): Incident => anIncident({ id: 'i', createdAt: '2026-01-01T04:00:12Z', updatedAt: '2026-01-01T04:00:12Z', ...patch });
const entry = (at: string, kind: TimelineEntry['kind'], actor: string, data?: Record<string, unknown>): TimelineEntry => ({ id: at + kind, incidentId: 'i', at, kind, actor, text: '', data });
const alert = (startsAt: string, status: 'firing' | 'resolved' = 'firing') => ({ source: 'datadog', startsAt, status }) as Alert;

describe('computeTimings', () => {
  it('measures acknowledge from the opening and mitigate/resolve from the start of impact', () => {
    const t = computeTimings(
      incident({ acknowledgedAt: '2026-01-01T04:05:00Z', mitigatedAt: '2026-01-01T04:31:00Z', resolvedAt: '2026-01-01T04:52:00Z', status: 'resolved' }),
      [],
      [alert('2026-01-01T03:58:00Z'), alert('2026-01-01T04:50:00Z', 'resolved')],
    );
    // The monitor said the problem ended at 04:50: the impact runs to the last resolution.
    expect(t).toMatchObject({ impactStart: '2026-01-01T03:58:00Z', impactEnd: '2026-01-01T04:50:00Z', acknowledgeMs: 288_000, mitigateMs: 33 * 60_000, resolveMs: 54 * 60_000, impactMs: 52 * 60_000 });
  });

  it('keeps one clock: a payload dated long ago (a replayed example, a wrong monitor clock) counts from its arrival', () => {
    // The README demo: the example payloads say 1 January, they arrive in December, 47 minutes apart.
    const received = (startsAt: string, receivedAt: string, status: 'firing' | 'resolved') => ({ source: 'datadog', startsAt, receivedAt, status }) as Alert;
    const t = computeTimings(
      incident({ createdAt: '2026-12-03T04:00:01Z', status: 'resolved', resolvedAt: '2026-12-03T04:47:01Z' }),
      [],
      [received('2026-01-01T04:00:00Z', '2026-12-03T04:00:00Z', 'firing'), received('2026-01-01T04:47:00Z', '2026-12-03T04:47:00Z', 'resolved')],
    );
    expect(t).toMatchObject({ impactStart: '2026-12-03T04:00:00Z', impactEnd: '2026-12-03T04:47:00Z', impactMs: 47 * 60_000 });
    // A monitor that knew a little before it called is believed.
    const early = computeTimings(incident({ status: 'mitigated', mitigatedAt: '2026-01-01T04:30:12Z' }), [], [received('2026-01-01T03:57:00Z', '2026-01-01T04:00:10Z', 'firing')]);
    expect(early).toMatchObject({ impactStart: '2026-01-01T03:57:00Z', impactEnd: '2026-01-01T04:30:12Z' });
  });

  it('falls back to the timeline: first human action, first status changes', () => {
    const t = computeTimings(
      incident({ status: 'resolved' }),
      [
        entry('2026-01-01T04:00:13Z', 'alert', 'datadog'),
        entry('2026-01-01T04:00:14Z', 'message', 'sidekick'),
        entry('2026-01-01T04:01:00Z', 'message', 'other-bot', { fromBot: true }),
        entry('2026-01-01T04:03:12Z', 'choice', 'alice'),
        entry('2026-01-01T04:20:12Z', 'status', 'alice', { from: 'investigating', to: 'mitigated' }),
        entry('2026-01-01T05:00:12Z', 'status', 'bob', { from: 'mitigated', to: 'resolved' }),
      ],
      [],
    );
    expect(t).toMatchObject({ impactStart: '2026-01-01T04:00:12Z', acknowledgeMs: 180_000, mitigateMs: 20 * 60_000, resolveMs: 60 * 60_000 });
  });

  it('leaves open intervals open, and never goes negative on skewed clocks', () => {
    const open = computeTimings(incident(), [], [alert('2026-01-01T03:00:00Z')]);
    expect(open.impactEnd).toBeUndefined();
    expect(open.mitigateMs).toBeUndefined();
    expect(open.acknowledgeMs).toBeUndefined();
    const skewed = computeTimings(incident({ acknowledgedAt: '2026-01-01T03:00:00Z' }), [], [alert('not a date')]);
    expect(skewed.acknowledgeMs).toBe(0);
    expect(skewed.impactStart).toBe('2026-01-01T04:00:12Z');
  });

  it('uses the resolution as the end of impact when the incident was never mitigated', () => {
    const t = computeTimings(incident({ resolvedAt: '2026-01-01T04:10:12Z', status: 'resolved' }), [], []);
    expect(t.impactEnd).toBe('2026-01-01T04:10:12Z');
    expect(t.impactMs).toBe(600_000);
  });
});

describe('formatDuration', () => {
  it('reads like people write durations', () => {
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(288_000)).toBe('4m 48s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000)).toBe('2d 3h 04m');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-5)).toBe('0s');
  });
});
