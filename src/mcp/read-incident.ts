import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { McpContext } from './mcp-context.js';

/** An assistant's context window is not a database dump: the newest entries past this are left out (and said so). */
const MAX_ENTRIES = 300;

/** An incident as a list shows it: enough to pick one, `get_incident` has the rest. */
export function previewOf(incident: Incident) {
  return {
    id: incident.id,
    ref: `INC-${incident.number}`,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    ...(incident.issue ? { issueUrl: incident.issue.url } : {}),
  };
}

/**
 * One incident with its timeline, messages, decisions and follow-ups. Messages come from the
 * built-in room when the incident talks there, else from what the timeline heard in chat.
 */
export async function readIncident(ctx: McpContext, incident: Incident) {
  const { store } = ctx.runtime;
  const [timeline, followUps, draft] = await Promise.all([store.listTimeline(incident.id), store.listFollowUps(incident.id), store.getReportDraft(incident.id)]);
  const roomChannels = incident.channels.filter((channel) => channel.adapter === 'room');
  const roomMessages = (await Promise.all(roomChannels.map((channel) => store.listRoomMessages({ channel: channel.id, limit: 5000 })))).flat().sort((a, b) => a.seq - b.seq);
  const messages =
    roomMessages.length > 0
      ? roomMessages.map((m) => ({ at: m.at, user: m.userName, text: m.text, fromBot: m.fromBot, ...(m.threadId ? { threadId: m.threadId } : {}) }))
      : timeline.filter((e) => e.kind === 'message').map((e) => ({ at: e.at, user: e.actor, text: e.text }));
  const events = timeline.filter((e) => e.kind !== 'message');
  return {
    incident: {
      ...previewOf(incident),
      labels: incident.labels,
      responders: incident.responders,
      meeting: incident.meeting?.joinUrl,
      channels: incident.channels.map((c) => ({ adapter: c.adapter, id: c.id, role: c.role })),
      url: `${ctx.runtime.publicUrl}/#/incidents/${encodeURIComponent(incident.id)}`,
    },
    timeline: newest(events).map(entryView),
    timelineOmitted: Math.max(0, events.length - MAX_ENTRIES),
    messages: newest(messages),
    messagesOmitted: Math.max(0, messages.length - MAX_ENTRIES),
    decisions: timeline.filter((e) => e.kind === 'choice').map((e) => ({ at: e.at, actor: e.actor, text: e.text })),
    followUps: followUps.map((f) => ({ id: f.id, text: f.text, owner: f.owner?.name, createdBy: f.createdBy, createdAt: f.createdAt, issues: f.refs.map((r) => r.url) })),
    ...(draft ? { reportDraft: { status: draft.status, model: draft.model, error: draft.error?.message } } : {}),
  };
}

function entryView(entry: TimelineEntry) {
  return { id: entry.id, at: entry.at, kind: entry.kind, actor: entry.actor, text: entry.text };
}

function newest<T>(items: T[]): T[] {
  return items.length > MAX_ENTRIES ? items.slice(items.length - MAX_ENTRIES) : items;
}
