import type { Services } from '../boxes/services.js';
import type { LiveEvents } from '../util/live-events.js';
import type { Incident, IncidentRole, TimelineEntry } from './incident.js';
import type { Person } from '../people/user.js';
import { decideAcknowledgement, decideRoleChange, type TimelineLine } from './roles.js';

/**
 * Hands a role to `holder` (or clears it): the role, the timeline line and the job that rewrites
 * the channel topics are one transaction. Returns the incident as it is now.
 */
export async function assignRole(services: Services, live: LiveEvents, incidentId: string, role: IncidentRole, holder: Person | undefined, actor: string): Promise<Incident> {
  const now = services.clock.now().toISOString();
  return apply(services, live, incidentId, (incident) => {
    const change = decideRoleChange(incident, role, holder, actor, now);
    return change && { patch: change.patch, lines: [change.line], topic: true };
  });
}

/** Acknowledges the incident for `person` (`via`: the room, Slack, the API); once only. */
export async function acknowledgeIncident(services: Services, live: LiveEvents, incidentId: string, person: Person, via: string): Promise<{ incident: Incident; already: boolean }> {
  const now = services.clock.now().toISOString();
  let changed = false;
  const incident = await apply(services, live, incidentId, (current) => {
    const ack = decideAcknowledgement(current, person, via, now);
    changed = Boolean(ack);
    return ack && { patch: ack.patch, lines: ack.lines, topic: ack.lines.some((line) => line.kind === 'role') };
  });
  return { incident, already: !changed };
}

type Decision = { patch: Partial<Incident>; lines: TimelineLine[]; topic: boolean } | undefined;

async function apply(services: Services, live: LiveEvents, incidentId: string, decide: (incident: Incident) => Decision): Promise<Incident> {
  const now = services.clock.now().toISOString();
  const result = await services.store.transaction(async (tx) => {
    const incident = await tx.getIncident(incidentId);
    if (!incident) throw Object.assign(new Error(`no incident "${incidentId}"`), { code: 'INCIDENT_NOT_FOUND' });
    const decision = decide(incident);
    if (!decision) return { incident, entries: [] as TimelineEntry[] };
    const updated = await tx.updateIncident(incident.id, { ...decision.patch, updatedAt: now });
    const entries: TimelineEntry[] = [];
    for (const line of decision.lines) entries.push(await tx.addTimeline({ incidentId: incident.id, ...line }));
    if (decision.topic) {
      await tx.enqueue({ kind: 'topic', payload: { incidentId: incident.id }, runAt: now, queue: `incident:${incident.id}`, uniqueKey: `topic:${entries[entries.length - 1]!.id}` });
    }
    return { incident: updated, entries };
  });
  if (result.entries.length > 0) {
    live.emit('incident', result.incident);
    for (const entry of result.entries) live.emit('timeline', entry);
  }
  return result.incident;
}
