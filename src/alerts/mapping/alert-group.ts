import { createHash } from 'node:crypto';
import type { AlertLink, NormalisedAlert } from '../alert.js';
import type { WebhookRequest } from '../alert-source.js';
import { AlertPayloadError } from '../errors.js';
import { isRecord, labelsOf, nonEmpty } from './json-value.js';
import { collectLinks } from './links.js';
import { toInstant } from './instant.js';
import { severityFromWord } from './severity.js';
import { cleanTitle } from './title.js';

/** How one vendor's flavour of the Alertmanager group body differs. */
export interface AlertGroupFlavour {
  source: string;
  vendor: string;
  /** What the alert's `generatorURL` points at (Prometheus's graph, Grafana's rule). */
  generatorTitle: string;
  /** Links a vendor adds to each alert (Grafana's panel, dashboard and silence URLs). */
  extraLinks?: (alert: Record<string, unknown>) => [title: string, url: unknown][];
  /** Grafana's summaries often omit the rule's name: keep it in front of the summary then. */
  titleKeepsAlertName?: boolean;
}

/**
 * Maps an Alertmanager-style group body (one request, many alerts, firing and resolved) to one
 * alert each. Each alert's `raw` is the group's common fields with `alerts` replaced by
 * `alert`, that one alert — so a template reads `alert.raw.alert.labels.instance` or
 * `alert.raw.commonLabels.service`.
 */
export function mapAlertGroup(payload: unknown, request: WebhookRequest, flavour: AlertGroupFlavour): NormalisedAlert[] {
  if (!isRecord(payload) || !Array.isArray(payload.alerts)) {
    throw new AlertPayloadError(`expected a ${flavour.vendor} webhook body: a JSON object with an "alerts" array`);
  }
  const { alerts, ...group } = payload;
  return alerts.map((alert, index) => {
    if (!isRecord(alert)) throw new AlertPayloadError(`alerts[${index}] is not an object`);
    return mapOne(alert, index, group, request, flavour);
  });
}

function mapOne(alert: Record<string, unknown>, index: number, group: Record<string, unknown>, request: WebhookRequest, flavour: AlertGroupFlavour): NormalisedAlert {
  const labels = isRecord(alert.labels) ? labelsOf(alert.labels) : labelsOf(group.commonLabels);
  // Prometheus names the scrape target `instance` (`db-12.dc2:3306`); flows ask for `host`.
  const host = labels.host === undefined && labels.instance !== undefined ? hostOfInstance(labels.instance) : undefined;
  if (host) labels.host = host;
  const annotations = { ...labelsOf(group.commonAnnotations), ...labelsOf(alert.annotations) };
  const fingerprint = nonEmpty(alert.fingerprint);
  if (!fingerprint && Object.keys(labels).length === 0) {
    throw new AlertPayloadError(`alerts[${index}] has neither a fingerprint nor labels, so it cannot be told apart from other alerts`);
  }
  const statusText = nonEmpty(alert.status) ?? nonEmpty(group.status);
  const status = statusText === 'resolved' ? 'resolved' : 'firing';
  const summary = annotations.summary ?? annotations.title;
  const name = labels.alertname;
  const title =
    summary && name && flavour.titleKeepsAlertName && !summary.toLowerCase().includes(name.toLowerCase())
      ? `${name}: ${summary}`
      : (summary ?? name ?? nonEmpty(group.title) ?? `${flavour.vendor} alert`);
  const links: AlertLink[] = collectLinks([
    [flavour.generatorTitle, alert.generatorURL],
    ...(flavour.extraLinks?.(alert) ?? []),
    ['Runbook', annotations.runbook_url ?? annotations.runbook],
    ['Dashboard', annotations.dashboard_url ?? annotations.dashboard],
    [flavour.vendor, group.externalURL],
  ]);
  return {
    source: flavour.source,
    dedupKey: fingerprint ?? fingerprintOf(labels),
    status,
    title: cleanTitle(title) || `${flavour.vendor} alert`,
    severity: severityFromWord(labels.severity) ?? severityFromWord(labels.priority) ?? 'warning',
    labels,
    links,
    startsAt: (status === 'resolved' ? toInstant(alert.endsAt) : undefined) ?? toInstant(alert.startsAt) ?? request.receivedAt.toISOString(),
    raw: { ...group, alert },
    // One notification group of the monitor (its `group_by`) is one incident by default.
    monitorGroup: nonEmpty(group.groupKey),
  };
}

// Alertmanager always sends a fingerprint; a hand-written payload may not. The same labels must
// give the same key, so hash them in a fixed order.
function fingerprintOf(labels: Record<string, string>): string {
  const canonical = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * `db-12.dc2:3306` → `db-12.dc2`, `[2001:db8::1]:9100` → `2001:db8::1`; a URL-shaped instance
 * (blackbox probes) gives its host name. Undefined when nothing host-like is left.
 */
export function hostOfInstance(instance: string): string | undefined {
  const text = instance.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return new URL(text).hostname.replace(/^\[|\]$/g, '') || undefined;
    } catch {
      return undefined;
    }
  }
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1];
  // More than one colon without brackets is a bare IPv6 address: no port to strip.
  if ((text.match(/:/g) ?? []).length > 1) return text;
  return text.replace(/:\d*$/, '') || undefined;
}
