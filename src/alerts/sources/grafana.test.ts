import { describe, expect, it } from 'vitest';
import { fixture, request } from '../../../test/alerts/fixtures.js';
import { grafanaSource } from './grafana.js';

const parse = (payload: unknown) => grafanaSource.parse(payload, request(), {});

describe('grafana source', () => {
  it('resolves the same key', () => {
    const [fired] = parse(fixture('grafana/firing.json'));
    const [resolved] = parse(fixture('grafana/resolved.json'));
    expect(resolved).toMatchObject({ status: 'resolved', dedupKey: fired.dedupKey, startsAt: '2026-01-04T12:15:00.000Z' });
  });

  it('signs with X-Grafana-Alerting-Signature by default', () => {
    expect(grafanaSource.hmacDefaults).toEqual({ header: 'X-Grafana-Alerting-Signature', encoding: 'hex' });
  });

  it('falls back to the group title when an alert has neither summary nor alertname', () => {
    const [alert] = parse({ title: '[FIRING:1] x', alerts: [{ labels: { instance: 'a' }, fingerprint: '1' }] });
    expect(alert.title).toBe('[FIRING:1] x');
  });
});
