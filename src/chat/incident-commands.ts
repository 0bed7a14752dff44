import type { Severity } from '../alerts/alert.js';
import type { Incident, IncidentRole, IncidentStatus } from '../incidents/incident.js';
import type { Person } from '../people/user.js';
import type { FollowUp, FollowUpOwner } from '../incidents/follow-up.js';
import type { Moment, MomentKind } from '../incidents/moment.js';

/** What `/sidekick` asks of the rest of Sidekick; the incident service implements it. */
export interface IncidentCommands {
  findByChannel(channelId: string): Promise<Incident | undefined>;
  declare(input: { title: string; actor: string; channel?: string }): Promise<Incident>;
  setStatus(incidentId: string, status: IncidentStatus, actor: string): Promise<Incident>;
  setSeverity(incidentId: string, severity: Severity, actor: string): Promise<Incident>;
  postUpdate(incidentId: string, text: string, actor: string): Promise<void>;
  assignRole(incidentId: string, role: IncidentRole, holder: Person | undefined, actor: string): Promise<Incident>;
  acknowledge(incidentId: string, person: Person, via: string): Promise<{ incident: Incident; already: boolean }>;
  addFollowUp(incidentId: string, input: { text: string; owner?: FollowUpOwner; actor: string }): Promise<FollowUp>;
  markMoment(incidentId: string, input: { kind: MomentKind; text: string; markedBy: string }): Promise<Moment>;
}
