import type { Incident, IncidentRole, RoleHolder, TimelineEntry } from './incident.js';
import type { Person } from '../people/user.js';
import { escapeChatText } from '../templates/render.js';

// Timeline text is chat markup (the room and the report render it so): names go in escaped.
const safe = (name: string) => escapeChatText(name);

/** How people name the roles in commands: `ic`, `commander`, `comms`, `cl`, `communications`… */
const ROLE_WORDS: Record<string, IncidentRole> = {
  ic: 'commander',
  commander: 'commander',
  'incident-commander': 'commander',
  lead: 'commander',
  comms: 'communications',
  cl: 'communications',
  communications: 'communications',
  'comms-lead': 'communications',
  'communications-lead': 'communications',
};

/** The role a word names, or undefined. */
export function parseRole(word: string): IncidentRole | undefined {
  return ROLE_WORDS[word.trim().toLowerCase()];
}

/** The role as people say it. */
export function roleLabel(role: IncidentRole): string {
  return role === 'commander' ? 'incident commander' : 'communications lead';
}

export type TimelineLine = Omit<TimelineEntry, 'id' | 'incidentId'>;

/**
 * A role handed to `holder` (or taken away when undefined): the patch and the timeline line, or
 * undefined when nothing changes (the same person again). Pure: the caller applies it.
 */
export function decideRoleChange(incident: Incident, role: IncidentRole, holder: Person | undefined, actor: string, now: string): { patch: Partial<Incident>; line: TimelineLine } | undefined {
  const current = incident.roles?.[role];
  if ((current?.userId ?? undefined) === (holder?.userId ?? undefined)) return undefined;
  const label = roleLabel(role);
  const next: RoleHolder | undefined = holder ? { userId: holder.userId, name: holder.name, since: now } : undefined;
  const text = !next
    ? `${safe(actor)} cleared the ${label} (was ${safe(current!.name)})`
    : current
      ? `${safe(current.name)} handed the ${label} role to ${safe(next.name)}${actor === current.name ? '' : ` (by ${safe(actor)})`}`
      : `${safe(next.name)} is the ${label}${actor === next.name ? '' : ` (named by ${safe(actor)})`}`;
  const responders = next && !incident.responders.includes(next.userId) ? [...incident.responders, next.userId] : undefined;
  return {
    patch: { roles: { [role]: next }, ...(responders ? { responders } : {}) },
    line: { at: now, kind: 'role', actor, text, data: { role, to: next ?? null, from: current ?? null } },
  };
}

/**
 * An explicit acknowledgement by `person`: who and when (the earliest human action keeps its time
 * when someone spoke or clicked first), the person becomes a responder and, when nobody commands
 * the incident yet, its commander. Undefined when it was acknowledged already.
 */
export function decideAcknowledgement(incident: Incident, person: Person, via: string, now: string): { patch: Partial<Incident>; lines: TimelineLine[] } | undefined {
  if (incident.acknowledgedBy) return undefined;
  const at = incident.acknowledgedAt ?? now;
  const mttaMs = Math.max(0, Date.parse(at) - Date.parse(incident.createdAt));
  const lines: TimelineLine[] = [{ at: now, kind: 'acknowledged', actor: person.name, text: `${safe(person.name)} acknowledged the incident (${via})`, data: { userId: person.userId, via, mttaMs } }];
  let patch: Partial<Incident> = { acknowledgedAt: at, acknowledgedBy: person.name };
  const responders = incident.responders.includes(person.userId) ? incident.responders : [...incident.responders, person.userId];
  if (!incident.roles?.commander) {
    const command = decideRoleChange({ ...incident, responders }, 'commander', person, person.name, now);
    if (command) {
      patch = { ...patch, ...command.patch };
      lines.push(command.line);
    }
  }
  return { patch: { responders, ...patch }, lines };
}
