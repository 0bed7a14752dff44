import type { Alert } from '../alerts/alert.js';
import type { Incident } from './incident.js';
import type { IncidentTransition, NewTimelineLine } from './incident-transition.js';
import type { GroupingOptions } from './grouping.js';
import { eventJob, statusLine } from './decide-change.js';
import type { NewJob } from '../store/store.js';
import type { FlowDefinition } from '../flows/flow-schema.js';

/** What grouping one alert depends on, read by `loadAlertState`. */
export interface AlertState {
  alert: Alert;
  groupKey: string;
  /** The open incident the alert joins: its group's, a storm holding its group, or (Opsgenie) its alert's. */
  open?: Incident;
  /** The latest status of every other alert key in `open` (for "resolved when all are"). */
  openAlertStatuses?: Alert['status'][];
  /** The group's incident resolved within the flap window. */
  flapped?: Incident;
  /** An action that may only join (an Opsgenie action without alias): it never opens. */
  joinsOnly: boolean;
  /** Flows the alert would start by opening an incident (triggered by the alert). */
  alertFlows: FlowDefinition[];
  /** Flows the incident's `opened` event would start, were the alert to open it. */
  openedFlows?: FlowDefinition[];
  /** Incidents this source opened within the storm window. */
  openedRecently: number;
  /** The source's open alert-storm incident. */
  storm?: Incident;
}

/**
 * Decides what one alert does: nothing (already grouped — its whole effect was one commit — or a
 * resolved/join-only alert with nothing open), join an open incident (maybe resolving or
 * reopening it), reopen a flapping one, fold into the source's storm, or open a new incident.
 */
export function decideAlert(state: AlertState, now: string, options: GroupingOptions): IncidentTransition | undefined {
  const { alert } = state;
  if (alert.incidentId) return undefined;
  if (state.open) return joinIncident(state.open, state, now, options);
  if (state.joinsOnly || alert.status === 'resolved') return undefined;
  if (state.flapped) return reopenIncident(state.flapped, alert, now);
  const { maxNewIncidents, windowMs } = options.storm;
  if (maxNewIncidents > 0 && state.openedRecently >= maxNewIncidents) {
    return state.storm ? joinIncident(state.storm, state, now, options) : openStorm(state, now, maxNewIncidents, windowMs, options);
  }
  const opening = openIncident(state, now);
  if (maxNewIncidents > 0) opening.openGuard = { source: alert.source, since: new Date(new Date(now).getTime() - windowMs).toISOString(), max: maxNewIncidents };
  return opening;
}

/** The id of the incident an alert opens: derived, so opening is recognisable when retried. */
export function incidentIdFor(alert: Pick<Alert, 'id'>): string {
  return `inc-${alert.id}`;
}

function openIncident(state: AlertState, now: string): IncidentTransition {
  const { alert } = state;
  const id = incidentIdFor(alert);
  return {
    create: newIncident(id, alert, state.groupKey, alert.title.slice(0, 300), now),
    linkAlerts: [alert.id],
    timeline: [
      {
        id: `opened:${alert.id}`,
        at: now,
        kind: 'alert',
        actor: alert.source,
        text: alertLine(alert),
        data: { alertId: alert.id, flows: state.alertFlows.map((flow) => flow.id), group: state.groupKey },
      },
    ],
    // The alert's flows and the `opened` flows start in this same commit, with their first task
    // jobs, under the trigger keys their event jobs used. No box of a new incident waits for
    // `opened` yet, so no event job is needed to deliver it.
    runs: [
      ...state.alertFlows.map((flow) => ({ flow, triggerKey: `alert:${alert.id}`, alertId: alert.id })),
      ...(state.openedFlows ?? []).map((flow) => ({ flow, triggerKey: `opened:${id}`, alertId: alert.id })),
    ],
  };
}

