import { SidekickError } from '../errors/sidekick-error.js';
import type { Severity } from '../alerts/alert.js';
import { SEVERITIES } from '../alerts/alert.js';
import type { Incident, IncidentChannel, IncidentStatus, TimelineEntry } from './incident.js';
import type { Services } from '../boxes/services.js';
import type { Engine, JobOutcome } from '../engine/engine.js';
import type { FlowCatalog } from '../flows/flow-catalog.js';
import type { IncidentPatch, Job } from '../store/store.js';
import type { LiveEvents } from '../util/live-events.js';
import type { GroupingOptions } from './grouping.js';
import { escapeChatText } from '../templates/render.js';
import { addLogContext } from '../util/log-context.js';
import type { FollowUp } from './follow-up.js';
import { addFollowUp, type NewFollowUpInput } from './add-follow-up.js';
import { acknowledgeIncident, assignRole } from './change-roles.js';
import type { IncidentRole } from './incident.js';
import type { Person } from '../people/user.js';
import type { IncidentTransition } from './incident-transition.js';
import { applyIncidentTransition, commitIncidentChange } from './apply-incident-transition.js';
import { decideAlert, joinedLine } from './decide-alert.js';
import { decideChannels, decidePatch, decideResponder, decideSeverity, decideStatus, eventJob } from './decide-change.js';
import { decideSplit } from './decide-split.js';
import { IncidentChangeRefused } from './incident-errors.js';
import { loadAlertState } from './load-alert-state.js';
import type { Moment, MomentKind, MomentMessage } from './moment.js';
import { markMoment, unmarkMoment, type MarkMomentInput } from './mark-moment.js';
import { decideUpdate } from './post-update.js';

