import type { Alert, Severity } from '../alerts/alert.js';
import { SEVERITIES } from '../alerts/alert.js';
import type { Incident, IncidentStatus, TimelineEntry } from './incident.js';
import type { Services } from '../engine/services.js';
import type { Engine } from '../engine/engine.js';
import type { FlowCatalog } from '../flows/flow-catalog.js';
import type { Job } from '../store/store.js';
import type { LiveEvents } from '../util/live-events.js';
import type { JobOutcome } from '../engine/engine.js';
import type { GroupingOptions } from './grouping.js';
import { escapeChatText } from '../templates/render.js';
import { addLogContext } from '../util/log-context.js';
import type { FollowUp } from './follow-up.js';
import { addFollowUp, type NewFollowUpInput } from './add-follow-up.js';
import type { Moment, MomentKind, MomentMessage } from './moment.js';
import { markMoment, unmarkMoment, type MarkMomentInput } from './mark-moment.js';

/**
 * Incidents: opened by alerts that match no open incident, joined by alerts that do, resolved by
 * resolved alerts or by hand. Every change lands on the timeline and reaches flows as an event.
 */
export class IncidentService {
  constructor(
    private readonly services: Services,
    private readonly engine: Engine,
    private readonly catalog: () => FlowCatalog,
    private readonly live: LiveEvents,
    private readonly grouping: GroupingOptions,
  ) {}

  /**
   * Handles one `alert` job (one group's alerts arrive here in order). Every step is safe to run
   * again: a job retried after a crash or a lost database connection finishes what it started.
   */
  async handleAlertJob(job: Job): Promise<JobOutcome> {
    const { alertId } = job.payload as { alertId: string };
    addLogContext({ alertId });
    const { store } = this.services;
    const alert = await store.getAlert(alertId);
    if (!alert) return;
    addLogContext({ incidentId: alert.incidentId });
    if (alert.incidentId) {
      // Linked already; if this alert opened the incident, make sure its flows started.
      const incident = await store.getIncident(alert.incidentId);
      if (incident && incident.id === incidentIdFor(alert)) await this.finishOpening(incident, alert);
      return;
    }
    const groupKey = job.queue ?? `${alert.source}:${alert.dedupKey}`;
    const open = await store.findOpenIncident(groupKey);
    addLogContext({ incidentId: open?.id ?? incidentIdFor(alert) });
    if (open) return open.id === incidentIdFor(alert) ? this.finishOpening(open, alert) : this.joinIncident(open, alert, job);
    if (alert.status === 'resolved') {
      // Resolved with nothing open: keep it (it is stored) but open nothing.
      return;
    }
    const since = new Date(this.now().getTime() - this.grouping.flapWindowMs).toISOString();
    const flapped = await store.findResolvedIncidentSince(groupKey, since);
    if (flapped) {
      addLogContext({ incidentId: flapped.id });
      await store.setAlertIncident(alert.id, flapped.id);
      await this.record(flapped.id, 'alert', alert.source, alertLine(alert), { alertId: alert.id });
      await this.setStatus(flapped.id, 'investigating', alert.source, 'reopened');
      return;
    }
    await this.openIncident(alert, groupKey);
  }

  /** Opens an incident by hand (`/sidekick declare`, the web UI) and runs the `declared` flows. */
  async declare(input: { title: string; severity?: Severity; actor: string }): Promise<Incident> {
    const now = this.now().toISOString();
    const incident = await this.services.store.createIncident({
      title: input.title.slice(0, 300),
      severity: input.severity ?? 'high',
      status: 'investigating',
      groupKey: `declared:${this.services.newId()}`,
      labels: {},
      createdAt: now,
      updatedAt: now,
      responders: [],
      channels: [],
    });
    await this.record(incident.id, 'declared', input.actor, `${input.actor} declared the incident: ${incident.title}`);
    this.live.emit('incident', incident);
    await this.emitEvent(incident.id, 'declared', `declared:${incident.id}`);
    await this.emitEvent(incident.id, 'opened', `opened:${incident.id}`);
    return incident;
  }

