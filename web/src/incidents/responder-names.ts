import type { Incident, RoomMessage, TimelineEntry } from '../api/types.js';

/**
 * The responders as people read them: the names their ids were seen with (role holders, room
 * messages, the timeline's "joined" and "acknowledged" lines), never raw ids like `web:alice`.
 */
export function responderNames(incident: Incident, messages: RoomMessage[], timeline: TimelineEntry[]): string[] {
  const names = new Map<string, string>();
  for (const entry of timeline) {
    if ((entry.kind === 'responder' || entry.kind === 'acknowledged') && typeof entry.data?.userId === 'string') names.set(entry.data.userId, entry.actor);
  }
  for (const message of messages) if (!message.fromBot && message.userName) names.set(message.userId, message.userName);
  for (const holder of Object.values(incident.roles ?? {})) if (holder) names.set(holder.userId, holder.name);
  return [...new Set(incident.responders.map((id) => names.get(id) ?? id.replace(/^(web|name):/, '')))];
}
