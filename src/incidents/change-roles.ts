import type { Services } from '../boxes/services.js';
import type { LiveEvents } from '../util/live-events.js';
import type { Incident, IncidentRole } from './incident.js';
import type { IncidentPatch } from '../store/store.js';
import { commitIncidentChange } from './apply-incident-transition.js';
import type { IncidentTransition } from './incident-transition.js';
import { SidekickError } from '../errors/sidekick-error.js';
import type { Person } from '../people/user.js';
import { decideAcknowledgement, decideRoleChange, type TimelineLine } from './roles.js';

/**
 * Hands a role to `holder` (or clears it): the role, the timeline line and the job that rewrites
 * the channel topics are one transition. Returns the incident as it is now.
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
    return ack && { patch: ack.patch, lines: ack.lines, topic: ack.lines.some((line) => line.kind === 'role'), acknowledged: true };
  });
  return { incident, already: !changed };
}

type Decision = { patch: Partial<Incident>; lines: TimelineLine[]; topic: boolean; acknowledged?: boolean } | undefined;

/**
 * Decides on the incident as it is and commits through the one applier: the role columns at the
 * version decided on (a concurrent change decides again), a new responder as a child row, the
 * timeline lines, the job that rewrites the channel topics and the one that replaces the
 * *Acknowledge* button, in one transaction.
 */
async function apply(services: Services, live: LiveEvents, incidentId: string, decide: (incident: Incident) => Decision): Promise<Incident> {
  const now = () => services.clock.now().toISOString();
  const load = async () => {
    const incident = await services.store.getIncident(incidentId);
    if (!incident) throw new SidekickError('INCIDENT_NOT_FOUND', `no incident "${incidentId}"`);
    return incident;
  };
  const applied = await commitIncidentChange(services.store, live, now, load, (incident, at): IncidentTransition | undefined => {
    const decision = decide(incident);
    if (!decision) return undefined;
    const { responders, ...changes } = decision.patch;
    const joining = (responders ?? []).filter((userId) => !incident.responders.includes(userId));
    const version = incident.version ?? 0;
    const job = (kind: 'topic' | 'acknowledged') => ({ kind, payload: { incidentId: incident.id }, runAt: at, queue: `incident:${incident.id}`, uniqueKey: `${kind}:${incident.id}:${version + 1}` });
    // Follow-up chat work commits with the change: the topic names the new role holders, the first message loses its button.
    const jobs = [...(decision.topic ? [job('topic')] : []), ...(decision.acknowledged ? [job('acknowledged')] : [])];
    return {
      patch: { id: incident.id, ...(incident.version === undefined ? {} : { version }), changes: changes as IncidentPatch },
      ...(joining.length ? { responders: joining } : {}),
      timeline: decision.lines,
      ...(jobs.length ? { jobs } : {}),
    };
  });
  return applied?.incident ?? (await load());
}
