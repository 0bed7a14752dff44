import type { Alert } from '../alerts/alert.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';

/** Actors that are not people: Sidekick itself and the monitors. */
const MACHINE_ACTORS = new Set(['sidekick', 'system', 'datadog', 'alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'generic', 'prometheus']);
/** Timeline kinds that show a person has picked the incident up. */
const ACK_KINDS = new Set(['responder', 'choice', 'message', 'status', 'severity', 'note', 'declared', 'update', 'decision', 'key-moment', 'summary']);

/** The report's key times. Instants are ISO strings; durations are milliseconds. */
export interface ReportTimings {
  openedAt: string;
  /** When the problem started: the earliest firing alert, or the opening if declared by hand. */
  impactStart: string;
  /**
   * When the impact ended: the last alert's resolution when the monitors said so, else the first
   * status change to mitigated or resolved; absent while ongoing.
   */
  impactEnd?: string;
  impactMs?: number;
  acknowledgedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  /** From the incident opening (when Sidekick called people) to the first human action. */
  acknowledgeMs?: number;
  /** From the start of impact to mitigation. */
  mitigateMs?: number;
  /** From the start of impact to resolution. */
  resolveMs?: number;
}

/** How far a monitor's own time for an alert may precede its arrival and still be trusted. */
const MAX_ALERT_DELAY_MS = 6 * 3_600_000;
/** How far a monitor's clock may run ahead of Sidekick's (clock skew) and still be trusted. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The alert's time on Sidekick's clock. The monitor's own `startsAt` is more precise (it knew
 * before it called) but comes from another clock, or is a replayed payload's old date: it is used
 * only when it falls shortly before the alert arrived; otherwise the arrival time counts. Every
 * instant of the report is then on one clock, with the status changes that Sidekick timed itself.
 */
export function alertTimeOf(alert: Pick<Alert, 'startsAt'> & { receivedAt?: string }): string | undefined {
  const said = Date.parse(alert.startsAt);
  const arrived = alert.receivedAt ? Date.parse(alert.receivedAt) : Number.NaN;
  if (!Number.isFinite(arrived)) return Number.isFinite(said) ? alert.startsAt : undefined;
  if (Number.isFinite(said) && arrived - said <= MAX_ALERT_DELAY_MS && said - arrived <= MAX_CLOCK_SKEW_MS) return alert.startsAt;
  return alert.receivedAt;
}

/**
 * Time to acknowledge, mitigate and resolve, and the impact window: from the first firing alert
 * to the last resolution, all on one clock. Uses the incident's own fields and falls back to the
 * timeline (the first status change to mitigated/resolved, the first thing a person did) when a
 * field was never set.
 */
export function computeTimings(incident: Incident, timeline: TimelineEntry[], alerts: Alert[]): ReportTimings {
  const machines = new Set([...MACHINE_ACTORS, ...alerts.map((a) => a.source.toLowerCase())]);
  const openedAt = incident.createdAt;
  const firing = alerts.filter((a) => a.status === 'firing').map(alertTimeOf);
  const impactStart = earliest([openedAt, ...firing]) ?? openedAt;
  const statusAt = (status: string) => timeline.find((e) => e.kind === 'status' && (e.data?.to === status || e.data?.status === status))?.at;
  const mitigatedAt = incident.mitigatedAt ?? statusAt('mitigated');
  const resolvedAt = incident.resolvedAt ?? (incident.status === 'resolved' ? statusAt('resolved') : undefined);
  const acknowledgedAt =
    incident.acknowledgedAt ?? timeline.find((e) => ACK_KINDS.has(e.kind) && !machines.has(e.actor.toLowerCase()) && e.data?.fromBot !== true && Date.parse(e.at) >= Date.parse(openedAt))?.at;
  // The monitors' word on the end, when every alert they sent has resolved since the last firing one.
  const byTime = alerts.map((a) => ({ status: a.status, at: alertTimeOf(a) })).filter((a): a is { status: Alert['status']; at: string } => Boolean(a.at));
  const lastFiring = latest(byTime.filter((a) => a.status === 'firing').map((a) => a.at));
  const lastResolved = latest(byTime.filter((a) => a.status === 'resolved').map((a) => a.at));
  const alertsResolved = lastResolved && (!lastFiring || Date.parse(lastResolved) >= Date.parse(lastFiring)) && incident.status !== 'investigating' ? lastResolved : undefined;
  const impactEnd = alertsResolved ?? earliest([mitigatedAt, resolvedAt]);
  return {
    openedAt,
    impactStart,
    impactEnd,
    impactMs: between(impactStart, impactEnd),
    acknowledgedAt,
    mitigatedAt,
    resolvedAt,
    acknowledgeMs: between(openedAt, acknowledgedAt),
    mitigateMs: between(impactStart, mitigatedAt),
    resolveMs: between(impactStart, resolvedAt),
  };
}

/** `1h 02m 03s`, `4m 48s`, `12s`; `2d 3h 04m` past a day. */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  const total = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h ${two(minutes)}m`;
  if (hours > 0) return `${hours}h ${two(minutes)}m ${two(seconds)}s`;
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`;
  return `${seconds}s`;
}

function earliest(instants: (string | undefined)[]): string | undefined {
  const valid = instants.filter((t): t is string => typeof t === 'string' && Number.isFinite(Date.parse(t)));
  if (valid.length === 0) return undefined;
  return valid.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

function latest(instants: string[]): string | undefined {
  return instants.reduce<string | undefined>((a, b) => (a === undefined || Date.parse(b) > Date.parse(a) ? b : a), undefined);
}

function between(from: string, to: string | undefined): number | undefined {
  if (!to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}
