import type { Alert, NormalisedAlert } from '../alerts/alert.js';
import type { Incident, IncidentChannel, TimelineEntry, IncidentStatus } from '../incidents/incident.js';
import type { GroupIncidents, IncidentPatch } from './queries/incidents.js';
import type { IncidentGroup } from './queries/incident-groups.js';

export type { GroupIncidents, IncidentPatch, IncidentGroup };
import type { Run, Task } from '../model/run.js';
import type { ChatBlock, ChatMessage } from '../chat/chat.js';
import type { FollowUp, FollowUpRef } from '../incidents/follow-up.js';
import type { User } from '../people/user.js';
import type { ReportDraft } from '../report/draft/draft.js';
import type { Moment, MomentKind } from '../incidents/moment.js';

/**
 * Everything Sidekick keeps. One interface, two dialects (SQLite for one process, PostgreSQL for
 * many). All times cross this interface as ISO 8601 strings in UTC (`new Date().toISOString()`).
 * Every method may be called inside `transaction`, which gives a Store bound to that transaction.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE). Nested calls reuse the outer one. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** A cheap round trip, for readiness checks. */
  ping(): Promise<void>;

  // ---- alerts -------------------------------------------------------------------------------
  /**
   * Stores alerts in one transaction and enqueues one `alert` job for each new one (queue = its
   * `groupKey`, so one group's alerts are handled in order). An alert whose (source, deliveryId)
   * was seen before, or whose content hash was seen within `dedupWindowMs`, is not stored again.
   */
  insertAlerts(alerts: NewAlert[], options: { now: string; dedupWindowMs: number }): Promise<{ inserted: Alert[]; duplicates: number }>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** Oldest first. */
  listAlerts(filter: { incidentId?: string; limit?: number; newestFirst?: boolean }): Promise<Alert[]>;
  countAlerts(): Promise<number>;
  setAlertIncident(alertId: string, incidentId: string): Promise<void>;
  /**
   * The alert jobs that could run next behind the running job `afterJobId` in `queue`, with their
   * alerts: the unbroken run of due, untried jobs whose alert is firing and in no incident yet.
   */
  listQueuedAlerts(queue: string, afterJobId: string, now: string, limit: number): Promise<QueuedAlert[]>;
  /** Links those alerts to an incident, adds their timeline entries and deletes their jobs. */
  joinQueuedAlerts(incidentId: string, joined: QueuedAlertJoin[]): Promise<TimelineEntry[]>;

  addDeadLetter(letter: Omit<DeadLetter, 'id'>): Promise<DeadLetter>;
  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;
  deleteDeadLetter(id: string): Promise<void>;

  // ---- incidents ----------------------------------------------------------------------------
  /**
   * Creates an incident and gives it the next number. Throws StoreError `STORE_CONFLICT` when an
   * unresolved incident with the same group key exists (at most one open incident per group).
   */
  createIncident(incident: Omit<Incident, 'id' | 'number' | 'version'> & { id?: string }): Promise<Incident>;
  getIncident(idOrNumber: string): Promise<Incident | undefined>;
  /** The newest incident with this group key whose status is not resolved. */
  findOpenIncident(groupKey: string): Promise<Incident | undefined>;
  /** The newest incident with this group key resolved at or after `since` (flap window). */
  findResolvedIncidentSince(groupKey: string, since: string): Promise<Incident | undefined>;
  /** The group's open incident, an open one holding its alerts, and one resolved since `resolvedSince`, in one read. */
  findGroupIncidents(groupKey: string, resolvedSince: string): Promise<GroupIncidents>;
  /** Newest first; `search` matches words in the title, any case. */
  listIncidents(filter: { status?: IncidentStatus | 'open'; limit?: number; offset?: number; search?: string }): Promise<Incident[]>;
  countIncidents(filter: { status?: IncidentStatus | 'open' }): Promise<number>;
  /**
   * Patches an incident and bumps its version; with `expectedVersion`, only at that version (else
   * StoreError STORE_VERSION_CONFLICT). Responders and channels change through their own methods.
   */
  updateIncident(id: string, patch: IncidentPatch, expectedVersion?: number): Promise<Incident>;
  /** Adds responders (a unique key per person, so concurrent adds never lose one); returns those added. */
  addIncidentResponders(incidentId: string, userIds: readonly string[], at: string): Promise<string[]>;
  /** Adds channels (unique per adapter and id); `replaceRole` first drops the others of that adapter and role. */
  addIncidentChannels(incidentId: string, channels: readonly IncidentChannel[], at: string, replaceRole?: { adapter: string; role: IncidentChannel['role'] }): Promise<IncidentChannel[]>;
  /** Inside a transaction: holds off other openings by `source` until it ends (the storm guard's count). */
  lockIncidentSource(source: string): Promise<void>;
  /** How many incidents `source` opened at or after `since` (storm incidents not counted). */
  countIncidentsOpenedBy(source: string, since: string): Promise<number>;
  /** The open incident (a storm) holding alerts of `groupKey` under another key. */
  findOpenIncidentHolding(groupKey: string): Promise<Incident | undefined>;
  /** The open incident holding an alert of `source` with label `name` = `value`. */
  findOpenIncidentByAlertLabel(source: string, name: string, value: string): Promise<Incident | undefined>;
  /** The groups of alerts an incident holds, largest first. */
  listIncidentGroups(incidentId: string, limit?: number): Promise<IncidentGroup[]>;
  /** Moves an incident's alerts of one group to another incident; returns their ids. */
  moveGroupAlerts(fromIncidentId: string, groupKey: string, toIncidentId: string): Promise<string[]>;

  // ---- timeline -----------------------------------------------------------------------------
  addTimeline(entry: Omit<TimelineEntry, 'id'> & { id?: string }): Promise<TimelineEntry>;
  /** Oldest first, in insertion order for equal times. */
  listTimeline(incidentId: string): Promise<TimelineEntry[]>;

  // ---- runs and tasks -----------------------------------------------------------------------
  /** Creates a run unless one exists for (flowId, incidentId, triggerKey); returns whichever exists. */
  createRun(run: Omit<Run, 'createdAt' | 'updatedAt'>, now: string): Promise<{ run: Run; created: boolean }>;
  getRun(id: string): Promise<Run | undefined>;
  listRuns(filter: { incidentId?: string; status?: Run['status'] }): Promise<Run[]>;
  updateRunStatus(id: string, status: Run['status'], now: string): Promise<void>;
  /** Marks a run done unless a task of it is ready, running or waiting; whether it did. */
  finishRunIfIdle(id: string, now: string): Promise<boolean>;

  createTask(task: Omit<Task, 'createdAt' | 'updatedAt' | 'version'>, now: string): Promise<Task>;
  getTask(id: string): Promise<Task | undefined>;
  /** A task with its run and all the run's tasks, oldest first (what a task job reads). */
  getTaskRun(taskId: string): Promise<{ task: Task; run: Run; tasks: Task[] } | undefined>;
  /** Tasks of a run, oldest first. */
  listTasks(filter: { runId?: string; incidentId?: string; status?: Task['status'][] }): Promise<Task[]>;
  /**
   * Updates a task only if its version is still `expectedVersion`; returns the new task, or
   * undefined when someone else changed it first (a double click, a second instance).
   */
  updateTask(id: string, expectedVersion: number, patch: Partial<Omit<Task, 'id' | 'runId' | 'incidentId' | 'boxId' | 'createdAt' | 'version'>>, now: string): Promise<Task | undefined>;

  // ---- jobs: the durable work queue ---------------------------------------------------------
  /** Adds a job; a job whose `uniqueKey` already exists is silently not added again. */
  enqueue(job: NewJob): Promise<void>;
  /**
   * Claims up to `limit` due jobs for `owner` until `leaseUntil`. A job with a `queue` is claimed
   * only when it is the oldest unfinished job of its queue that is due or was already tried, and
   * no job of that queue is leased: one queue runs in order, a retried job keeps its place, and a
   * job scheduled for later (a timer) does not hold back one due now. PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE.
   * Jobs whose lease expired count as unclaimed (the reaper's work is done by the claim itself).
   */
  claimJobs(owner: string, limit: number, now: string, leaseUntil: string): Promise<Job[]>;
  /** Deletes a finished job (only if `owner` still holds it). */
  completeJob(id: string, owner: string): Promise<void>;
  /** Deletes several finished jobs in one statement (only those `owner` still holds). */
  completeJobs(ids: string[], owner: string): Promise<void>;
  /**
   * Gives a job back to run again at `runAt` (attempts + 1), or marks it failed if `runAt` is unset.
   * `failedAt` starts the job's `failingSince` unless it is already set.
   */
  retryJob(id: string, owner: string, error: string, runAt?: string, failedAt?: string): Promise<void>;
  /** "Not yet" (chat pacing): runs the job again at `runAt` without counting an attempt; it keeps its queue place. */
  deferJob(id: string, owner: string, runAt: string, reason: string): Promise<void>;
  /** Heartbeat: extends the leases `owner` holds on the jobs `ids` (the ones it is running). */
  extendLeases(owner: string, ids: readonly string[], leaseUntil: string): Promise<void>;
  /** Graceful shutdown: gives back every job `owner` holds, untouched. */
  releaseJobs(owner: string): Promise<void>;
  /** When the next ready job is due (to know how long the scheduler may sleep). */
  nextJobDue(): Promise<string | undefined>;
  /** Ready and leased jobs, for metrics. */
  countJobs(): Promise<{ ready: number; leased: number; failed: number; oldestDueAt?: string }>;

  // ---- effects: what was already done outside ------------------------------------------------
  getEffect(key: string): Promise<unknown | undefined>;
  /** Records an effect's result; a second put for the same key keeps the first. */
  putEffect(key: string, result: unknown, now: string): Promise<void>;

  // ---- chat backlog: posts waiting for a paced channel ---------------------------------------
  /** Notes a waiting post (once per key). */
  addChatBacklog(entry: Omit<ChatBacklogEntry, 'takenBy'>): Promise<void>;
  /**
   * The post `by` has the channel's turn: takes its incident's waiting posts (its own included) to
   * send as one message, or says who holds its own row (that post sends it). See queries/chat-backlog.ts.
   */
  takeChatBacklog(take: ChatBacklogTake): Promise<{ taken: ChatBacklogEntry[]; heldBy?: string }>;
  getChatBacklog(key: string): Promise<ChatBacklogEntry | undefined>;
  /** Frees the rows `by` took without sending them. */
  releaseChatBacklog(by: string): Promise<void>;
  removeChatBacklog(keys: readonly string[]): Promise<void>;

  // ---- the built-in incident room (embedded chat) -------------------------------------------
  ensureRoomChannel(name: string, topic: string | undefined, now: string): Promise<RoomChannel>;
  getRoomChannel(idOrName: string): Promise<RoomChannel | undefined>;
  listRoomChannels(): Promise<RoomChannel[]>;
  /** Adds a message once per idempotency key; a repeat returns the first message. */
  addRoomMessage(message: Omit<RoomMessage, 'id' | 'seq'> & { idempotencyKey?: string }): Promise<RoomMessage>;
  updateRoomMessage(id: string, patch: { text: string; blocks?: ChatBlock[]; editedAt: string }): Promise<void>;
  getRoomMessage(id: string): Promise<RoomMessage | undefined>;
  /** Oldest first; `afterSeq` for live polling. */
  listRoomMessages(filter: { channel?: string; afterSeq?: number; since?: string; limit?: number }): Promise<RoomMessage[]>;

  // ---- follow-ups: action items and where they are filed ------------------------------------
  /** Adds a follow-up once per id; a repeat returns the first one. */
  addFollowUp(followUp: Omit<FollowUp, 'refs'>): Promise<FollowUp>;
  getFollowUp(id: string): Promise<FollowUp | undefined>;
  /** In the order they were added. */
  listFollowUps(incidentId: string): Promise<FollowUp[]>;
  /** Where a follow-up is filed in one tracker (one reference per tracker; a new one replaces it). */
  setFollowUpRef(followUpId: string, ref: FollowUpRef, now: string): Promise<void>;

  // ---- people: local accounts and single sign-on identities --------------------------------
  /** Adds an account; an existing login or identity is a STORE_CONFLICT. */
  addUser(user: Omit<User, 'sessionEpoch'>): Promise<User>;
  getUser(id: string): Promise<User | undefined>;
  getUserByLogin(login: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** True when it existed; its sessions end with it. */
  removeUser(id: string): Promise<boolean>;
  /** Sets the hash and ends every session of the user. */
  setUserPassword(id: string, passwordHash: string, now: string): Promise<void>;
  setUserDisplayName(id: string, displayName: string, now: string): Promise<void>;
  countUsers(): Promise<number>;
  // ---- the AI first draft of the report ---------------------------------------------------------
  getReportDraft(incidentId: string): Promise<ReportDraft | undefined>;
  /** Stores (or replaces) an incident's draft; one per incident. */
  putReportDraft(draft: ReportDraft): Promise<void>;
  // ---- moments: decisions and key moments people marked -----------------------------------
  /** Marks a moment once per (incident, kind, message); a repeat returns the first one. */
  addMoment(moment: Moment): Promise<Moment>;
  /** Unmarks; returns the moment that was removed, if there was one. */
  removeMoment(incidentId: string, kind: MomentKind, messageKey: string): Promise<Moment | undefined>;
  /** In the order they were marked. */
  listMoments(incidentId: string): Promise<Moment[]>;

  // ---- small settings (generated secrets, schema facts) -------------------------------------
  getSetting(key: string): Promise<string | undefined>;
  /** Sets a value unless one exists; returns the value now stored (first writer wins). */
  initSetting(key: string, value: string): Promise<string>;
}

