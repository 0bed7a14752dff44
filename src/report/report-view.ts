import type { Alert } from '../alerts/alert.js';
import type { ChatHistoryMessage } from '../chat/chat.js';
import type { Graph } from '../graphs/graph-provider.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import { incidentReportUrl, incidentUrl } from '../incidents/incident-links.js';
import { alertTimeOf, computeTimings, type ReportTimings } from './timings.js';
import { SafeMarkdown } from './markdown.js';
import { plainTextOfChat } from './chat-text.js';
import { renderConversation, renderTimeline } from './render-conversation.js';
import type { FollowUp } from '../incidents/follow-up.js';
import type { Moment } from '../incidents/moment.js';
import { renderFollowUps } from './follow-ups-section.js';
import { INCIDENT_ROLES } from '../incidents/incident.js';
import { roleLabel } from '../incidents/roles.js';
import type { ReportDraft } from './draft/draft.js';
import { renderDraft } from './draft/render-draft.js';

/** Everything the report is written from. */
export interface ReportData {
  incident: Incident;
  timeline: TimelineEntry[];
  alerts: Alert[];
  conversation: ChatHistoryMessage[];
  graphs: Graph[];
  publicUrl: string;
  generatedAt: string;
  /** The incident's action items, with where each was filed. */
  followUps?: FollowUp[];
  /** The AI first draft (or why there is none); absent when no model is configured. */
  draft?: ReportDraft;
  /** The decisions and key moments people marked. */
  moments?: Moment[];
}

/** One message of the conversation, with its thread's replies under it. */
export interface ConversationView {
  at: string;
  user: string;
  text: string;
  fromBot: boolean;
  edited: boolean;
  /** A reply whose thread start is not in the history (deleted, or older than the incident). */
  orphanReply: boolean;
  replies: ConversationView[];
}

export type AlertView = Alert & { labelList: { key: string; value: string }[]; rawJson: string; rawTruncated: boolean };

/** What the report template sees (documented in docs/report.md). */
export interface ReportView {
  incident: Incident & { ref: string; url: string; reportUrl: string; labelList: { key: string; value: string }[] };
  generatedAt: string;
  timings: ReportTimings;
  statusHistory: { at: string; actor: string; from?: string; to: string; text: string }[];
  severityHistory: { at: string; actor: string; from?: string; to: string; text: string }[];
  responders: string[];
  /** Who holds the roles now (commander first), for the "People and roles" section. */
  roles: { role: string; label: string; name: string; userId: string; since: string }[];
  /** Every hand-over of a role, in order. */
  roleHistory: { at: string; actor: string; text: string }[];
  /** Who acknowledged explicitly (the MTTA is `timings.acknowledgeMs`). */
  acknowledgedBy?: string;
  alerts: AlertView[];
  /** Alerts with one dedup key together, in order of first appearance: a storm reads as a few lines. */
  alertGroups: { title: string; source: string; severity: string; status: string; count: number; firstAt: string; lastAt: string; sample: AlertView }[];
  /** What people wrote before filing (`PUT /api/incidents/:id/summary`); empty until someone does. */
  summary: string;
  /** Messages people marked as key moments, in the order they happened. */
  keyMoments: { at: string; author: string; markedBy: string; text: string }[];
  /** Decisions people marked or recorded, and the choices they made in playbooks (never "went back"). */
  decisions: { at: string; actor: string; text: string; source: 'marked' | 'playbook'; label?: string; page?: string; choice?: string }[];
  commands: { at: string; actor: string; command: string; sources: { path: string; value: string }[]; missing: string[]; page?: string }[];
  graphs: Graph[];
  conversation: ConversationView[];
  messageCount: number;
  threadCount: number;
  timeline: { at: string; kind: string; actor: string; text: string }[];
  /** `conversation` and `timeline` already written as Markdown lists (fast for long incidents). */
  conversationMarkdown: SafeMarkdown;
  timelineMarkdown: SafeMarkdown;
  failures: { at: string; kind: string; actor: string; text: string }[];
  followUps: FollowUp[];
  /** `followUps` as a Markdown checklist with owners and issue links. */
  followUpsMarkdown: SafeMarkdown;
  /** The AI first draft, absent when no model is configured. */
  draft?: ReportDraft;
  /** The draft's note and sections as Markdown, citations linked to the timeline; empty without a draft. */
  draftMarkdown: SafeMarkdown;
}

/** Raw alert payloads are shown for reference; past this size the API has the rest. */
const MAX_RAW_JSON = 20_000;