  async setStatus(id: string, status: IncidentStatus, actor: string, event: string = status): Promise<Incident> {
    const incident = await this.require(id);
    if (incident.status === status) return incident;
    const now = this.now().toISOString();
    const patch: Partial<Incident> = { status };
    if (status === 'mitigated' && !incident.mitigatedAt) patch.mitigatedAt = now;
    if (status === 'resolved') patch.resolvedAt = now;
    if (status === 'investigating') patch.resolvedAt = undefined;
    const updated = await this.update(id, patch);
    await this.record(id, 'status', actor, `Status: ${incident.status} → ${status}`, { from: incident.status, to: status });
    await this.emitEvent(id, event);
    return updated;
  }

  async setSeverity(id: string, severity: Severity, actor: string): Promise<Incident> {
    if (!SEVERITIES.includes(severity)) throw new Error(`severity must be one of ${SEVERITIES.join(', ')}`);
    const incident = await this.require(id);
    if (incident.severity === severity) return incident;
    const updated = await this.update(id, { severity });
    await this.record(id, 'severity', actor, `Severity: ${incident.severity} → ${severity}`, { from: incident.severity, to: severity });
    return updated;
  }

  async update(id: string, patch: Partial<Omit<Incident, 'id' | 'number' | 'createdAt'>>): Promise<Incident> {
    const updated = await this.services.store.updateIncident(id, { ...patch, updatedAt: this.now().toISOString() });
    this.live.emit('incident', updated);
    return updated;
  }

  /** A stakeholder update: on the timeline and broadcast to every channel that got the first notice. */
  async postUpdate(id: string, text: string, actor: string): Promise<void> {
    const incident = await this.require(id);
    const entry = await this.record(id, 'update', actor, `Update: ${text}`, { update: true });
    const body = `📣 *Update on INC-${incident.number}* (${incident.status}) from ${escapeChatText(actor)}: ${escapeChatText(text)}`;
    for (const channel of incident.channels) {
      await this.chatOf(channel.adapter)?.post(channel.id, { text: body, blocks: [{ type: 'text', text: body }] }, `${entry.id}:${channel.id}`);
    }
  }

  /** The chat a channel lives in (Slack and Teams may both be configured); undefined if no longer configured. */
  private chatOf(adapter: string) {
    return adapter === this.services.chat.name ? this.services.chat : this.services.chats?.[adapter];
  }

  /** An action item with an owner (`/sidekick followup`, the API); on the timeline too. */
  async addFollowUp(id: string, input: NewFollowUpInput): Promise<FollowUp> {
    const incident = await this.require(id);
    return addFollowUp(this.services, this.live, incident.id, input);
  }

  /** A decision or key moment (a message marked in chat, or `/sidekick decision …`); on the timeline too. */
  async markMoment(id: string, input: MarkMomentInput): Promise<Moment> {
    const incident = await this.require(id);
    return markMoment(this.services, this.live, incident.id, input);
  }

  /** Takes back the mark on a message. */
  async unmarkMoment(id: string, input: { kind: MomentKind; message: MomentMessage; by: string }): Promise<Moment | undefined> {
    const incident = await this.require(id);
    return unmarkMoment(this.services, this.live, incident.id, input);
  }

  /** The summary the report opens with, written by people before filing; the latest one counts. */
  async setSummary(id: string, text: string, actor: string): Promise<TimelineEntry> {
    const incident = await this.require(id);
    return this.record(incident.id, 'summary', actor, `Summary: ${text}`, { summary: text });
  }

  /** The incident a chat channel belongs to (its own channel first). */
  async findByChannel(channelId: string): Promise<Incident | undefined> {
    const open = await this.services.store.listIncidents({ status: 'open', limit: 500 });
    return (
      open.find((incident) => incident.channels.some((c) => c.id === channelId && c.role === 'incident')) ??
      open.find((incident) => incident.channels.some((c) => c.id === channelId))
    );
  }

  /** Handles one `event` job: boxes waiting for it resume, flows triggered by it start. */
  async handleEventJob(job: Job): Promise<JobOutcome> {
    const { incidentId, event, occurrence } = job.payload as { incidentId: string; event: string; occurrence?: string };
    addLogContext({ incidentId });
    const incident = await this.services.store.getIncident(incidentId);
    if (!incident) return;
    await this.engine.deliverIncidentEvent(incidentId, event);
    const [first] = await this.services.store.listAlerts({ incidentId, limit: 1 });
    const subject = first ?? { title: incident.title, severity: incident.severity, labels: incident.labels };
    for (const flow of this.catalog().matching(event, subject)) {
      await this.engine.startRun(flow, incident, occurrence ?? `${event}:${job.id}`, first?.id);
    }
  }

