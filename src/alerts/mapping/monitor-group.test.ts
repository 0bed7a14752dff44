import { describe, expect, it } from 'vitest';
import { fixture, request } from '../../../test/alerts/fixtures.js';
import { groupKeyOf } from '../group-key.js';
import { alertmanagerSource } from '../sources/alertmanager.js';
import { datadogSource } from '../sources/datadog.js';
import { grafanaSource } from '../sources/grafana.js';
import { joinsOnlyByAlertId, opsgenieSource } from '../sources/opsgenie.js';
import { pagerdutySource } from '../sources/pagerduty.js';
import { hostOfInstance } from './alert-group.js';

const noLabels = { by: [] as string[] };

describe('default grouping follows the monitor', () => {
  it('one Alertmanager notification group of 3 alerts shares one group key', () => {
    const body = {
      version: '4',
      groupKey: '{}:{alertname="MySQLDown"}',
      status: 'firing',
      alerts: ['db-1', 'db-2', 'db-3'].map((host, index) => ({ status: 'firing', labels: { alertname: 'MySQLDown', instance: `${host}:3306` }, fingerprint: `f${index}` })),
    };
    const alerts = alertmanagerSource.parse(body, request(), {});
    expect(new Set(alerts.map((alert) => alert.dedupKey)).size).toBe(3);
    expect(new Set(alerts.map((alert) => groupKeyOf(alert, noLabels)))).toEqual(new Set(['alertmanager:group:{}:{alertname="MySQLDown"}']));
  });

  it('grouping.by labels still override the monitor group', () => {
    const [alert] = grafanaSource.parse(fixture('grafana/firing.json'), request(), {});
    expect(groupKeyOf(alert, { by: ['alertname'] })).toBe('alertname=HighCPU');
  });

  it('a Datadog monitor firing for two hosts is one group, two dedup keys', () => {
    const triggered = fixture('datadog/default-triggered.json') as Record<string, unknown>;
    const other = { ...triggered, id: '2', title: '[P1] [Triggered on {host:ip-10-0-3-18}] Load is high' };
    const [one] = datadogSource.parse(triggered, request(), {});
    const [two] = datadogSource.parse(other, request(), {});
    expect(one.dedupKey).not.toBe(two.dedupKey);
    expect(groupKeyOf(one, noLabels)).toBe('datadog:group:monitor:9876543');
    expect(groupKeyOf(two, noLabels)).toBe(groupKeyOf(one, noLabels));
  });

  it('PagerDuty groups by its incident, Opsgenie by the alias', () => {
    const [pd] = pagerdutySource.parse(fixture('pagerduty/triggered.json'), request(), {});
    expect(groupKeyOf(pd, noLabels)).toBe(`pagerduty:group:${pd.dedupKey}`);
    const [og] = opsgenieSource.parse(fixture('opsgenie/create.json'), request(), {});
    expect(groupKeyOf(og, noLabels)).toBe('opsgenie:group:disk-full-db-9');
  });
});

describe('host from instance', () => {
  it.each([
    ['db-12.dc2:3306', 'db-12.dc2'],
    ['10.0.0.7:9100', '10.0.0.7'],
    ['[2001:db8::1]:9100', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['https://shop.example.com/health', 'shop.example.com'],
    ['node-1', 'node-1'],
  ])('%s → %s', (instance, host) => {
    expect(hostOfInstance(instance)).toBe(host);
  });

  it('fills `host` only when the alert has none', () => {
    const body = (labels: Record<string, string>) => ({ groupKey: 'g', alerts: [{ labels, fingerprint: 'f' }] });
    expect(alertmanagerSource.parse(body({ instance: 'db-12.dc2:3306' }), request(), {})[0].labels.host).toBe('db-12.dc2');
    expect(alertmanagerSource.parse(body({ instance: 'db-12.dc2:3306', host: 'db-12' }), request(), {})[0].labels.host).toBe('db-12');
  });
});

describe('Grafana titles', () => {
  it('keep the alert name when the summary lacks it, and do not repeat it', () => {
    const body = (summary: string) => ({ groupKey: 'g', alerts: [{ labels: { alertname: 'DiskFull' }, annotations: { summary }, fingerprint: 'f' }] });
    expect(grafanaSource.parse(body('95% on /data'), request(), {})[0].title).toBe('DiskFull: 95% on /data');
    expect(grafanaSource.parse(body('DiskFull on db-1'), request(), {})[0].title).toBe('DiskFull on db-1');
  });
});

describe('Opsgenie actions with only an alert id', () => {
  it('join by the alert id; those with an alias group as usual', () => {
    const close = fixture('opsgenie/close.json') as { alert: Record<string, unknown> };
    const [withAlias] = opsgenieSource.parse(close, request(), {});
    expect(joinsOnlyByAlertId(withAlias)).toBeUndefined();
    const [bare] = opsgenieSource.parse({ ...close, alert: { ...close.alert, alias: undefined } }, request(), {});
    expect(joinsOnlyByAlertId(bare)).toBe(close.alert.alertId);
    const [create] = opsgenieSource.parse({ ...(fixture('opsgenie/create.json') as object), alert: { alertId: 'x1', message: 'm' } }, request(), {});
    expect(joinsOnlyByAlertId(create)).toBeUndefined();
  });
});
