import type { Generated } from 'kysely';
import type { RoomChannelsTable, RoomMessagesTable } from '../chat/room/room-queries.js';
import type { ChatBacklogTable } from '../chat/slack/chat-backlog-queries.js';

/*
 * The tables as Kysely sees them, identical on both dialects:
 * - times are integers (epoch milliseconds, UTC): they compare and sort correctly everywhere, and
 *   PostgreSQL's int8 is parsed to a number by our pool (see postgres/open-postgres.ts);
 * - JSON is text on both: it round-trips byte-identical (jsonb would reorder keys, drop duplicate
 *   keys and reject \u0000), and writes stay cheap during an alert storm;
 * - booleans are integers 0/1;
 * - tables that must list rows in insertion order have an integer `seq` primary key and keep their
 *   text `id` under a unique index.
 */

/** Epoch milliseconds (UTC). */
export type Millis = number;
/** JSON, serialised by `toJsonText`. */
export type JsonText = string;

export interface AlertsTable {
  seq: Generated<number>;
  id: string;
  source: string;
  dedup_key: string;
  status: string;
  title: string;
  severity: string;
  labels: JsonText;
  links: JsonText;
  starts_at: Millis;
  raw: JsonText;
  delivery_id: string | null;
  /** sha256 of source and the canonical JSON of `raw`, for the dedup window. */
  content_hash: string;
  group_key: string;
  received_at: Millis;
  incident_id: string | null;
}

export interface DeadLettersTable {
  seq: Generated<number>;
  id: string;
  source: string;
  received_at: Millis;
  reason: string;
  /** The body as a JSON string, so that replay gets it back exactly (NUL bytes included). */
  body: JsonText;
  headers: JsonText;
}

export interface IncidentsTable {
  id: string;
  /** A sequence on PostgreSQL; max + 1 inside the write transaction on SQLite. */
  number: Generated<number>;
  title: string;
  severity: string;
  status: string;
  group_key: string;
  labels: JsonText;
  created_at: Millis;
  updated_at: Millis;
  mitigated_at: Millis | null;
  resolved_at: Millis | null;
  acknowledged_at: Millis | null;
  acknowledged_by: string | null;
  /** The role holders, one column each so two hand-overs of different roles never overwrite each other. */
  commander: JsonText | null;
  communications_lead: JsonText | null;
  responders: JsonText;
  channels: JsonText;
  meeting: JsonText | null;
  issue: JsonText | null;
  /** Bumped by every change; a transition applies only on the version it was decided on. */
  version: Generated<number>;
  /** The source of the alert that opened it; null when declared by hand. */
  source: string | null;
}

/** One responder of an incident; the key makes a second add of the same person a no-op. */
export interface IncidentRespondersTable {
  incident_id: string;
  user_id: string;
  added_at: Millis;
}

/** One channel an incident talks in; unique per (incident, adapter, channel). */
export interface IncidentChannelsTable {
  incident_id: string;
  adapter: string;
  channel_id: string;
  name: string;
  role: string;
  url: string | null;
  added_at: Millis;
  position: number;
}

export interface TimelineTable {
  seq: Generated<number>;
  id: string;
  incident_id: string;
  at: Millis;
  kind: string;
  actor: string;
  text: string;
  data: JsonText | null;
}

export interface RunsTable {
  id: string;
  flow_id: string;
  flow_hash: string;
  flow: JsonText;
  incident_id: string;
  trigger_key: string;
  alert_id: string | null;
  status: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface TasksTable {
  seq: Generated<number>;
  id: string;
  run_id: string;
  incident_id: string;
  box_id: string;
  status: string;
  state: JsonText | null;
  output: JsonText | null;
  port: string | null;
  error: string | null;
  attempts: number;
  wait_until: Millis | null;
  wait_for: string | null;
  created_at: Millis;
  updated_at: Millis;
  completed_at: Millis | null;
  version: number;
}

export interface JobsTable {
  /** Autoincrement, never reused: "oldest in its queue" is the smallest id. */
  id: Generated<number>;
  kind: string;
  payload: JsonText;
  queue: string | null;
  unique_key: string | null;
  run_at: Millis;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: Millis | null;
  /** 1 once retries gave up; failed jobs stay for inspection and never block their queue. */
  failed: Generated<number>;
  last_error: string | null;
  /** Claims that ended in "not yet" (chat pacing) rather than a failure; not counted as attempts. */
  deferrals: Generated<number>;
  /** When the current run of failures began (time-based retry budgets); null when none. */
  failing_since: Millis | null;
}

/** The AI first draft of an incident's report (see report/draft/draft.ts). */
export interface ReportDraftsTable {
  incident_id: string;
  status: string;
  sections: JsonText;
  model: string;
  error_code: string | null;
  error_message: string | null;
  dropped: number;
  reviewed_by: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface EffectsTable {
  key: string;
  result: JsonText;
  created_at: Millis;
}

/** A person who logs in to the web UI: a local account (password) or a single sign-on identity. */
export interface UsersTable {
  id: string;
  login: string;
  display_name: string;
  /** An argon2id PHC string; null for single sign-on users. */
  password_hash: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  /** Raised to end every session of the user (password change, removal and re-adding). */
  session_epoch: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface FollowUpsTable {
  seq: Generated<number>;
  id: string;
  incident_id: string;
  text: string;
  owner_name: string | null;
  owner_user_id: string | null;
  created_by: string;
  created_at: Millis;
}

export interface FollowUpRefsTable {
  follow_up_id: string;
  tracker: string;
  issue_id: string;
  url: string;
  updated_at: Millis;
}

export interface MomentsTable {
  seq: Generated<number>;
  id: string;
  incident_id: string;
  kind: string;
  text: string;
  message_key: string;
  message_adapter: string | null;
  message_channel: string | null;
  message_id: string | null;
  message_author: string | null;
  message_at: Millis | null;
  marked_by: string;
  marked_at: Millis;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** Every table Sidekick keeps, for `Kysely<Database>`. */
export interface Database {
  alerts: AlertsTable;
  dead_letters: DeadLettersTable;
  incidents: IncidentsTable;
  incident_responders: IncidentRespondersTable;
  incident_channels: IncidentChannelsTable;
  timeline: TimelineTable;
  runs: RunsTable;
  tasks: TasksTable;
  jobs: JobsTable;
  effects: EffectsTable;
  room_channels: RoomChannelsTable;
  room_messages: RoomMessagesTable;
  settings: SettingsTable;
  follow_ups: FollowUpsTable;
  follow_up_refs: FollowUpRefsTable;
  moments: MomentsTable;
  chat_backlog: ChatBacklogTable;
  users: UsersTable;
  report_drafts: ReportDraftsTable;
}

/** Table names in an order that respects foreign keys when emptying them (children first). */
export const TABLES_CHILDREN_FIRST: readonly (keyof Database)[] = [
  'report_drafts',
  'moments',
  'follow_up_refs',
  'follow_ups',
  'tasks',
  'runs',
  'timeline',
  'alerts',
  'incident_responders',
  'incident_channels',
  'incidents',
  'dead_letters',
  'jobs',
  'effects',
  'room_messages',
  'room_channels',
  'settings',
  'chat_backlog',
  'users',
];
