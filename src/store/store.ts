import type { Alert, NormalisedAlert } from '../alerts/alert.js';
import type { StoreDialect } from './capabilities.js';
import type { QueryContext } from './query-context.js';
import type { OperationsOf } from './operations.js';
import * as alerts from './queries/alerts.js';
import * as queuedAlerts from './queries/queued-alerts.js';
import * as deadLetters from './queries/dead-letters.js';
import * as incidents from './queries/incidents.js';
import * as incidentMembers from './queries/incident-members.js';
import * as incidentGroups from './queries/incident-groups.js';
import * as timeline from './queries/timeline.js';
import * as runs from './queries/runs.js';
import * as tasks from './queries/tasks.js';
import * as jobs from './queries/jobs.js';
import * as claimJobs from './queries/claim-jobs.js';
import * as effects from './queries/effects.js';
import * as postRecords from './queries/post-records.js';
import * as chatBacklog from '../chat/slack/chat-backlog-queries.js';
import * as room from '../chat/room/room-queries.js';
import * as followUps from './queries/follow-ups.js';
import * as moments from './queries/moments.js';
import * as users from './queries/users.js';
import * as reportDrafts from './queries/report-drafts.js';
import * as settings from './queries/settings.js';

export type { GroupIncidents, IncidentPatch } from './queries/incidents.js';
export type { IncidentGroup } from './queries/incident-groups.js';
export type { DeadLetter } from './queries/dead-letters.js';
export type { NewJob, JobKind, Job } from './queries/jobs.js';
export type { QueuedAlert, QueuedAlertJoin } from './queries/queued-alerts.js';
export type { PostRecordKeys, PostRecords } from './queries/post-records.js';

/**
 * The modules the store is made of, one per concern. Each exported function of one that takes a
 * query context first is a method of every Store (and of every transaction's Store): adding a query
 * is writing that function in its concern's module, nothing else. A new concern is one line here.
 */
export const CONCERNS = [
  alerts,
  queuedAlerts,
  deadLetters,
  incidents,
  incidentMembers,
  incidentGroups,
  timeline,
  runs,
  tasks,
  jobs,
  claimJobs,
  effects,
  postRecords,
  chatBacklog,
  room,
  followUps,
  moments,
  users,
  reportDrafts,
  settings,
] as const;

/**
 * What the store does beside its concerns' queries: the lifecycle, the transaction, and the
 * alert insert that concurrent callers share one commit for.
 */
export interface StoreBasics extends QueryContext {
  readonly dialect: StoreDialect;
  /** Brings the schema to the latest migration; not inside a transaction. */
  migrate(): Promise<void>;
  /** Closes the outer store; not a transaction's. */
  close(): Promise<void>;
  /**
   * Runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE) with a Store bound to it; nested calls
   * reuse the outer one. Inside `fn`, use only the given store: on SQLite the outer one waits for
   * the single connection this transaction holds.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** A cheap round trip, for readiness checks. */
  ping(): Promise<void>;
  /**
   * Stores alerts in one transaction and enqueues one `alert` job for each new one (queue = its
   * `groupKey`, so one group's alerts are handled in order). An alert whose (source, deliveryId)
   * was seen before, or whose content hash was seen within `dedupWindowMs`, is not stored again.
   * Outside a transaction, concurrent calls share one commit (alert-insert-batcher.ts).
   */
  insertAlerts(alerts: NewAlert[], options: { now: string; dedupWindowMs: number }): Promise<{ inserted: Alert[]; duplicates: number }>;
}

/**
 * Everything Sidekick keeps, over two dialects (SQLite for one process, PostgreSQL for many): the
 * basics and every concern's operations (see CONCERNS). All times cross it as ISO 8601 strings in
 * UTC (`new Date().toISOString()`). A Store is a query context too, so a query function of
 * `queries/` can be called with one directly.
 */
export type Store = StoreBasics & OperationsOf<typeof CONCERNS>;

export interface NewAlert extends NormalisedAlert {
  id: string;
  receivedAt: string;
  /** The grouping key this alert is processed under (ordering queue). */
  groupKey: string;
}