/** Turns the gathered facts into the report's sections; no formatting happens here. */
export function buildReportView(data: ReportData): ReportView {
  const { incident, timeline, alerts } = data;
  const names = userNames(data.conversation, timeline);
  const declared = timeline.find((e) => e.kind === 'declared');
  const opener = declared?.actor ?? alerts[0]?.source ?? 'sidekick';
  const alertViews = alerts.map(viewOfAlert);
  const day = new Date(Date.parse(incident.createdAt) || 0).toISOString().slice(0, 10);
  const thread = threadConversation(data.conversation);
  // Messages are in the conversation section and commands in their own: each is told once.
  const events = timeline.filter((e) => e.kind !== 'message' && e.kind !== 'command').map((e) => ({ at: e.at, kind: e.kind, actor: e.actor, text: e.text }));
  const changes = (kind: string) =>
    timeline.filter((e) => e.kind === kind).map((e) => ({ at: e.at, actor: e.actor, from: str(e.data?.from), to: str(e.data?.to) ?? str(e.data?.status) ?? e.text, text: e.text }));

  return {
    incident: {
      ...incident,
      ref: `INC-${incident.number}`,
      url: incidentUrl(data.publicUrl, incident.id),
      reportUrl: incidentReportUrl(data.publicUrl, incident.id),
      labelList: Object.entries(incident.labels ?? {}).map(([key, value]) => ({ key, value })),
    },
    generatedAt: data.generatedAt,
    timings: computeTimings(incident, timeline, alerts),
    statusHistory: [{ at: incident.createdAt, actor: opener, to: 'investigating', text: 'Opened' }, ...changes('status')],
    severityHistory: changes('severity'),
    responders: respondersOf(incident, timeline, data.conversation, names, new Set(alerts.map((a) => a.source))),
    roles: INCIDENT_ROLES.flatMap((role) => {
      const holder = incident.roles?.[role];
      return holder ? [{ role, label: roleLabel(role).replace(/^./, (c) => c.toUpperCase()), name: holder.name, userId: holder.userId, since: holder.since }] : [];
    }),
    roleHistory: timeline.filter((e) => e.kind === 'role').map((e) => ({ at: e.at, actor: e.actor, text: e.text })),
    acknowledgedBy: incident.acknowledgedBy,
    alerts: alertViews,
    alertGroups: groupAlerts(alertViews),
    summary: latestSummary(timeline),
    keyMoments: (data.moments ?? [])
      .filter((m) => m.kind === 'key-moment')
      .map((m) => ({ at: m.message?.at ?? m.markedAt, author: m.message?.author || m.markedBy, markedBy: m.markedBy, text: m.text }))
      .sort((a, b) => timeOf(a.at) - timeOf(b.at)),
    decisions: [
      ...(data.moments ?? []).filter((m) => m.kind === 'decision').map((m) => ({ at: m.message?.at ?? m.markedAt, actor: m.message?.author || m.markedBy, text: m.text, source: 'marked' as const })),
      ...timeline
        // Navigation is not a decision: going back, or closing the playbook, stays on the timeline only.
        .filter((e) => e.kind === 'choice' && e.data?.choice !== 'back' && e.data?.choice !== 'done')
        .map((e) => ({ at: e.at, actor: e.actor, text: e.text, source: 'playbook' as const, label: str(e.data?.label), page: str(e.data?.page), choice: str(e.data?.choice) })),
    ].sort((a, b) => timeOf(a.at) - timeOf(b.at)),
    commands: uniqueCommands(timeline).map((e) => ({
      at: e.at,
      actor: e.actor,
      command: str(e.data?.command) ?? e.text,
      sources: sourcesOf(e.data?.sources),
      missing: Array.isArray(e.data?.missing) ? e.data.missing.filter((m): m is string => typeof m === 'string') : [],
      page: str(e.data?.page),
    })),
    graphs: data.graphs,
    ...thread,
    timeline: events,
    conversationMarkdown: renderConversation(thread.conversation, day),
    timelineMarkdown: renderTimeline(events, day),
    failures: timeline.filter((e) => e.kind === 'failure' || e.kind === 'missing').map((e) => ({ at: e.at, kind: e.kind, actor: e.actor, text: e.text })),
    followUps: data.followUps ?? [],
    followUpsMarkdown: renderFollowUps(data.followUps ?? []),
    draft: data.draft,
    draftMarkdown: data.draft ? renderDraft(data.draft, timeline, { publicUrl: data.publicUrl, incidentRef: `INC-${incident.number}`, day }) : new SafeMarkdown(''),
  };
}

/** Each command once, where it was first shown (a page shown again repeats its commands). */
function uniqueCommands(timeline: TimelineEntry[]): TimelineEntry[] {
  const seen = new Set<string>();
  return timeline.filter((e) => {
    if (e.kind !== 'command') return false;
    const command = str(e.data?.command) ?? e.text;
    if (seen.has(command)) return false;
    seen.add(command);
    return true;
  });
}

function latestSummary(timeline: TimelineEntry[]): string {
  const entry = timeline.filter((e) => e.kind === 'summary').at(-1);
  return typeof entry?.data?.summary === 'string' ? entry.data.summary : '';
}

