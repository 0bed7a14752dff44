import { sql, type Kysely } from 'kysely';
import type { Alert } from '../alerts/alert.js';
import type { Incident, IncidentChannel, IncidentStatus, TimelineEntry } from '../incidents/incident.js';
import type { Run, Task } from '../model/run.js';
import type { ChatBlock } from '../chat/chat.js';
import type { ChatBacklogEntry, ChatBacklogTake, DeadLetter, Job, NewAlert, NewJob, QueuedAlert, QueuedAlertJoin, RoomChannel, RoomMessage, Store } from './store.js';
import type { DialectBinding, StoreDialect } from './capabilities.js';
import type { QueryContext } from './query-context.js';
import type { Database } from './schema.js';
import { StoreError } from './store-error.js';
import * as alerts from './queries/alerts.js';
import * as queuedAlerts from './queries/queued-alerts.js';
import { prepareAlertRequest, storeAlertRequests } from './queries/insert-alerts.js';
import { AlertInsertBatcher } from './alert-insert-batcher.js';
import * as deadLetters from './queries/dead-letters.js';
import * as incidents from './queries/incidents.js';
import * as members from './queries/incident-members.js';
import * as groups from './queries/incident-groups.js';
import type { GroupIncidents, IncidentPatch } from './queries/incidents.js';
import type { IncidentGroup } from './queries/incident-groups.js';
import * as timeline from './queries/timeline.js';
import * as runs from './queries/runs.js';
import * as tasks from './queries/tasks.js';
import * as jobs from './queries/jobs.js';
import { claimJobs } from './queries/claim-jobs.js';
import * as effects from './queries/effects.js';
import * as chatBacklog from './queries/chat-backlog.js';
import * as room from './queries/room.js';
import * as settings from './queries/settings.js';
import * as followUps from './queries/follow-ups.js';
import * as users from './queries/users.js';
import type { User } from '../people/user.js';
import * as reportDrafts from './queries/report-drafts.js';
import type { ReportDraft } from '../report/draft/draft.js';
import * as moments from './queries/moments.js';
import type { Moment, MomentKind } from '../incidents/moment.js';
import type { FollowUp, FollowUpRef } from '../incidents/follow-up.js';

/**
 * The one `Store` implementation, shared by both dialects: every method is a query function of
 * `queries/`, run on the pool or, inside `transaction`, on the transaction's connection.
 */
export class KyselyStore implements Store, QueryContext {
  readonly dialect: StoreDialect;
  readonly db: Kysely<Database>;
  readonly caps: DialectBinding['capabilities'];
  readonly #binding: DialectBinding;
  readonly #inTransaction: boolean;
  /** Group commit of concurrent insertAlerts calls; only the outer store has one. */
  readonly #alertBatcher?: AlertInsertBatcher;

