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

/** What responders work on. */
export interface Incident {
  id: string;
  /** Short human number, unique per installation: INC-42. */
  number: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  /** The grouping key alerts join this incident by. */
  groupKey: string;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  acknowledgedAt?: string;
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
