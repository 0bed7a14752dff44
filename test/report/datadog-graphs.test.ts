import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDatadog, TINY_PNG, type FakeDatadog } from '../fakes/datadog/fake-datadog.js';
import { DatadogGraphs } from '../../src/graphs/datadog.js';
import { GraphError } from '../../src/graphs/graph-error.js';
import { snapshotIncidentGraphs } from '../../src/graphs/incident-graphs.js';
import { createGraphs } from '../../src/graphs/create-graphs.js';
import type { Alert } from '../../src/alerts/alert.js';
import type { Incident } from '../../src/incidents/incident.js';

const apiKey = '0123456789abcdef0123456789abcdef';
const appKey = 'fedcba9876543210fedcba9876543210fedcba98';
const window = { start: '2026-01-01T03:45:00Z', end: '2026-01-01T05:00:00Z' };

describe('Datadog graph snapshots against the fake Datadog', () => {
  let dd: FakeDatadog;
  beforeEach(async () => (dd = await startFakeDatadog()));
  afterEach(() => dd.close());

  it('asks for a snapshot of the query over the window and returns the image URL', async () => {
    const graph = await new DatadogGraphs({ apiKey, appKey, apiUrl: dd.url }).snapshot({ query: 'avg:mysql.lag{host:db-7}', title: 'Lag', ...window });
    expect(graph.title).toBe('Lag');
    expect(dd.snapshots[0]).toMatchObject({ metric_query: 'avg:mysql.lag{host:db-7}', start: '1767239100', end: '1767243600', title: 'Lag' });
    const image = await fetch(graph.imageUrl!);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(TINY_PNG);
  });

  it('explains a 403 from missing or wrong keys without showing them', async () => {
    const wrong = (await new DatadogGraphs({ apiKey: 'a'.repeat(32), appKey, apiUrl: dd.url }).snapshot({ query: 'q', ...window }).catch((e: unknown) => e)) as GraphError;
    expect(wrong).toBeInstanceOf(GraphError);
    expect(wrong.code).toBe('GRAPH_AUTH_FAILED');
    expect(wrong.message).toContain('Forbidden');
    expect(wrong.message).toContain('DATADOG_APP_KEY');
    expect(wrong.message).not.toContain('a'.repeat(32));
    const none = (await new DatadogGraphs({ apiKey: '', appKey: '', apiUrl: dd.url }).snapshot({ query: 'q', ...window }).catch((e: unknown) => e)) as GraphError;
    expect(none.code).toBe('GRAPH_NOT_CONFIGURED');
  });

  it('reports rate limits with the reset time, and refuses a backwards window before calling', async () => {
    dd.rateLimitNext(1, 9);
    const limited = (await new DatadogGraphs({ apiKey, appKey, apiUrl: dd.url }).snapshot({ query: 'q', ...window }).catch((e: unknown) => e)) as GraphError;
    expect(limited.code).toBe('GRAPH_RATE_LIMITED');
    expect(limited.details.retryAfterMs).toBe(9000);
    const backwards = (await new DatadogGraphs({ apiKey, appKey, apiUrl: dd.url }).snapshot({ query: 'q', start: window.end, end: window.start }).catch((e: unknown) => e)) as GraphError;
    expect(backwards.code).toBe('GRAPH_REJECTED');
    expect(dd.snapshots).toHaveLength(0);
  });

  it('snapshots the metric of each Datadog alert over the incident window and skips failures', async () => {
    const incident = { id: 'i1', createdAt: '2026-01-01T04:00:30Z', resolvedAt: '2026-01-01T04:40:00Z' } as Incident;
    const alert = (query: string) => ({ source: 'datadog', startsAt: '2026-01-01T04:00:00Z', raw: { alert_query: query }, links: [], title: 't' }) as unknown as Alert;
    const errors: string[] = [];
    const graphs = await snapshotIncidentGraphs(new DatadogGraphs({ apiKey, appKey, apiUrl: dd.url }), {
      incident,
      alerts: [alert('avg(last_5m):avg:mysql.replication.seconds_behind_source{role:replica} by {host} > 300'), alert('logs("status:error").index("*").rollup("count").last("5m") > 10')],
      now: new Date('2026-01-01T06:00:00Z'),
      onError: (e) => errors.push(e.message),
    });
    expect(graphs).toHaveLength(1);
    expect(dd.snapshots[0]).toMatchObject({
      metric_query: 'avg:mysql.replication.seconds_behind_source{role:replica} by {host}',
      start: String(Date.parse('2026-01-01T03:45:00Z') / 1000),
      end: String(Date.parse('2026-01-01T04:45:00Z') / 1000),
    });
    expect(errors).toEqual([]);

    await dd.close();
    const failed = await snapshotIncidentGraphs(new DatadogGraphs({ apiKey, appKey, apiUrl: dd.url }), {
      incident,
      alerts: [alert('avg(last_5m):avg:x{*} > 1')],
      now: new Date(),
      onError: (e) => errors.push(e.message),
    });
    expect(failed).toEqual([]);
    expect(errors[0]).toMatch(/GRAPH_UNAVAILABLE/);
    dd = await startFakeDatadog();
  });

  it('is configured from DATADOG_* variables, and absent without keys', () => {
    expect(createGraphs(undefined, { env: {} })).toBeUndefined();
    expect(createGraphs({}, { env: { DATADOG_API_KEY: apiKey, DATADOG_APP_KEY: appKey, DATADOG_API_URL: dd.url } })).toBeInstanceOf(DatadogGraphs);
    expect(() => createGraphs({ provider: 'datadog' }, { env: {} })).toThrow(/DATADOG_API_KEY/);
    expect(() => createGraphs({ provider: 'grafana' }, { env: {} })).toThrow();
  });
});