  constructor(binding: DialectBinding, transactionDb?: Kysely<Database>) {
    this.#binding = binding;
    this.caps = binding.capabilities;
    this.dialect = binding.capabilities.dialect;
    this.db = transactionDb ?? binding.db;
    this.#inTransaction = transactionDb !== undefined;
    if (!this.#inTransaction) {
      this.#alertBatcher = new AlertInsertBatcher((requests) => storeAlertRequests(this, requests), {
        gatherFirst: this.dialect === 'sqlite',
      });
    }
  }

  async migrate(): Promise<void> {
    if (this.#inTransaction) throw new StoreError('STORE_IN_TRANSACTION', 'migrate() runs outside transactions');
    await this.#binding.migrate();
  }

  async close(): Promise<void> {
    if (this.#inTransaction) throw new StoreError('STORE_IN_TRANSACTION', 'close() the outer store, not a transaction');
    await this.#binding.db.destroy();
    await this.#binding.close?.();
  }

  /**
   * Runs `fn` in one transaction; nested calls reuse it. Inside `fn`, use only the given store:
   * on SQLite the outer one waits for the single connection this transaction holds.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return fn(this);
    return this.#binding.runTransaction((trx) => fn(new KyselyStore(this.#binding, trx)));
  }

  atomically<T>(fn: (ctx: QueryContext) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return fn(this);
    return this.#binding.runTransaction((trx) => fn(new KyselyStore(this.#binding, trx)));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async insertAlerts(list: NewAlert[], options: { now: string; dedupWindowMs: number }): Promise<{ inserted: Alert[]; duplicates: number }> {
    const request = prepareAlertRequest(list, options);
    if (request.rows.length === 0) return { inserted: [], duplicates: 0 };
    if (!this.#alertBatcher) return (await storeAlertRequests(this, [request]))[0];
    return this.#alertBatcher.submit(request);
  }
  getAlert(id: string): Promise<Alert | undefined> {
    return alerts.getAlert(this, id);
  }
  listAlerts(filter: { incidentId?: string; limit?: number; newestFirst?: boolean }): Promise<Alert[]> {
    return alerts.listAlerts(this, filter);
  }
  countAlerts(): Promise<number> {
    return alerts.countAlerts(this);
  }
  setAlertIncident(alertId: string, incidentId: string): Promise<void> {
    return alerts.setAlertIncident(this, alertId, incidentId);
  }
  listQueuedAlerts(queue: string, afterJobId: string, now: string, limit: number): Promise<QueuedAlert[]> {
    return queuedAlerts.listQueuedAlerts(this, queue, afterJobId, now, limit);
  }
  joinQueuedAlerts(incidentId: string, joined: QueuedAlertJoin[]): Promise<TimelineEntry[]> {
    return queuedAlerts.joinQueuedAlerts(this, incidentId, joined);
  }

  addDeadLetter(letter: Omit<DeadLetter, 'id'>): Promise<DeadLetter> {
    return deadLetters.addDeadLetter(this, letter);
  }
  listDeadLetters(limit?: number): Promise<DeadLetter[]> {
    return deadLetters.listDeadLetters(this, limit);
  }
  getDeadLetter(id: string): Promise<DeadLetter | undefined> {
    return deadLetters.getDeadLetter(this, id);
  }
  deleteDeadLetter(id: string): Promise<void> {
    return deadLetters.deleteDeadLetter(this, id);
  }

  createIncident(incident: Omit<Incident, 'id' | 'number' | 'version'> & { id?: string }): Promise<Incident> {
    return incidents.createIncident(this, incident);
  }
  getIncident(idOrNumber: string): Promise<Incident | undefined> {
    return incidents.getIncident(this, idOrNumber);
  }
  findOpenIncident(groupKey: string): Promise<Incident | undefined> {
    return incidents.findOpenIncident(this, groupKey);
  }
  findResolvedIncidentSince(groupKey: string, since: string): Promise<Incident | undefined> {
    return incidents.findResolvedIncidentSince(this, groupKey, since);
  }
  findGroupIncidents(groupKey: string, resolvedSince: string): Promise<GroupIncidents> {
    return incidents.findGroupIncidents(this, groupKey, resolvedSince);
  }
  listIncidents(filter: { status?: IncidentStatus | 'open'; limit?: number; offset?: number; search?: string }): Promise<Incident[]> {
    return incidents.listIncidents(this, filter);
  }
  countIncidents(filter: { status?: IncidentStatus | 'open' }): Promise<number> {
    return incidents.countIncidents(this, filter);
  }
  updateIncident(id: string, patch: IncidentPatch, expectedVersion?: number): Promise<Incident> {
    return incidents.updateIncident(this, id, patch, expectedVersion);
  }
  addIncidentResponders(incidentId: string, userIds: readonly string[], at: string): Promise<string[]> {
    return members.addIncidentResponders(this, incidentId, userIds, at);
  }
  addIncidentChannels(incidentId: string, channels: readonly IncidentChannel[], at: string, replaceRole?: { adapter: string; role: IncidentChannel['role'] }): Promise<IncidentChannel[]> {
    return members.addIncidentChannels(this, incidentId, channels, at, replaceRole);
  }
  lockIncidentSource(source: string): Promise<void> {
    return incidents.lockIncidentSource(this, source);
  }
  countIncidentsOpenedBy(source: string, since: string): Promise<number> {
    return incidents.countIncidentsOpenedBy(this, source, since);
  }
  findOpenIncidentHolding(groupKey: string): Promise<Incident | undefined> {
    return incidents.findOpenIncidentHolding(this, groupKey);
  }
  findOpenIncidentByAlertLabel(source: string, name: string, value: string): Promise<Incident | undefined> {
    return incidents.findOpenIncidentByAlertLabel(this, source, name, value);
  }
  listIncidentGroups(incidentId: string, limit?: number): Promise<IncidentGroup[]> {
    return groups.listIncidentGroups(this, incidentId, limit);
  }
  moveGroupAlerts(fromIncidentId: string, groupKey: string, toIncidentId: string): Promise<string[]> {
    return groups.moveGroupAlerts(this, fromIncidentId, groupKey, toIncidentId);
  }

  addTimeline(entry: Omit<TimelineEntry, 'id'> & { id?: string }): Promise<TimelineEntry> {
    return timeline.addTimeline(this, entry);
  }
  listTimeline(incidentId: string): Promise<TimelineEntry[]> {
    return timeline.listTimeline(this, incidentId);
  }

  createRun(run: Omit<Run, 'createdAt' | 'updatedAt'>, now: string): Promise<{ run: Run; created: boolean }> {
    return runs.createRun(this, run, now);
  }
  getRun(id: string): Promise<Run | undefined> {
    return runs.getRun(this, id);
  }
  listRuns(filter: { incidentId?: string; status?: Run['status'] }): Promise<Run[]> {
    return runs.listRuns(this, filter);
  }
  updateRunStatus(id: string, status: Run['status'], now: string): Promise<void> {
    return runs.updateRunStatus(this, id, status, now);
  }
  finishRunIfIdle(id: string, now: string): Promise<boolean> {
    return runs.finishRunIfIdle(this, id, now);
  }

  createTask(task: Omit<Task, 'createdAt' | 'updatedAt' | 'version'>, now: string): Promise<Task> {
    return tasks.createTask(this, task, now);
  }
  getTask(id: string): Promise<Task | undefined> {
    return tasks.getTask(this, id);
  }
  getTaskRun(taskId: string): Promise<{ task: Task; run: Run; tasks: Task[] } | undefined> {
    return tasks.getTaskRun(this, taskId);
  }
  listTasks(filter: { runId?: string; incidentId?: string; status?: Task['status'][] }): Promise<Task[]> {
    return tasks.listTasks(this, filter);
  }
  updateTask(id: string, expectedVersion: number, patch: Partial<Omit<Task, 'id' | 'runId' | 'incidentId' | 'boxId' | 'createdAt' | 'version'>>, now: string): Promise<Task | undefined> {
    return tasks.updateTask(this, id, expectedVersion, patch, now);
  }

  enqueue(job: NewJob): Promise<void> {
    return jobs.enqueue(this, job);
  }
  claimJobs(owner: string, limit: number, now: string, leaseUntil: string): Promise<Job[]> {
    return claimJobs(this, owner, limit, now, leaseUntil);
  }
  completeJob(id: string, owner: string): Promise<void> {
    return jobs.completeJob(this, id, owner);
  }

  completeJobs(ids: string[], owner: string): Promise<void> {
    return jobs.completeJobs(this, ids, owner);
  }
  retryJob(id: string, owner: string, error: string, runAt?: string, failedAt?: string): Promise<void> {
    return jobs.retryJob(this, id, owner, error, runAt, failedAt);
  }
  deferJob(id: string, owner: string, runAt: string, reason: string): Promise<void> {
    return jobs.deferJob(this, id, owner, runAt, reason);
  }
  extendLeases(owner: string, ids: readonly string[], leaseUntil: string): Promise<void> {
    return jobs.extendLeases(this, owner, ids, leaseUntil);
  }
  releaseJobs(owner: string): Promise<void> {
    return jobs.releaseJobs(this, owner);
  }
  nextJobDue(): Promise<string | undefined> {
    return jobs.nextJobDue(this);
  }
  countJobs(): Promise<{ ready: number; leased: number; failed: number; oldestDueAt?: string }> {
    return jobs.countJobs(this);
  }

  getEffect(key: string): Promise<unknown | undefined> {
    return effects.getEffect(this, key);
  }
  putEffect(key: string, result: unknown, now: string): Promise<void> {
    return effects.putEffect(this, key, result, now);
  }

  addChatBacklog(entry: Omit<ChatBacklogEntry, 'takenBy'>): Promise<void> {
    return chatBacklog.addChatBacklog(this, entry);
  }
  takeChatBacklog(take: ChatBacklogTake): Promise<{ taken: ChatBacklogEntry[]; heldBy?: string }> {
    return chatBacklog.takeChatBacklog(this, take);
  }
  getChatBacklog(key: string): Promise<ChatBacklogEntry | undefined> {
    return chatBacklog.getChatBacklog(this, key);
  }
  releaseChatBacklog(by: string): Promise<void> {
    return chatBacklog.releaseChatBacklog(this, by);
  }
  removeChatBacklog(keys: readonly string[]): Promise<void> {
    return chatBacklog.removeChatBacklog(this, keys);
  }

  ensureRoomChannel(name: string, topic: string | undefined, now: string): Promise<RoomChannel> {
    return room.ensureRoomChannel(this, name, topic, now);
  }
  getRoomChannel(idOrName: string): Promise<RoomChannel | undefined> {
    return room.getRoomChannel(this, idOrName);
  }
  listRoomChannels(): Promise<RoomChannel[]> {
    return room.listRoomChannels(this);
  }
  addRoomMessage(message: Omit<RoomMessage, 'id' | 'seq'> & { idempotencyKey?: string }): Promise<RoomMessage> {
    return room.addRoomMessage(this, message);
  }
  updateRoomMessage(id: string, patch: { text: string; blocks?: ChatBlock[]; editedAt: string }): Promise<void> {
    return room.updateRoomMessage(this, id, patch);
  }
  getRoomMessage(id: string): Promise<RoomMessage | undefined> {
    return room.getRoomMessage(this, id);
  }
  listRoomMessages(filter: { channel?: string; afterSeq?: number; since?: string; limit?: number }): Promise<RoomMessage[]> {
    return room.listRoomMessages(this, filter);
  }

  addFollowUp(followUp: Omit<FollowUp, 'refs'>): Promise<FollowUp> {
    return followUps.addFollowUp(this, followUp);
  }
  getFollowUp(id: string): Promise<FollowUp | undefined> {
    return followUps.getFollowUp(this, id);
  }
  listFollowUps(incidentId: string): Promise<FollowUp[]> {
    return followUps.listFollowUps(this, incidentId);
  }
  setFollowUpRef(followUpId: string, ref: FollowUpRef, now: string): Promise<void> {
    return followUps.setFollowUpRef(this, followUpId, ref, now);
  }

  getReportDraft(incidentId: string): Promise<ReportDraft | undefined> {
    return reportDrafts.getReportDraft(this, incidentId);
  }
  putReportDraft(draft: ReportDraft): Promise<void> {
    return reportDrafts.putReportDraft(this, draft);
  }
  addMoment(moment: Moment): Promise<Moment> {
    return moments.addMoment(this, moment);
  }
  removeMoment(incidentId: string, kind: MomentKind, messageKey: string): Promise<Moment | undefined> {
    return moments.removeMoment(this, incidentId, kind, messageKey);
  }
  listMoments(incidentId: string): Promise<Moment[]> {
    return moments.listMoments(this, incidentId);
  }

  getSetting(key: string): Promise<string | undefined> {
    return settings.getSetting(this, key);
  }
  addUser(user: Omit<User, 'sessionEpoch'>): Promise<User> {
    return users.addUser(this, user);
  }
  getUser(id: string): Promise<User | undefined> {
    return users.getUser(this, id);
  }
  getUserByLogin(login: string): Promise<User | undefined> {
    return users.getUserByLogin(this, login);
  }
  listUsers(): Promise<User[]> {
    return users.listUsers(this);
  }
  removeUser(id: string): Promise<boolean> {
    return users.removeUser(this, id);
  }
  setUserPassword(id: string, passwordHash: string, now: string): Promise<void> {
    return users.setUserPassword(this, id, passwordHash, now);
  }
  setUserDisplayName(id: string, displayName: string, now: string): Promise<void> {
    return users.setUserDisplayName(this, id, displayName, now);
  }
  countUsers(): Promise<number> {
    return users.countUsers(this);
  }
  initSetting(key: string, value: string): Promise<string> {
    return settings.initSetting(this, key, value);
  }
}
