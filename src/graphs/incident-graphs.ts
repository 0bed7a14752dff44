import type { Alert } from '../alerts/alert.js';
import type { Incident } from '../incidents/incident.js';
import type { Graph, GraphProvider } from './graph-provider.js';

/** Context before the first alert, so the graph shows the metric going wrong, not just wrong. */
const LEAD_MS = 15 * 60_000;
const TAIL_MS = 5 * 60_000;
const MAX_SNAPSHOTS = 3;

/**
 * The metric part of a Datadog monitor query, which is what the snapshot API draws:
 * `avg(last_5m):avg:mysql.lag{role:replica} by {host} > 300` → `avg:mysql.lag{role:replica} by {host}`.
 */
export function metricQueryOf(monitorQuery: string): string | undefined {
  const query = monitorQuery
    .trim()
    .replace(/^[a-z_]+\(last_[0-9a-z_]+\):\s*/i, '')
    .replace(/\s*(>=|<=|==|!=|>|<)\s*-?[0-9.eE+]+\s*$/, '')
    .trim();
  // Log, APM and composite monitors have queries the metric snapshot cannot draw.
  if (!query || query.length > 2000 || /^(logs|events|trace|apm|rum|audit)\(/i.test(query) || /^\d+(\s*(&&|\|\|)\s*\d+)+$/.test(query)) return undefined;
  return query;
}

/** Datadog monitor queries carried by the alerts (custom payloads name $ALERT_QUERY differently). */
export function datadogQueriesOf(alerts: Alert[]): string[] {
  const queries = new Set<string>();
  for (const alert of alerts) {
    if (alert.source !== 'datadog' || !alert.raw || typeof alert.raw !== 'object') continue;
    const raw = alert.raw as Record<string, unknown>;
    const monitorQuery = [raw.alert_query, raw.ALERT_QUERY, raw.query].find((q): q is string => typeof q === 'string' && !q.startsWith('$'));
    const metric = monitorQuery ? metricQueryOf(monitorQuery) : undefined;
    if (metric) queries.add(metric);
  }
  return [...queries];
}

/** The window the report's graphs cover: before the first alert until shortly after resolution. */
export function incidentWindow(incident: Incident, alerts: Alert[], now: Date): { start: string; end: string } {
  const starts = [incident.createdAt, ...alerts.map((a) => a.startsAt)].map(Date.parse).filter(Number.isFinite);
  const start = Math.min(...starts) - LEAD_MS;
  const endAt = incident.resolvedAt ? Date.parse(incident.resolvedAt) + TAIL_MS : now.getTime();
  const end = Math.max(start + 60_000, Math.min(endAt, now.getTime()));
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/**
 * Snapshots of the incident's Datadog metrics over its window. A failing snapshot is reported
 * through `onError` and skipped: a report without a picture beats no report.
 */
export async function snapshotIncidentGraphs(provider: GraphProvider, input: { incident: Incident; alerts: Alert[]; now: Date; onError?: (error: Error, query: string) => void }): Promise<Graph[]> {
  const window = incidentWindow(input.incident, input.alerts, input.now);
  const queries = datadogQueriesOf(input.alerts).slice(0, MAX_SNAPSHOTS);
  const results = await Promise.all(
    queries.map((query) =>
      provider.snapshot({ query, title: query, ...window }).catch((error: Error) => {
        input.onError?.(error, query);
        return undefined;
      }),
    ),
  );
  return results.filter((graph): graph is Graph => graph !== undefined);
}
