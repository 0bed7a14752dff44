/** Shapes of the HTTP API (docs/api.md), shared with the server through the domain interfaces. */
import type { ChatBlock } from '../../../src/chat/chat.js';
import type { Incident, TimelineEntry } from '../../../src/incidents/incident.js';
import type { Alert } from '../../../src/alerts/alert.js';
import type { Playbook } from '../../../src/playbooks/playbook.js';
import type { Moment } from '../../../src/incidents/moment.js';
import type { FollowUp } from '../../../src/incidents/follow-up.js';

export type { ChatBlock, ChatButton } from '../../../src/chat/chat.js';
export type { Incident, TimelineEntry, IncidentStatus } from '../../../src/incidents/incident.js';
export type { Alert, Severity } from '../../../src/alerts/alert.js';
export type { Playbook, PlaybookPage } from '../../../src/playbooks/playbook.js';
export type { Moment, MomentKind } from '../../../src/incidents/moment.js';
export type { FollowUp } from '../../../src/incidents/follow-up.js';

export interface RoomMessage {
  id: string;
  seq: number;
  channel: string;
  threadId?: string;
  userId: string;
  userName: string;
  text: string;
  blocks?: ChatBlock[];
  at: string;
  editedAt?: string;
  fromBot: boolean;
}

export interface RoomChannel {
  id: string;
  name: string;
  topic: string;
  incidentId?: string;
}

export interface IncidentDetail {
  incident: Incident;
  timeline: TimelineEntry[];
  messages: RoomMessage[];
  alerts: Alert[];
  moments: Moment[];
  followUps: FollowUp[];
  runs: { id: string; flowId: string; status: string }[];
  tasks: { id: string; runId: string; boxId: string; status: string; port?: string }[];
}

export interface FlowProblem {
  code: string;
  message: string;
  file: string;
  line: number;
  column?: number;
  boxId?: string;
  severity: 'error' | 'warning';
}

export interface FlowSummary {
  id: string;
  name?: string;
  file: string;
  enabled: boolean;
  trigger: { on: string; match?: Record<string, unknown>; priority?: number };
  problems: FlowProblem[];
}

export interface FlowDetail {
  id: string;
  file: string;
  yaml: string;
  flow: unknown;
  problems: FlowProblem[];
}

/** A JSON Schema as zod exports it; only the parts the inspector reads are typed. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  title?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  additionalProperties?: boolean | JsonSchema;
  format?: string;
  pattern?: string;
}

export type TemplateMode = 'text' | 'shell' | 'url' | 'json' | 'plain';

export interface BoxInfo {
  type: string;
  title: string;
  description: string;
  outputs: string[] | 'choices';
  templates: Record<string, TemplateMode>;
  schema: JsonSchema;
}

export interface Sample {
  name: string;
  source: string;
  file: string;
  payload: unknown;
}

export interface TemplatePreview {
  text: string;
  missing: string[];
  sources: { path: string; value: string }[];
  problems: { message: string; offset?: number; path?: string }[];
}

/** One step of a test run. Box steps (`run`, `wait`, `resume`) name the box and the output it left by. */
export interface SimStep {
  at: string;
  /** Time since the alert, `+00:30:00`. */
  offset?: string;
  boxId?: string;
  type?: string;
  port?: string;
  channel?: string;
  kind: 'run' | 'wait' | 'resume' | 'message' | 'message-updated' | 'timeline' | 'click' | 'note';
  text: string;
}

export interface SimResult {
  steps: SimStep[];
  transcript: string;
  problems: FlowProblem[];
}

export interface PlaybookSummary {
  id: string;
  title: string;
  file: string;
  pages: number | unknown[];
  problems: { file: string; line: number; code: string; message: string }[];
}

export interface PlaybookPreview {
  playbook: Playbook;
  rendered: { pageId: string; blocks: ChatBlock[] }[];
}

export interface Session {
  authenticated: boolean;
  required: boolean;
}
