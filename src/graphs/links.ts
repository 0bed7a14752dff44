import type { Alert, AlertLink } from '../alerts/alert.js';
import type { Graph } from './graph-provider.js';

/** A storm of alerts shares a handful of dashboards; past this the list stops helping. */
const MAX_GRAPHS = 50;
/** How deep to look into a raw payload for URL fields (bounded: payloads are untrusted). */
const MAX_RAW_DEPTH = 2;

const IMAGE_TITLE = /snapshot|image|metric graph/i;
const IMAGE_URL = /\.(png|jpe?g|gif|webp|svg)(\?|$)|\/snapshot\/view\//i;
const GRAPH_TITLE = /panel|dashboard|graph|prometheus|alert rule|monitor status|datadog event|explore/i;
const GRAPH_URL = /\/graph\b|\/d\/|\/d-solo\/|\/explore\b|\/monitors\/\d+(\?|$)|\/event\/event\b|viewPanel=/i;
const NOT_A_GRAPH = /silence|edit monitor|runbook|\/edit\b|show processes/i;

/** Raw payload fields that point at graphs, by vendor: Prometheus/Alertmanager, Grafana, Datadog. */
const RAW_FIELDS: [key: string, title: string, image: boolean][] = [
  ['generatorURL', 'Source graph', false],
  ['panelURL', 'Grafana panel', false],
  ['dashboardURL', 'Grafana dashboard', false],
  ['imageURL', 'Grafana panel image', true],
  ['snapshot', 'Datadog snapshot', true],
  ['link', 'Datadog event', false],
];

/**
 * Links back to the graphs an alert came with: Grafana panels and dashboards, Prometheus graph
 * (generatorURL), Datadog events, monitors and snapshot images. Only http(s) URLs; no images are
 * fetched. Snapshot images become `imageUrl` so the report shows them inline.
 */
export function graphLinksFromAlert(alert: Alert): Graph[] {
  const graphs: Graph[] = [];
  for (const link of alert.links ?? []) {
    const graph = graphOfLink(link, alert.title);
    if (graph) graphs.push(graph);
  }
  for (const [key, title, image] of RAW_FIELDS) {
    for (const url of findRawStrings(alert.raw, key)) {
      if (!isHttpUrl(url)) continue;
      const name = `${title}: ${alert.title}`;
      graphs.push(image ? { title: name, imageUrl: url } : { title: name, linkUrl: url });
    }
  }
  return dedupe(graphs);
}

/** Graph links of many alerts, without repeats (a storm shares its dashboards). */
export function graphLinksFromAlerts(alerts: Alert[]): Graph[] {
  return dedupe(alerts.flatMap(graphLinksFromAlert)).slice(0, MAX_GRAPHS);
}

function graphOfLink(link: AlertLink, alertTitle: string): Graph | undefined {
  if (!isHttpUrl(link.url) || NOT_A_GRAPH.test(link.title)) return undefined;
  const title = `${link.title}: ${alertTitle}`;
  if (IMAGE_TITLE.test(link.title) || IMAGE_URL.test(link.url)) return { title, imageUrl: link.url };
  if (GRAPH_TITLE.test(link.title) || GRAPH_URL.test(link.url)) return { title, linkUrl: link.url };
  return undefined;
}

function findRawStrings(raw: unknown, key: string, depth = 0): string[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || depth > MAX_RAW_DEPTH) return [];
  const record = raw as Record<string, unknown>;
  const found = typeof record[key] === 'string' ? [record[key] as string] : [];
  for (const value of Object.values(record)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) found.push(...findRawStrings(value, key, depth + 1));
  }
  return found;
}

function isHttpUrl(url: string): boolean {
  if (url.length > 4096) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

function dedupe(graphs: Graph[]): Graph[] {
  const seen = new Set<string>();
  return graphs.filter((graph) => {
    const key = graph.imageUrl ?? graph.linkUrl ?? '';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
