import { describe, expect, it } from 'vitest';
import { example, fixture, request } from '../../../test/alerts/fixtures.js';
import { AlertPayloadError } from '../errors.js';
import { alertmanagerSource } from './alertmanager.js';

const parse = (payload: unknown) => alertmanagerSource.parse(payload, request(), {});

describe('alertmanager source', () => {
  it('uses the end time for a resolved alert', () => {
    const [alert] = parse(fixture('alertmanager/resolved.json'));
    expect(alert).toMatchObject({ status: 'resolved', dedupKey: '1a2b3c4d5e6f7081', startsAt: '2026-01-03T10:20:01.123Z' });
  });

  it('splits a group into one alert each, firing and resolved, each raw holding the group and that alert', () => {
    const group = fixture('alertmanager/mixed-group.json') as { alerts: unknown[]; groupKey: string };
    const alerts = parse(group);
    expect(alerts.map((alert) => [alert.dedupKey, alert.status])).toEqual([
      ['1a2b3c4d5e6f7081', 'firing'],
      ['9f8e7d6c5b4a3021', 'resolved'],
    ]);
    const raw = alerts[1].raw as Record<string, unknown>;
    expect(raw.alert).toEqual(group.alerts[1]);
    expect(raw.groupKey).toBe(group.groupKey);
    expect(raw).not.toHaveProperty('alerts');
  });

  it('maps the bundled HTTP 5xx example', () => {
    const [fired] = parse(example('alertmanager-http-5xx.json'));
    const [resolved] = parse(example('alertmanager-http-5xx-resolved.json'));
    expect(fired).toMatchObject({ severity: 'critical', status: 'firing', labels: { service: 'checkout', cluster: 'eu-1' } });
    expect(fired.links.map((link) => link.title)).toEqual(['Prometheus', 'Runbook', 'Dashboard', 'Alertmanager']);
    expect(resolved).toMatchObject({ status: 'resolved', dedupKey: fired.dedupKey, startsAt: '2026-01-01T09:52:42.481Z' });
  });

  it.each([
    ['critical', 'critical'],
    ['page', 'critical'],
    ['error', 'high'],
    ['warning', 'warning'],
    ['info', 'info'],
    ['something-else', 'warning'],
  ])('maps labels.severity %s to %s', (word, severity) => {
    const [alert] = parse({ alerts: [{ status: 'firing', labels: { alertname: 'A', severity: word }, fingerprint: '0000000000000001' }] });
    expect(alert.severity).toBe(severity);
  });

  it('derives a stable key from the labels when a hand-written payload has no fingerprint', () => {
    const one = parse({ alerts: [{ labels: { b: '2', a: '1' } }] })[0];
    const two = parse({ alerts: [{ labels: { a: '1', b: '2' } }] })[0];
    const other = parse({ alerts: [{ labels: { a: '1', b: '3' } }] })[0];
    expect(one.dedupKey).toBe(two.dedupKey);
    expect(one.dedupKey).not.toBe(other.dedupKey);
  });

  it('keeps hostile labels as text, falls back on a bad start time and drops a javascript: link', () => {
    const [alert] = parse(fixture('alertmanager/hostile.json'));
    expect(alert.labels['{{ x }}']).toBe('{% include "/etc/passwd" %}');
    expect(alert.labels.service).toBe('ünïcødé-服务-🔥');
    expect(alert.title).toBe('`rm -rf /`; echo {{ alert.raw }} done');
    expect(alert.startsAt).toBe('2026-01-01T04:00:05.000Z');
    expect(alert.links).toEqual([{ title: 'Alertmanager', url: 'http://127.0.0.1:9093' }]);
  });

  it('handles an enormous label set without losing labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`label_${i}`, `value-${i}-${'x'.repeat(20)}`]));
    const [alert] = parse({ alerts: [{ status: 'firing', labels: { alertname: 'Big', ...labels }, fingerprint: 'abcdefabcdefabcd' }] });
    expect(Object.keys(alert.labels)).toHaveLength(5001);
    expect(alert.labels.label_4999).toBe(`value-4999-${'x'.repeat(20)}`);
  });

  it('refuses what is not a group, or alerts that cannot be told apart', () => {
    expect(() => parse(fixture('alertmanager/not-a-group.json'))).toThrow(AlertPayloadError);
    expect(() => parse(fixture('alertmanager/not-a-group.json'))).toThrow(/"alerts" array/);
    expect(() => parse({ alerts: ['nope'] })).toThrow(/alerts\[0\] is not an object/);
    expect(() => parse({ alerts: [{ status: 'firing' }] })).toThrow(/neither a fingerprint nor labels/);
    expect(parse({ alerts: [] })).toEqual([]);
  });
});