  /** Handles one `digest` job: one message summing up the alerts that joined since the last one. */
  async handleDigestJob(job: Job): Promise<JobOutcome> {
    const { incidentId, since, until } = job.payload as { incidentId: string; since: string; until: string };
    addLogContext({ incidentId });
    const incident = await this.services.store.getIncident(incidentId);
    if (!incident) return;
    // The timeline says which alerts joined (the one that opened the incident was announced already).
    const joined = (await this.services.store.listTimeline(incidentId)).filter(
      (entry) => entry.kind === 'alert' && entry.data?.joined === true && entry.at >= since && entry.at < until,
    );
    if (joined.length === 0) return;
    const firing = joined.filter((entry) => entry.data?.status === 'firing').length;
    const lines = joined.slice(-10).reverse().map((entry) => `• ${entry.data?.status === 'resolved' ? '✅' : '🔥'} ${escapeChatText(String(entry.data?.title ?? entry.text))}`);
    if (joined.length > 10) lines.push(`… and ${joined.length - 10} more`);
    const text = `🧾 ${joined.length} alert update${joined.length === 1 ? '' : 's'} on INC-${incident.number} (${firing} firing, ${joined.length - firing} resolved):\n${lines.join('\n')}`;
    const reachable = incident.channels.filter((c) => this.chatOf(c.adapter));
    const channel = reachable.find((c) => c.role === 'incident') ?? reachable.find((c) => c.role === 'team');
    const chat = channel ? this.chatOf(channel.adapter)! : this.services.chat;
    const target = channel?.id ?? (await chat.resolveChannel(this.services.defaultChannel));
    await chat.post(target, { text, blocks: [{ type: 'text', text }] }, `digest:${incidentId}:${since}`);
  }

  private async openIncident(alert: Alert, groupKey: string): Promise<void> {
    const { store } = this.services;
    const now = this.now().toISOString();
    let incident: Incident;
    try {
      incident = await store.createIncident({
        // Derived from the alert, so a retry recognises the incident this alert began opening.
        id: incidentIdFor(alert),
        title: alert.title.slice(0, 300),
        severity: alert.severity,
        status: 'investigating',
        groupKey,
        labels: alert.labels,
        createdAt: now,
        updatedAt: now,
        responders: [],
        channels: [],
      });
    } catch (error) {
      // Another instance opened this group's incident a moment ago (its lease lapsed, or two
      // deliveries raced): join it rather than open a second one.
      const open = (error as { code?: string }).code === 'STORE_CONFLICT' ? await store.findOpenIncident(groupKey) : undefined;
      if (!open) throw error;
      return open.id === incidentIdFor(alert) ? this.finishOpening(open, alert) : this.joinIncident(open, alert);
    }
    this.live.emit('incident', incident);
    await this.finishOpening(incident, alert);
  }

  /** The rest of opening an incident; each step is idempotent, so a retry completes it. */
  private async finishOpening(incident: Incident, alert: Alert): Promise<void> {
    const { store } = this.services;
    const flows = this.catalog().matching('alert', alert);
    await store.setAlertIncident(alert.id, incident.id);
    const entry = await store.addTimeline({
      id: `opened:${alert.id}`,
      incidentId: incident.id,
      at: incident.createdAt,
      kind: 'alert',
      actor: alert.source,
      text: alertLine(alert),
      data: { alertId: alert.id, flows: flows.map((f) => f.id) },
    });
    this.live.emit('timeline', entry);
    for (const flow of flows) await this.engine.startRun(flow, incident, `alert:${alert.id}`, alert.id);
    await this.emitEvent(incident.id, 'opened', `opened:${incident.id}`);
  }

  private async joinIncident(incident: Incident, alert: Alert, job?: Job): Promise<void> {
    const { store } = this.services;
    await store.setAlertIncident(alert.id, incident.id);
    const line = joinedLine(alert);
    await this.record(incident.id, line.kind, line.actor, line.text, line.data);
    // A storm folds into one digest message per interval instead of one post per alert.
    const interval = this.grouping.digestIntervalMs;
    const bucket = Math.floor(this.now().getTime() / interval);
    await store.enqueue({
      kind: 'digest',
      payload: { incidentId: incident.id, since: new Date(bucket * interval).toISOString(), until: new Date((bucket + 1) * interval).toISOString() },
      runAt: new Date((bucket + 1) * interval).toISOString(),
      uniqueKey: `digest:${incident.id}:${bucket}`,
    });
    if (alert.status === 'resolved') {
      await this.resolveIfHealthy(incident, alert);
      return;
    }
    if (incident.status === 'mitigated') {
      // Firing again while mitigated: back to investigating, and flows hear about it.
      await this.setStatus(incident.id, 'investigating', alert.source, 'reopened');
    }
    if (job?.queue) await this.joinQueuedBehind(incident.id, job.id, job.queue);
  }

