import { describe, expect, it } from 'vitest';
import { graphLinksFromAlert, graphLinksFromAlerts } from './links.js';
import { metricQueryOf } from './incident-graphs.js';
import type { Alert } from '../alerts/alert.js';

const base = {
  id: 'a1',
  source: 'grafana',
  dedupKey: 'k',
  status: 'firing',
  title: 'High 5xx',
  severity: 'high',
  labels: {},
  startsAt: '2026-01-01T04:00:00Z',
  receivedAt: '2026-01-01T04:00:01Z',
} as const;

/** An alert from `base` with these links and this raw payload. */
const alertWith = (fields: Pick<Alert, 'links' | 'raw'> & Partial<Alert>): Alert => ({ ...base, ...fields });

describe('graph links from alerts', () => {
  it('keeps Grafana panels, dashboards and images, Prometheus graphs, and drops silences and runbooks', () => {
    const graphs = graphLinksFromAlert(
      alertWith({
        links: [
          { title: 'Alert rule', url: 'https://grafana.example/alerting/grafana/abc/view' },
          { title: 'Panel', url: 'https://grafana.example/d/x?viewPanel=2' },
          { title: 'Dashboard', url: 'https://grafana.example/d/x' },
          { title: 'Silence', url: 'https://grafana.example/alerting/silence/new?x' },
          { title: 'Image', url: 'https://grafana.example/render/x.png' },
          { title: 'Runbook', url: 'https://wiki.example/runbook' },
        ],
        raw: { alert: { generatorURL: 'http://prometheus:9090/graph?g0.expr=rate(x[5m])' } },
      }),
    );
    expect(graphs.map((g) => g.title)).toEqual(['Alert rule: High 5xx', 'Panel: High 5xx', 'Dashboard: High 5xx', 'Image: High 5xx', 'Source graph: High 5xx']);
    expect(graphs.find((g) => g.title.startsWith('Image'))).toEqual({ title: 'Image: High 5xx', imageUrl: 'https://grafana.example/render/x.png' });
  });

  it('shows Datadog snapshots inline and links the event and monitor', () => {
    const graphs = graphLinksFromAlert(
      alertWith({
        source: 'datadog',
        links: [
          { title: 'Datadog event', url: 'https://app.datadoghq.com/event/event?id=1' },
          { title: 'Graph snapshot', url: 'https://p.datadoghq.com/snapshot/view/a.png' },
          { title: 'Monitor Status', url: 'https://app.datadoghq.com/monitors/48213377?to_ts=1' },
          { title: 'Edit Monitor', url: 'https://app.datadoghq.com/monitors/48213377/edit' },
        ],
        raw: { snapshot: 'https://p.datadoghq.com/snapshot/view/a.png' },
      }),
    );
    expect(graphs).toHaveLength(3);
    expect(graphs[1].imageUrl).toBe('https://p.datadoghq.com/snapshot/view/a.png');
  });

  it('drops javascript:, data: and malformed URLs, and dedupes a storm down to its distinct graphs', () => {
    const hostile = alertWith({
      links: [
        { title: 'Dashboard', url: 'javascript:alert(1)' },
        { title: 'Panel', url: 'data:text/html,<script>x</script>' },
        { title: 'Graph', url: 'not a url' },
      ],
      raw: { generatorURL: 'file:///etc/passwd', a: { b: { c: { generatorURL: 'https://too-deep.example/graph' } } } },
    });
    expect(graphLinksFromAlert(hostile)).toEqual([]);
    const storm = Array.from({ length: 500 }, (_, i) => alertWith({ id: `a${i}`, links: [{ title: 'Dashboard', url: 'https://grafana.example/d/x' }], raw: {} }));
    expect(graphLinksFromAlerts(storm)).toHaveLength(1);
  });
});

describe('metricQueryOf', () => {
  it('strips the evaluation window and the threshold of a monitor query', () => {
    expect(metricQueryOf('avg(last_5m):avg:mysql.lag{role:replica} by {host} > 300')).toBe('avg:mysql.lag{role:replica} by {host}');
    expect(metricQueryOf('max(last_1h):sum:http.errors{*}.as_count() >= 1e3')).toBe('sum:http.errors{*}.as_count()');
    expect(metricQueryOf('avg:system.load.1{*}')).toBe('avg:system.load.1{*}');
  });

  it('refuses queries the snapshot API cannot draw', () => {
    expect(metricQueryOf('logs("status:error").rollup("count").last("5m") > 10')).toBeUndefined();
    expect(metricQueryOf('12345 && 67890')).toBeUndefined();
    expect(metricQueryOf('   ')).toBeUndefined();
  });
});