export interface NewAlert extends NormalisedAlert {
  id: string;
  receivedAt: string;
  /** The grouping key this alert is processed under (ordering queue). */
  groupKey: string;
}

export interface DeadLetter {
  id: string;
  source: string;
  receivedAt: string;
  reason: string;
  body: string;
  headers: Record<string, string>;
}

export interface NewJob {
  kind: JobKind;
  payload: Record<string, unknown>;
  runAt: string;
  queue?: string;
  uniqueKey?: string;
}

/** `alert`: group a stored alert into an incident. `task`: run or resume one box.`event`: an incident event to deliver to runs. `digest`: summarise new alerts of an incident. */
export type JobKind = 'alert' | 'task' | 'event' | 'digest' | 'topic' | 'acknowledged' | 'update';

export interface Job extends NewJob {
  id: string;
  /** Earlier attempts that failed or crashed (deferrals for pacing are not attempts). */
  attempts: number;
  /** When the current run of failures began; unset when the last attempt did not fail. */
  failingSince?: string;
}

/** A post waiting for its paced channel (see chat/slack/slack-chat.ts: folding). */
export interface ChatBacklogEntry {
  /** The post's idempotency key. */
  key: string;
  channel: string;
  thread?: string;
  /** What may share one message: the incident's id. */
  fold: string;
  message: ChatMessage;
  createdAt: string;
  /** The post whose message carries this one, once one took it. */
  takenBy?: string;
}

export interface ChatBacklogTake {
  channel: string;
  thread?: string;
  fold: string;
  by: string;
  now: string;
  /** Rows taken before this by a sender that never finished count as free again. */
  staleBefore: string;
  limit: number;
  /** Take nothing new; return what `by` holds already (its retry must send the same message). */
  onlyHeld?: boolean;
}

export interface RoomChannel {
  id: string;
  name: string;
  topic?: string;
  createdAt: string;
}

export interface RoomMessage {
  id: string;
  /** Monotonic per installation, for live updates. */
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

/** An `alert` job waiting in its group's queue, with what a timeline line needs of its alert. */
export interface QueuedAlert {
  jobId: string;
  alert: Pick<Alert, 'id' | 'source' | 'status' | 'title' | 'severity'>;
}

/** One queued alert joining an incident, with the timeline entry that says so. */
export interface QueuedAlertJoin {
  jobId: string;
  alertId: string;
  entry: Omit<TimelineEntry, 'id' | 'incidentId'>;
}
