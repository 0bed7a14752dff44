import type { Severity } from '../../alerts/alert.js';
import type { Incident, IncidentStatus } from '../../incidents/incident.js';
import type { FollowUp, FollowUpOwner } from '../../incidents/follow-up.js';
import type { Moment, MomentKind } from '../../incidents/moment.js';

/** What `/sidekick` asks of the rest of Sidekick; the incident service implements it. */
export interface IncidentCommands {
  findByChannel(channelId: string): Promise<Incident | undefined>;
  declare(input: { title: string; actor: string; channel?: string }): Promise<Incident>;
  setStatus(incidentId: string, status: IncidentStatus, actor: string): Promise<Incident>;
  setSeverity(incidentId: string, severity: Severity, actor: string): Promise<Incident>;
  postUpdate(incidentId: string, text: string, actor: string): Promise<void>;
  addFollowUp(incidentId: string, input: { text: string; owner?: FollowUpOwner; actor: string }): Promise<FollowUp>;
  markMoment(incidentId: string, input: { kind: MomentKind; text: string; markedBy: string }): Promise<Moment>;
}