/**
 * Incidents: opened by alerts that match no open incident, joined by alerts that do, resolved by
 * resolved alerts or by hand. Every change is decided purely (decide-alert.ts, decide-change.ts)
 * and committed by one applier in one transaction with the jobs that carry its events on.
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
   * Handles one `alert` job (one group's alerts arrive here in order). The alert's whole effect is
   * one commit, so a retry after a crash either finds it linked (done) or decides again from scratch.
   */
  async handleAlertJob(job: Job): Promise<JobOutcome> {
    const { alertId } = job.payload as { alertId: string };
    addLogContext({ alertId });
    const { store } = this.services;
    const alert = await store.getAlert(alertId);
    if (!alert) return;
    const groupKey = job.queue ?? `${alert.source}:${alert.dedupKey}`;
    const decide = () =>
      this.change(
        () => loadAlertState(store, alert, groupKey, (event, each) => this.catalog().matching(event, each), this.now(), this.grouping),
        (state, now) => decideAlert(state, now, this.grouping),
      );
    let applied;
    try {
      applied = await decide();
    } catch (error) {
      // Another instance opened this group's incident a moment ago: decide again, joining it.
      if ((error as { code?: string }).code !== 'STORE_CONFLICT') throw error;
      applied = await decide();
    }
    if (!applied) return;
    addLogContext({ incidentId: applied.incident.id });
    // The commit started its runs' first boxes here or woke the worker for them (job-handoff.ts).
    if (alert.status === 'firing' && !applied.transition.create && job.queue) await this.joinQueuedBehind(applied.incident.id, job.id, job.queue);
  }

  /** Opens an incident by hand (`/sidekick declare`, the web UI) and runs the `declared` flows. */
  async declare(input: { title: string; severity?: Severity; actor: string }): Promise<Incident> {
    const now = this.now().toISOString();
    const id = this.services.newId();
    const { incident } = await this.apply(
      {
        create: {
          id,
          title: input.title.slice(0, 300),
          severity: input.severity ?? 'high',
          status: 'investigating',
          groupKey: `declared:${id}`,
          labels: {},
          createdAt: now,
          updatedAt: now,
          responders: [],
          channels: [],
        },
        timeline: [{ at: now, kind: 'declared', actor: input.actor, text: `${input.actor} declared the incident: ${input.title.slice(0, 300)}` }],
        jobs: [eventJob(id, 'declared', `declared:${id}`, now), eventJob(id, 'opened', `opened:${id}`, now)],
      },
      now,
    );
    return incident;
  }

  /** Changes the status; flows and waiting boxes hear `event` (default: the status). */
  async setStatus(id: string, status: IncidentStatus, actor: string, event: string = status): Promise<Incident> {
    const applied = await this.change(
      () => this.require(id),
      (incident, now) => decideStatus(incident, { status, actor, event }, now),
    );
    return applied?.incident ?? (await this.require(id));
  }

  async setSeverity(id: string, severity: Severity, actor: string): Promise<Incident> {
    if (!SEVERITIES.includes(severity)) throw new Error(`severity must be one of ${SEVERITIES.join(', ')}`);
    const applied = await this.change(
      () => this.require(id),
      (incident, now) => decideSeverity(incident, severity, actor, now),
    );
    return applied?.incident ?? (await this.require(id));
  }

  /** A plain change (meeting, filed issue, title), decided again if the incident changed meanwhile. */
  async update(id: string, patch: IncidentPatch): Promise<Incident> {
    const applied = await this.change(
      () => this.require(id),
      (incident) => decidePatch(incident, patch),
    );
    return applied!.incident;
  }

  /** Someone who clicked or spoke becomes a responder (once; concurrent clicks never lose one). */
  async addResponder(id: string, user: { userId: string; userName: string }): Promise<void> {
    await this.change(
      () => this.require(id),
      (incident, now) => decideResponder(incident, user, now),
    );
  }

  /** Channels the incident talks in from now on; `replaceRole` replaces that adapter's channel of the role. */
  async addChannels(id: string, channels: IncidentChannel[], replaceRole?: { adapter: string; role: IncidentChannel['role'] }): Promise<void> {
    await this.change(
      () => this.require(id),
      (incident) => decideChannels(incident, channels, replaceRole),
    );
  }

  /**
   * Channels a box posted to, recorded from the incident the box holds: those it lists already are
   * skipped without a read or a write; the rest are inserted without reading the incident first
   * and without bumping its version. The unique key keeps one row when two runs add a channel at
   * once, and the version guards the incident's own fields: no patch is decided from its channels.
   * Live views hear of a channel that was new from one read (an event carries the whole incident).
   */
  async recordChannels(held: Incident, channels: IncidentChannel[]): Promise<void> {
    const known = new Set(held.channels.map((c) => `${c.adapter}\n${c.id}`));
    const fresh = channels.filter((c) => !known.has(`${c.adapter}\n${c.id}`));
    if (fresh.length === 0) return;
    const { store } = this.services;
    const now = this.now().toISOString();
    const added = fresh.length === 1 ? await store.addIncidentChannels(held.id, fresh, now) : await store.transaction((tx) => tx.addIncidentChannels(held.id, fresh, now));
    if (added.length === 0) return;
    const incident = await store.getIncident(held.id);
    if (incident) this.live.emit('incident', incident);
  }

  /** The groups of alerts an incident holds (a storm's, to split them out). */
  async listGroups(id: string, limit?: number) {
    return this.services.store.listIncidentGroups((await this.require(id)).id, limit);
  }

  /** Splits one group out of an alert-storm incident into its own incident (`POST /api/incidents/:id/split`). */
  async split(id: string, groupKey: string, actor: string): Promise<Incident> {
    const { store } = this.services;
    try {
      const applied = await this.change(
        async () => {
          const storm = await this.require(id);
          return { storm, groups: await store.listIncidentGroups(storm.id) };
        },
        ({ storm, groups }, now) => decideSplit(storm, groups, groupKey, actor, now),
      );
      return applied!.incident;
    } catch (error) {
      if ((error as { code?: string }).code !== 'STORE_CONFLICT') throw error;
      throw new IncidentChangeRefused('INCIDENT_GROUP_OPEN', `the group ${JSON.stringify(groupKey.slice(0, 200))} already has an open incident of its own`);
    }
  }

  /** A stakeholder update: on the timeline and broadcast to every channel that got the first notice. */
  async postUpdate(id: string, text: string, actor: string): Promise<void> {
    const incident = await this.require(id);
    const now = this.now().toISOString();
    await this.apply(decideUpdate({ incidentId: incident.id, entryId: this.services.newId(), text, actor, now }), now);
  }

  /** A decision someone recorded (the report's Decisions section lists these with playbook choices). */
  async recordDecision(id: string, text: string, actor: string): Promise<TimelineEntry> {
    const incident = await this.require(id);
    return this.record(incident.id, 'choice', actor, text, { decision: true });
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

  /** Hands a role to a person, or clears it (`holder` undefined); on the timeline and in the channel topic. */
  async assignRole(id: string, role: IncidentRole, holder: Person | undefined, actor: string): Promise<Incident> {
    return assignRole(this.services, this.live, (await this.require(id)).id, role, holder, actor);
  }

  /** An explicit acknowledgement (room button, `/sidekick ack`, Slack button, API); once per incident. */
  async acknowledge(id: string, person: Person, via: string): Promise<{ incident: Incident; already: boolean }> {
    return acknowledgeIncident(this.services, this.live, (await this.require(id)).id, person, via);
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
    return open.find((incident) => incident.channels.some((c) => c.id === channelId && c.role === 'incident')) ?? open.find((incident) => incident.channels.some((c) => c.id === channelId));
  }

  /** Handles one `event` job: boxes waiting for it resume, flows triggered by it start. */
  async handleEventJob(job: Job): Promise<JobOutcome> {
    const { incidentId, event, occurrence } = job.payload as { incidentId: string; event: string; occurrence?: string };
    addLogContext({ incidentId });
    const incident = await this.services.store.getIncident(incidentId);
    if (!incident) return;
    if (event === 'alert') {
      // The flows of a storm's group split out into its own incident (an alert that opens an
      // incident starts its flows in that commit: decide-alert.ts).
      const alert = await this.services.store.getAlert(String(occurrence).slice('alert:'.length));
      if (!alert) return;
      for (const flow of this.catalog().matching('alert', alert)) await this.engine.startRun(flow, incident, `alert:${alert.id}`, alert.id);
      return;
    }
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
    // The timeline says which alerts joined (the one that opened the incident was announced
    // already); only the digest's window is read, not the whole timeline of a long storm.
    const joined = (await this.services.store.listTimelineWindow(incidentId, 'alert', since, until)).filter((entry) => entry.data?.joined === true);
    if (joined.length === 0) return;
    const firing = joined.filter((entry) => entry.data?.status === 'firing').length;
    const lines = joined
      .slice(-10)
      .reverse()
      .map((entry) => `• ${entry.data?.status === 'resolved' ? '✅' : '🔥'} ${escapeChatText(String(entry.data?.title ?? entry.text))}`);
    if (joined.length > 10) lines.push(`… and ${joined.length - 10} more`);
    let text = `🧾 ${joined.length} alert update${joined.length === 1 ? '' : 's'} on INC-${incident.number} (${firing} firing, ${joined.length - firing} resolved):\n${lines.join('\n')}`;
    if (incident.groupKey.startsWith('storm:')) text += `\n${await this.stormSummary(incident)}`;
    const reachable = incident.channels.filter((c) => this.chatOf(c.adapter));
    const channel = reachable.find((c) => c.role === 'incident') ?? reachable.find((c) => c.role === 'team');
    const chat = channel ? this.chatOf(channel.adapter)! : this.services.chat;
    const target = channel?.id ?? (await chat.resolveChannel(this.services.defaultChannel));
    await chat.post(target, { text, blocks: [{ type: 'text', text }] }, `digest:${incidentId}:${since}`);
  }

  /**
   * A storm: the firing alerts queued behind this one in its group join the same incident now, in
   * transactions of QUEUED_ALERTS_PER_BATCH, instead of one claimed job each — the same timeline
   * lines and digest for a fraction of the work, which leaves the CPU to the webhooks. Between
   * batches the event loop is given back, so webhooks are answered while a long queue is joined;
   * after QUEUED_ALERTS_PER_JOB the next job of the group decides afresh. It stops at a resolved
   * alert, so those still run one by one, in order.
   */
  private async joinQueuedBehind(incidentId: string, jobId: string, queue: string): Promise<void> {
    for (let joined = 0; joined < QUEUED_ALERTS_PER_JOB;) {
      const now = this.now().toISOString();
      const later = joined > 0;
      const entries = await this.services.store.transaction(async (tx) => {
        // The decision was made before the first batch; a later one joins only while nobody mitigated or resolved it meanwhile.
        if (later && (await tx.getIncident(incidentId))?.status !== 'investigating') return [];
        const queued = await tx.listQueuedAlerts(queue, jobId, now, QUEUED_ALERTS_PER_BATCH);
        return tx.joinQueuedAlerts(
          incidentId,
          queued.map(({ jobId, alert }) => ({
            jobId,
            alertId: alert.id,
            entry: withoutId(joinedLine(alert, queue, now)),
          })),
        );
      });
      for (const entry of entries) this.live.emit('timeline', entry);
      joined += entries.length;
      if (entries.length < QUEUED_ALERTS_PER_BATCH) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The groups a storm holds, for its digest: each can be split out by hand. */
  private async stormSummary(incident: Incident): Promise<string> {
    const groups = await this.services.store.listIncidentGroups(incident.id);
    const shown = groups.slice(0, 10).map((group) => `• ${escapeChatText(group.title || group.groupKey)} — ${group.alerts} alert${group.alerts === 1 ? '' : 's'}, ${group.firing} firing`);
    if (groups.length > 10) shown.push(`… and ${groups.length - 10} more groups`);
    return `🌪️ This alert storm holds ${groups.length} group${groups.length === 1 ? '' : 's'} (split one out with \`sidekick split INC-${incident.number} <group>\`):\n${shown.join('\n')}`;
  }

  private async record(incidentId: string, kind: TimelineEntry['kind'], actor: string, text: string, data?: Record<string, unknown>) {
    const now = this.now().toISOString();
    const applied = await this.apply({ incidentId, timeline: [{ at: now, kind, actor, text, data }] }, now);
    return applied.timeline[0];
  }

  /**
   * Commits a transition decided here. Its jobs go to this process's worker through the engine's
   * handoff: new task jobs start as it commits, queued ones wake the worker. Every transition of
   * this service goes through here or `change`, so none has to remember to wake the worker.
   */
  private apply(transition: IncidentTransition, now: string) {
    return applyIncidentTransition(this.services.store, this.live, transition, now, this.services.newId, () => this.engine.handoff());
  }

  /** Load, decide, apply (again on a version conflict). */
  private change<S>(load: () => Promise<S>, decide: (state: S, now: string) => IncidentTransition | undefined) {
    return commitIncidentChange(
      this.services.store,
      this.live,
      () => this.now().toISOString(),
      load,
      decide,
      this.services.newId,
      () => this.engine.handoff(),
    );
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

function withoutId<T extends { id?: string }>(line: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = line;
  return rest;
}

/** The incident named does not exist (404 in the API). */
export class IncidentNotFound extends SidekickError {
  constructor(id: string) {
    super('INCIDENT_NOT_FOUND', `no incident "${id}"`);
  }
}

/** How many queued alerts of one group join an open incident per transaction during a storm. */
const QUEUED_ALERTS_PER_BATCH = 250;
/** How many one alert job takes along, batch after batch, before the group's next job decides again. */
const QUEUED_ALERTS_PER_JOB = 2_000;
