import { describe, expect, it } from 'vitest';
import { example, fixture, request } from '../../../test/alerts/fixtures.js';
import type { AlertSource } from '../alert-source.js';
import type { NormalisedAlert } from '../alert.js';
import { alertmanagerSource } from './alertmanager.js';
import { datadogSource } from './datadog.js';
import { genericSource } from './generic.js';
import { grafanaSource } from './grafana.js';
import { alertSourceNames } from './index.js';
import { opsgenieSource } from './opsgenie.js';
import { pagerdutySource } from './pagerduty.js';

/** What one source must make of its vendor's firing delivery. */
interface FiringContract {
  source: AlertSource;
  /** What the row shows, e.g. "the bundled MySQL replication example". */
  delivery: string;
  payload: unknown;
  headers?: Record<string, string>;
  /** The normalised fields, matched as a subset (labels included). */
  alert: Partial<Record<keyof NormalisedAlert, unknown>>;
  /** The links, exactly, in order: whole links, or only their titles through `titled`. */
  links: unknown[];
  deliveryId: unknown;
  raw: unknown;
}

/** Links with these titles, in this order, and no others. */
const titled = (...titles: string[]) => titles.map((title) => expect.objectContaining({ title }));

const CONTRACTS: FiringContract[] = [
  {
    source: alertmanagerSource,
    delivery: 'a firing alert: fingerprint as key, summary as title, links to Prometheus, runbook and Alertmanager',
    payload: fixture('alertmanager/firing.json'),
    alert: {
      source: 'alertmanager',
      dedupKey: '1a2b3c4d5e6f7081',
      status: 'firing',
      title: 'NodeDown on node-1:9100',
      severity: 'critical',
      startsAt: '2026-01-03T10:00:01.123Z',
      labels: { alertname: 'NodeDown', instance: 'node-1:9100', cluster: 'eu', severity: 'page' },
    },
    links: [
      { title: 'Prometheus', url: 'http://127.0.0.1:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1' },
      { title: 'Runbook', url: 'https://runbooks.example.com/node-down' },
      { title: 'Alertmanager', url: 'http://127.0.0.1:9093' },
    ],
    deliveryId: undefined,
    raw: expect.objectContaining({ alert: expect.objectContaining({ fingerprint: '1a2b3c4d5e6f7081' }) }),
  },
  {
    source: datadogSource,
    delivery: 'the bundled MySQL replication example',
    payload: example('datadog-mysql-replication-lag.json'),
    alert: {
      source: 'datadog',
      dedupKey: '9f1c3e5a7b2d4f60a1b3c5d7e9f10213',
      status: 'firing',
      title: 'MySQL replication lag is high on db-7',
      severity: 'high',
      startsAt: '2026-01-01T04:00:00.000Z',
      labels: {
        host: 'db-7.eu-west.example.com',
        service: 'mysql',
        site: 'eu-west',
        role: 'replica',
        port: '3306',
        replica_of: 'db-3.us-east.example.com',
        peer_site: 'us-east',
      },
    },
    // "Monitor Status" makes a plain "Monitor" link redundant: there is none.
    links: titled('Datadog event', 'Graph snapshot', 'Monitor Status', 'Edit Monitor', 'View db-7.eu-west.example.com', 'Show Processes'),
    deliveryId: '7301846219038471234',
    raw: example('datadog-mysql-replication-lag.json'),
  },
  {
    source: grafanaSource,
    delivery: 'a firing alert with its panel, dashboard and silence links',
    payload: fixture('grafana/firing.json'),
    alert: {
      source: 'grafana',
      dedupKey: '5c8a8e0d7b6f4e21',
      status: 'firing',
      title: 'HighCPU: CPU above 90% on web-4',
      severity: 'warning',
      startsAt: '2026-01-04T12:00:00.000Z',
      labels: { alertname: 'HighCPU', instance: 'web-4', grafana_folder: 'Infra' },
    },
    links: titled('Alert rule', 'Panel', 'Dashboard', 'Silence', 'Grafana'),
    deliveryId: undefined,
    raw: expect.objectContaining({ alert: expect.objectContaining({ valueString: expect.stringContaining("var='B'") }) }),
  },
  {
    source: pagerdutySource,
    delivery: 'incident.triggered: incident id as key, priority as severity, links and labels',
    payload: fixture('pagerduty/triggered.json'),
    headers: { 'x-webhook-id': 'whk-1' },
    alert: {
      source: 'pagerduty',
      dedupKey: 'Q1K7V3ZB2LZ8C4',
      status: 'firing',
      title: 'Checkout API error rate above 5%',
      severity: 'critical',
      startsAt: '2026-01-05T02:14:09.000Z',
      labels: {
        pagerduty_event: 'incident.triggered',
        service: 'Checkout API',
        urgency: 'high',
        priority: 'P1',
        incident_number: '1842',
        teams: 'Payments',
        escalation_policy: 'Checkout on-call',
      },
    },
    links: titled('PagerDuty incident', 'PagerDuty service', 'Conference bridge'),
    deliveryId: 'whk-1',
    raw: fixture('pagerduty/triggered.json'),
  },
  {
    source: opsgenieSource,
    delivery: 'Create: alias as key, tags as labels, priority as severity',
    payload: fixture('opsgenie/create.json'),
    alert: {
      source: 'opsgenie',
      dedupKey: 'disk-full-db-9',
      status: 'firing',
      title: 'Disk /data 95% full on db-9',
      severity: 'high',
      startsAt: '2026-01-05T08:00:00.000Z',
      labels: { service: 'postgres', site: 'us-west', critical: '', entity: 'db-9.example.com', source: 'zabbix', teams: 'Database', opsgenie_action: 'Create', priority: 'P2' },
    },
    links: [],
    deliveryId: expect.stringMatching(/^052652ac-.*:Create:/),
    raw: fixture('opsgenie/create.json'),
  },
  {
    source: genericSource,
    delivery: 'the default fields of the bundled example',
    payload: example('generic-example.json'),
    alert: {
      source: 'generic',
      dedupKey: 'backup-nightly-db-3',
      status: 'firing',
      title: 'Nightly backup of db-3 failed',
      severity: 'high',
      startsAt: '2026-01-01T03:12:00.000Z',
      labels: { service: 'backup', host: 'db-3.eu-west.example.com', site: 'eu-west' },
    },
    links: [{ title: 'Backup job log', url: 'https://ci.example.com/jobs/backup-nightly/4711' }],
    deliveryId: undefined,
    raw: example('generic-example.json'),
  },
];

describe('every alert source', () => {
  it('has its firing delivery in this table', () => {
    expect(CONTRACTS.map((row) => row.source.name).sort()).toEqual(alertSourceNames().sort());
  });

  it.each(CONTRACTS.map((row) => [row.source.name, row.delivery, row] as const))('%s maps %s onto the normalised alert', (_name, _delivery, row) => {
    const [alert, ...others] = row.source.parse(row.payload, request(row.headers), {});
    expect(others).toEqual([]);
    expect(alert).toMatchObject(row.alert);
    expect(alert.links).toEqual(row.links);
    expect(alert.deliveryId).toEqual(row.deliveryId);
    expect(alert.raw).toEqual(row.raw);
  });
});
