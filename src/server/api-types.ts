/**
 * The shapes of the HTTP API's answers (docs/api.md), declared once: the routes `satisfies` them
 * and the web imports them type-only, so a change here is a compile error on both sides instead of
 * a drift. Only types: nothing of the server reaches the web bundle.
 */
import type { Alert } from '../alerts/alert.js';
import type { ChatBlock } from '../chat/chat.js';
import type { OutputRule } from '../flows/flow-graph.js';
import type { FlowProblem } from '../flows/flow-problem.js';
import type { FlowDefinition, FlowTrigger } from '../flows/flow-schema.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { Moment } from '../incidents/moment.js';
import type { FollowUp } from '../incidents/follow-up.js';
import type { Person } from '../people/user.js';
import type { ReportTimings } from '../report/timings.js';
import type { RunStatus, TaskStatus } from '../model/run.js';
import type { Playbook, PlaybookProblem } from '../playbooks/playbook.js';
import type { SimStep } from '../runtime/simulate.js';
import type { RoomChannel as StoredRoomChannel, RoomMessage } from '../chat/room/room-queries.js';
import type { EscapeMode, RenderResult, TemplateProblem } from '../templates/render.js';

export type { FlowProblem, RoomMessage, SimStep };

/** `GET /api/incidents` */
export interface IncidentList {
  incidents: Incident[];
}

/** `GET /api/incidents/:id`: the incident with its story, its room messages, alerts and runs. */
export interface IncidentDetail {
  incident: Incident;
  /** MTTA (`acknowledgeMs`) and the other key durations. */
  timings: ReportTimings;
  timeline: TimelineEntry[];
  messages: RoomMessage[];
  alerts: Alert[];
  /** The decisions and key moments people marked. */
  moments: Moment[];
  followUps: FollowUp[];
  runs: { id: string; flowId: string; status: RunStatus; createdAt: string }[];
  tasks: { id: string; runId: string; boxId: string; status: TaskStatus; port?: string }[];
}

/** A channel of the built-in room, with the open incident it belongs to. */
export interface RoomChannel extends StoredRoomChannel {
  incidentId?: string;
}

/** `GET /api/room/channels` */
export interface RoomChannelList {
  channels: RoomChannel[];
}

/** `GET /api/room/messages` */
export interface RoomMessageList {
  messages: RoomMessage[];
}

/** One flow in `GET /api/flows`. */
export interface FlowSummary {
  id: string;
  name: string;
  file: string;
  enabled: boolean;
  trigger: FlowTrigger;
  /** The version in service; runs keep the version they started with. */
  version?: string;
  /** The file has errors; this is the version read before it broke, still in service. */
  kept?: boolean;
  problems: FlowProblem[];
}

/** `GET /api/flows` */
export interface FlowList {
  flows: FlowSummary[];
  problems: FlowProblem[];
}

/** `GET /api/flows/:id`: the file as written and as checked. */
export interface FlowDetail {
  id: string;
  file: string;
  yaml: string;
  flow?: FlowDefinition;
  problems: FlowProblem[];
}

/** A JSON Schema as zod exports it; only the parts the editor reads are typed. */
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
  /** How a templated string is escaped (`.meta({ template })` on the box's schema). */
  template?: EscapeMode;
}

export type TemplateMode = EscapeMode;

/** One box type in `GET /api/boxes`: all the editor knows of it comes from here. */
export interface BoxInfo {
  type: string;
  title: string;
  description: string;
  /** Its outputs as rules over its settings (evaluate with `outputsFor` of src/flows/flow-graph.ts). */
  outputs: readonly OutputRule[];
  /** Fields of its output later boxes read as `boxes.<id>.<field>`. */
  produces: readonly string[];
  /** Its templated string settings and how each is escaped. */
  templates: Record<string, TemplateMode>;
  schema: JsonSchema;
}

/** `GET /api/boxes` */
export interface BoxList {
  boxes: BoxInfo[];
}

/** A bundled example payload. */
export interface Sample {
  name: string;
  source: string;
  file: string;
  payload: unknown;
}

/** `GET /api/samples` */
export interface SampleList {
  samples: Sample[];
}

/** `POST /api/templates/preview` */
export interface TemplatePreview extends RenderResult {
  problems: TemplateProblem[];
}

/** `POST /api/flows/validate` */
export interface FlowCheck {
  problems: FlowProblem[];
}

/** `POST /api/flows/simulate`: what a test run did, step by step, and as a transcript. */
export interface SimResult {
  steps: SimStep[];
  transcript: string;
  problems: FlowProblem[];
}

/** One playbook in `GET /api/playbooks`. */
export interface PlaybookSummary {
  id: string;
  title: string;
  file: string;
  pages: { id: string; title: string }[];
  problems: PlaybookProblem[];
  /** The file has errors; the version read before it broke is still in use. */
  kept?: boolean;
}

/** `GET /api/playbooks` */
export interface PlaybookList {
  playbooks: PlaybookSummary[];
}

/** `GET /api/playbooks/:id`: each page as chat will show it. */
export interface PlaybookPreview {
  playbook: Playbook;
  rendered: { pageId: string; blocks: ChatBlock[] }[];
  /** The flow whose own sample alert filled the commands (when no sample was chosen). */
  sample?: { flow: string; file: string; source: string };
}

/** `GET /api/session` */
export interface Session {
  authenticated: boolean;
  required: boolean;
  /** Who the browser acts as (absent until logged in). */
  person?: Person;
  /** Which ways to log in the server offers. */
  login: { password: boolean; accounts: boolean; sso: boolean };
  /** An open installation that has no display name from this browser yet. */
  askName: boolean;
}

export type { ReportDraft, DraftSentence, DraftStatus } from '../report/draft/draft.js';

/** `GET /api/incidents/:id/draft` and the draft actions' answers. */
export interface DraftAnswer {
  /** A model is configured (SIDEKICK_AI_URL and SIDEKICK_AI_MODEL). */
  enabled: boolean;
  model?: string;
  draft: import('../report/draft/draft.js').ReportDraft | null;
}
