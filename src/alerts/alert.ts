/** Whether the monitor says the problem is happening now or is over. */
export type AlertStatus = 'firing' | 'resolved';

/** Normalised severities, most urgent first. Sources map their own levels onto these. */
export const SEVERITIES = ['critical', 'high', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A link the monitor sent along (dashboard, runbook, graph, the monitor itself). */
export interface AlertLink {
  title: string;
  url: string;
}

/** One event from a monitor, normalised. `raw` keeps the untouched payload for templates. */
export interface NormalisedAlert {
  source: string;
  /** The monitor's identity for "the same problem": alerts with one key belong together. */
  dedupKey: string;
  status: AlertStatus;
  title: string;
  severity: Severity;
  labels: Record<string, string>;
  links: AlertLink[];
  /** ISO 8601 instant the monitor says the problem started (or resolved, for resolved alerts). */
  startsAt: string;
  raw: unknown;
  /** The sender's own delivery id when it has one, used to drop redeliveries. */
  deliveryId?: string;
  /**
   * The group the monitor itself put this alert in (Alertmanager/Grafana `groupKey`, a Datadog
   * monitor, a PagerDuty incident, an Opsgenie alias): by default one incident per such group.
   */
  monitorGroup?: string;
}

/** A stored alert. */
export interface Alert extends NormalisedAlert {
  id: string;
  receivedAt: string;
  incidentId?: string;
}