  /**
   * A storm: the firing alerts queued behind this one in its group join the same incident now, in
   * one transaction, instead of one claimed job each — the same timeline lines and digest for a
   * fraction of the work, which leaves the CPU to the webhooks. It stops at a resolved alert, so
   * those still run one by one, in order.
   */
  private async joinQueuedBehind(incidentId: string, jobId: string, queue: string): Promise<void> {
    const now = this.now().toISOString();
    const entries = await this.services.store.transaction(async (tx) => {
      const queued = await tx.listQueuedAlerts(queue, jobId, now, QUEUED_ALERTS_PER_BATCH);
      return tx.joinQueuedAlerts(
        incidentId,
        queued.map(({ jobId, alert }) => ({
          jobId,
          alertId: alert.id,
          entry: { at: now, ...joinedLine(alert) },
        })),
      );
    });
    for (const entry of entries) this.live.emit('timeline', entry);
  }

  private async resolveIfHealthy(incident: Incident, alert: Alert): Promise<void> {
    const alerts = await this.services.store.listAlerts({ incidentId: incident.id, limit: 100_000 });
    // The latest status of each distinct alert key decides whether the system is healthy again.
    const latest = new Map<string, Alert>();
    for (const each of alerts.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))) latest.set(`${each.source}:${each.dedupKey}`, each);
    // The alert in hand is the newest, whatever the clock says about equal receive times.
    latest.set(`${alert.source}:${alert.dedupKey}`, alert);
    const stillFiring = [...latest.values()].filter((each) => each.status === 'firing').length;
    if (this.grouping.resolveWhen === 'any' || stillFiring === 0) {
      await this.setStatus(incident.id, 'resolved', alert.source);
    }
  }

  /** `occurrence` names an event that happens once (an incident opens once), so a retry cannot repeat its flows. */
  private async emitEvent(incidentId: string, event: string, occurrence?: string): Promise<void> {
    await this.services.store.enqueue({
      kind: 'event',
      payload: { incidentId, event, ...(occurrence ? { occurrence } : {}) },
      runAt: this.now().toISOString(),
      queue: `incident:${incidentId}`,
      ...(occurrence ? { uniqueKey: `event:${occurrence}` } : {}),
    });
  }

  private async record(incidentId: string, kind: TimelineEntry['kind'], actor: string, text: string, data?: Record<string, unknown>) {
    const entry = await this.services.store.addTimeline({ incidentId, at: this.now().toISOString(), kind, actor, text, data });
    this.live.emit('timeline', entry);
    return entry;
  }

  private async require(id: string): Promise<Incident> {
    const incident = await this.services.store.getIncident(id);
    if (!incident) throw new IncidentNotFound(id);
    return incident;
  }

  private now(): Date {
    return this.services.clock.now();
  }
}

export class IncidentNotFound extends Error {
  readonly code = 'INCIDENT_NOT_FOUND';
  constructor(id: string) {
    super(`no incident "${id}"`);
  }
}

/** How many queued alerts of one group join an open incident per transaction during a storm. */
const QUEUED_ALERTS_PER_BATCH = 250;

/** The id of the incident an alert opens: derived, so opening is recognisable when retried. */
function incidentIdFor(alert: Alert): string {
  return `inc-${alert.id}`;
}

/** The timeline line of an alert joining an open incident; the digest reads `data.joined`. */
function joinedLine(alert: Pick<Alert, 'id' | 'status' | 'source' | 'severity' | 'title'>) {
  return {
    kind: 'alert' as const,
    actor: alert.source,
    text: alertLine(alert),
    data: { alertId: alert.id, joined: true, status: alert.status, title: alert.title },
  };
}

function alertLine(alert: Pick<Alert, 'status' | 'source' | 'severity' | 'title'>): string {
  return `${alert.status === 'resolved' ? 'Resolved' : 'Firing'} (${alert.source}, ${alert.severity}): ${alert.title}`;
}