function openStorm(state: AlertState, now: string, max: number, windowMs: number, options: GroupingOptions): IncidentTransition {
  const { alert } = state;
  const id = `storm-${alert.id}`;
  const minutes = Math.max(1, Math.round(windowMs / 60_000));
  return {
    create: newIncident(id, alert, `storm:${alert.source}`, `Alert storm: ${alert.source}`, now),
    linkAlerts: [alert.id],
    timeline: [
      {
        id: `storm:${alert.id}`,
        at: now,
        kind: 'note',
        actor: 'sidekick',
        text: `Alert storm: ${alert.source} opened ${max} incidents within ${minutes} min; its further alerts fold into this incident, summed up in digests. Split a group out to give it its own incident.`,
        data: { storm: alert.source },
      },
      joinedLine(alert, state.groupKey, now),
    ],
    jobs: [eventJob(id, 'opened', `opened:${id}`, now), digestJob(id, now, options.digestIntervalMs)],
  };
}

function joinIncident(incident: Incident, state: AlertState, now: string, options: GroupingOptions): IncidentTransition {
  const { alert } = state;
  const transition: IncidentTransition = {
    incidentId: incident.id,
    linkAlerts: [alert.id],
    timeline: [joinedLine(alert, state.groupKey, now)],
    // A storm folds into one digest message per interval instead of one post per alert.
    jobs: [digestJob(incident.id, now, options.digestIntervalMs)],
  };
  const version = incident.version ?? 0;
  const statuses = [...(state.openAlertStatuses ?? []), alert.status];
  const healthy = alert.status === 'resolved' && (options.resolveWhen === 'any' || statuses.every((status) => status === 'resolved'));
  const to = healthy && incident.status !== 'resolved' ? 'resolved' : alert.status === 'firing' && incident.status === 'mitigated' ? 'investigating' : undefined;
  if (!to) return transition;
  // Firing again while mitigated: back to investigating, and flows hear `reopened`.
  const event = to === 'resolved' ? 'resolved' : 'reopened';
  return {
    ...transition,
    patch: { id: incident.id, version, changes: to === 'resolved' ? { status: to, resolvedAt: now } : { status: to } },
    timeline: [...transition.timeline!, statusLine(incident.status, to, alert.source, now)],
    jobs: [...transition.jobs!, eventJob(incident.id, event, `${event}:${incident.id}:v${version + 1}`, now)],
  };
}

function reopenIncident(incident: Incident, alert: Alert, now: string): IncidentTransition {
  const version = incident.version ?? 0;
  return {
    patch: { id: incident.id, version, changes: { status: 'investigating', resolvedAt: undefined } },
    linkAlerts: [alert.id],
    timeline: [{ at: now, kind: 'alert', actor: alert.source, text: alertLine(alert), data: { alertId: alert.id } }, statusLine(incident.status, 'investigating', alert.source, now)],
    jobs: [eventJob(incident.id, 'reopened', `reopened:${incident.id}:v${version + 1}`, now)],
  };
}

function newIncident(id: string, alert: Alert, groupKey: string, title: string, now: string): Omit<Incident, 'number' | 'version'> {
  return { id, title, severity: alert.severity, status: 'investigating', groupKey, source: alert.source, labels: alert.labels, createdAt: now, updatedAt: now, responders: [], channels: [] };
}

/** The digest of the interval `now` falls in, due at its end; one per incident and interval. */
export function digestJob(incidentId: string, now: string, interval: number): NewJob {
  const bucket = Math.floor(new Date(now).getTime() / interval);
  return {
    kind: 'digest',
    payload: { incidentId, since: new Date(bucket * interval).toISOString(), until: new Date((bucket + 1) * interval).toISOString() },
    runAt: new Date((bucket + 1) * interval).toISOString(),
    uniqueKey: `digest:${incidentId}:${bucket}`,
  };
}

/** The timeline line of an alert joining an open incident; the digest reads `data.joined`. */
export function joinedLine(alert: Pick<Alert, 'id' | 'status' | 'source' | 'severity' | 'title'>, group: string, now: string): NewTimelineLine {
  return {
    id: `joined:${alert.id}`,
    at: now,
    kind: 'alert',
    actor: alert.source,
    text: alertLine(alert),
    data: { alertId: alert.id, joined: true, status: alert.status, title: alert.title, group },
  };
}

/** `Firing (datadog, high): MySQL lag` */
export function alertLine(alert: Pick<Alert, 'status' | 'source' | 'severity' | 'title'>): string {
  return `${alert.status === 'resolved' ? 'Resolved' : 'Firing'} (${alert.source}, ${alert.severity}): ${alert.title}`;
}
