/**
 * Channels an incident's flows posted to besides its own (a team's channel, other teams'), found
 * on the timeline: a `message` entry names the channel it went to.
 */
import type { Incident, TimelineEntry } from '../api/types.js';

/** Channel ids named by the timeline's message entries that the incident does not list, in order. */
export function postedChannelsOf(incident: Incident, timeline: TimelineEntry[]): string[] {
  const known = new Set(incident.channels.map((channel) => channel.id));
  const found: string[] = [];
  for (const entry of timeline) {
    const channel = entry.kind === 'message' ? entry.data?.channel : undefined;
    if (typeof channel === 'string' && channel && !known.has(channel) && !found.includes(channel)) found.push(channel);
  }
  return found;
}
