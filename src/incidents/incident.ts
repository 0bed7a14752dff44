import type { Severity } from '../alerts/alert.js';

export const INCIDENT_STATUSES = ['investigating', 'mitigated', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A channel an incident talks in: its own, the owning team's, or another team's that gets notices. */
export interface IncidentChannel {
  adapter: string;
  id: string;
  name: string;
  role: 'incident' | 'team' | 'broadcast';
  url?: string;
}

export interface IncidentMeeting {
  provider: string;
  joinUrl: string;
  id: string;
}

export interface IncidentIssue {
  tracker: string;
  id: string;
  url: string;
}

export const INCIDENT_ROLES = ['commander', 'communications'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

/** A person holding a role: their stable id (`user:alice`, a Slack `U…`), name and since when. */
export interface RoleHolder {
  userId: string;
  name: string;
  since: string;
}

export type IncidentRoles = Partial<Record<IncidentRole, RoleHolder>>;

/** What responders work on. */
export interface Incident {
  id: string;
  /** Short human number, unique per installation: INC-42. */
  number: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  /** The grouping key alerts join this incident by (`storm:<source>` for an alert storm). */
  groupKey: string;
  /** The monitor whose alert opened it; absent when declared by hand. */
  source?: string;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  acknowledgedAt?: string;
  /** Who acknowledged (a person's name as shown); absent when the first action was implicit. */
  acknowledgedBy?: string;
  /** The incident commander and the communications lead, when assigned. */
  roles?: IncidentRoles;
  /** Bumped by every stored change; transitions apply only on the version they were decided on. Absent before the incident is stored. */
  version?: number;
  responders: string[];
  channels: IncidentChannel[];
  meeting?: IncidentMeeting;
  issue?: IncidentIssue;
}

export const TIMELINE_KINDS = [
  'alert',
  'declared',
  'message',
  'choice',
  'command',
  'status',
  'severity',
  'reminder',
  'meeting',
  'responder',
  'box',
  'failure',
  'missing',
  'report',
  'note',
  'role',
  'acknowledged',
  'update',
  'decision',
  'key-moment',
  'summary',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One line of the incident's story, with time and actor. */
export interface TimelineEntry {
  id: string;
  incidentId: string;
  at: string;
  kind: TimelineKind;
  /** Who did it: a user id/name, `sidekick`, or a monitor (`datadog`). */
  actor: string;
  text: string;
  data?: Record<string, unknown>;
}