function viewOfAlert(alert: Alert): AlertView {
  const json = JSON.stringify(alert.raw ?? null, null, 2) ?? 'null';
  return {
    ...alert,
    labelList: Object.entries(alert.labels ?? {}).map(([key, value]) => ({ key, value })),
    rawJson: json.length > MAX_RAW_JSON ? json.slice(0, MAX_RAW_JSON) : json,
    rawTruncated: json.length > MAX_RAW_JSON,
  };
}

function groupAlerts(alerts: AlertView[]): ReportView['alertGroups'] {
  const groups = new Map<string, ReportView['alertGroups'][number]>();
  // On the report's one clock (see alertTimeOf), like the impact window.
  const timed = alerts.map((alert) => ({ alert, at: alertTimeOf(alert) ?? alert.startsAt }));
  for (const { alert, at } of timed.sort((a, b) => timeOf(a.at) - timeOf(b.at))) {
    const key = `${alert.source}\u0000${alert.dedupKey}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { title: alert.title, source: alert.source, severity: alert.severity, status: alert.status, count: 1, firstAt: at, lastAt: at, sample: alert });
      continue;
    }
    group.count++;
    group.lastAt = at;
    group.status = alert.status;
  }
  return [...groups.values()];
}

/**
 * Oldest first, thread replies under their parent. A reply's `threadId` is its parent's id
 * (Slack's thread_ts); a parent may carry its own id as threadId.
 */
export function threadConversation(messages: ChatHistoryMessage[]): { conversation: ConversationView[]; messageCount: number; threadCount: number } {
  // The same message read twice (an edit, two reads of one channel) counts once: the last copy wins.
  const unique = new Map<string, { message: ChatHistoryMessage; order: number }>();
  messages.forEach((message, order) => unique.set(`${message.channel}\u0000${message.id}`, { message, order: unique.get(`${message.channel}\u0000${message.id}`)?.order ?? order }));
  const sorted = [...unique.values()].sort((a, b) => timeOf(a.message.at) - timeOf(b.message.at) || a.order - b.order).map((u) => u.message);
  const views = new Map<string, ConversationView>();
  const top: ConversationView[] = [];
  const threads = new Set<ConversationView>();
  for (const message of sorted) {
    const view: ConversationView = {
      at: message.at,
      user: message.userName || message.userId || 'someone',
      text: plainTextOfChat(message.text ?? ''),
      fromBot: Boolean(message.fromBot),
      edited: Boolean(message.edited),
      orphanReply: false,
      replies: [],
    };
    const isReply = Boolean(message.threadId) && message.threadId !== message.id;
    const parent = isReply ? views.get(`${message.channel}\u0000${message.threadId}`) : undefined;
    if (parent) {
      parent.replies.push(view);
      threads.add(parent);
    } else {
      view.orphanReply = isReply;
      top.push(view);
      views.set(`${message.channel}\u0000${message.id}`, view);
    }
  }
  return { conversation: top, messageCount: sorted.length, threadCount: threads.size };
}

function userNames(conversation: ChatHistoryMessage[], timeline: TimelineEntry[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of conversation) if (m.userId && m.userName) names.set(m.userId, m.userName);
  for (const e of timeline) if ((e.kind === 'responder' || e.kind === 'acknowledged') && typeof e.data?.userId === 'string') names.set(e.data.userId, e.actor);
  for (const e of timeline) {
    const to = e.kind === 'role' ? (e.data?.to as { userId?: unknown; name?: unknown } | null | undefined) : undefined;
    if (typeof to?.userId === 'string' && typeof to.name === 'string') names.set(to.userId, to.name);
  }
  return names;
}

function respondersOf(incident: Incident, timeline: TimelineEntry[], conversation: ChatHistoryMessage[], names: Map<string, string>, sources: Set<string>): string[] {
  const machines = new Set(['sidekick', 'system', ...sources]);
  const people = [
    ...(incident.responders ?? []).map((r) => names.get(r) ?? r),
    ...timeline
      .filter((e) => ['responder', 'choice', 'status', 'severity', 'declared', 'note', 'acknowledged', 'role', 'update', 'decision', 'key-moment', 'summary'].includes(e.kind))
      .map((e) => e.actor),
    ...conversation.filter((m) => !m.fromBot).map((m) => m.userName || m.userId),
  ];
  return [...new Set(people.filter((p) => p && !machines.has(p)))];
}

function sourcesOf(value: unknown): { path: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((s): s is { path: unknown; value: unknown } => Boolean(s) && typeof s === 'object')
    .map((s) => ({ path: String(s.path ?? ''), value: String(s.value ?? '') }))
    .filter((s) => s.path !== '');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function timeOf(at: string): number {
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : 0;
}
