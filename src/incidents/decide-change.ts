import type { Severity } from '../alerts/alert.js';
import type { NewJob } from '../store/store.js';
import type { Incident, IncidentChannel, IncidentStatus } from './incident.js';
import type { IncidentTransition, NewTimelineLine } from './incident-transition.js';
import type { IncidentPatch } from '../store/store.js';

/*
 * Pure decisions for changes made by people and boxes: `(incident, change, now) → transition`.
 * Nothing here reads or writes; `commitIncidentChange` loads, decides and applies.
 */

/**
 * The job that carries an incident event (resolved, reopened…) to waiting boxes and triggered
 * flows. Its key names the version the event happened at, so a retried commit cannot add it twice
 * and a second resolution later is a new event.
 */
export function eventJob(incidentId: string, event: string, occurrence: string, now: string): NewJob {
  return {
    kind: 'event',
    payload: { incidentId, event, occurrence },
    runAt: now,
    queue: `incident:${incidentId}`,
    uniqueKey: `event:${occurrence}`,
  };
}

/** A status change with its timeline line and event; undefined when the status is already that. */
export function decideStatus(incident: Incident, change: { status: IncidentStatus; actor: string; event?: string }, now: string): IncidentTransition | undefined {
  if (incident.status === change.status) return undefined;
  const version = incident.version ?? 0;
  const changes: IncidentPatch = { status: change.status };
  if (change.status === 'mitigated' && !incident.mitigatedAt) changes.mitigatedAt = now;
  if (change.status === 'resolved') changes.resolvedAt = now;
  if (change.status === 'investigating') changes.resolvedAt = undefined;
  const event = change.event ?? change.status;
  return {
    patch: { id: incident.id, version, changes },
    timeline: [statusLine(incident.status, change.status, change.actor, now)],
    jobs: [eventJob(incident.id, event, `${event}:${incident.id}:v${version + 1}`, now)],
  };
}

/** The timeline line of a status change. */
export function statusLine(from: IncidentStatus, to: IncidentStatus, actor: string, now: string): NewTimelineLine {
  return { at: now, kind: 'status', actor, text: `Status: ${from} → ${to}`, data: { from, to } };
}

/** A severity change; undefined when it is already that. */
export function decideSeverity(incident: Incident, severity: Severity, actor: string, now: string): IncidentTransition | undefined {
  if (incident.severity === severity) return undefined;
  return {
    patch: { id: incident.id, version: incident.version ?? 0, changes: { severity } },
    timeline: [{ at: now, kind: 'severity', actor, text: `Severity: ${incident.severity} → ${severity}`, data: { from: incident.severity, to: severity } }],
  };
}

/** Someone who clicked or spoke joins the response (once); the first one acknowledges the incident. */
export function decideResponder(incident: Incident, user: { userId: string; userName: string }, now: string): IncidentTransition | undefined {
  if (incident.responders.includes(user.userId)) return undefined;
  // No version check: the responders' unique key settles concurrent clicks (twenty at once must
  // not turn into conflicts), and the line's id makes a double click one line.
  return {
    patch: { id: incident.id, changes: incident.acknowledgedAt ? {} : { acknowledgedAt: now } },
    responders: [user.userId],
    timeline: [{ id: `responder:${incident.id}:${user.userId}`, at: now, kind: 'responder', actor: user.userName, text: `${user.userName} joined the response`, data: { userId: user.userId } }],
  };
}

/** Channels the incident now talks in; undefined when it knows them all already. */
export function decideChannels(incident: Incident, add: IncidentChannel[], replaceRole?: { adapter: string; role: IncidentChannel['role'] }): IncidentTransition | undefined {
  const known = new Set(incident.channels.map((c) => `${c.adapter}\n${c.id}`));
  const fresh = add.filter((c) => !known.has(`${c.adapter}\n${c.id}`));
  if (fresh.length === 0) return undefined;
  return { incidentId: incident.id, channels: { add: fresh, ...(replaceRole ? { replaceRole } : {}) } };
}

/** A plain patch (the meeting, the filed issue, a title) at the version it was read. */
export function decidePatch(incident: Incident, changes: IncidentPatch): IncidentTransition {
  return { patch: { id: incident.id, version: incident.version ?? 0, changes } };
}
