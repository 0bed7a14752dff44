/**
 * Shapes of the HTTP API (docs/api.md): declared once by the server (src/server/api-types.ts) and
 * imported here type-only, so nothing of the server is bundled and the two sides cannot drift.
 */
export type {
  BoxInfo,
  FlowDetail,
  FlowProblem,
  FlowSummary,
  IncidentDetail,
  JsonSchema,
  PlaybookPreview,
  PlaybookSummary,
  RoomChannel,
  RoomMessage,
  Sample,
  Session,
  SimResult,
  SimStep,
  TemplateMode,
  TemplatePreview,
} from '../../../src/server/api-types.js';
export type { ChatBlock, ChatButton } from '../../../src/chat/chat.js';
export type { Incident, TimelineEntry, IncidentStatus } from '../../../src/incidents/incident.js';
export type { Moment, MomentKind } from '../../../src/incidents/moment.js';
export type { FollowUp } from '../../../src/incidents/follow-up.js';
export type { Alert, Severity } from '../../../src/alerts/alert.js';
export type { Playbook, PlaybookPage } from '../../../src/playbooks/playbook.js';

export type { ReportDraft, DraftSentence, DraftStatus, DraftAnswer } from '../../../src/server/api-types.js';
