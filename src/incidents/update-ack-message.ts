import type { Services } from '../boxes/services.js';
import type { ChatBlock } from '../chat/chat.js';
import type { Job } from '../store/store.js';
import type { JobOutcome } from '../engine/engine.js';
import { escapeChatText } from '../templates/escape-value.js';

/**
 * What the post box keeps on the timeline line of a message that carried the *Acknowledge*
 * button: the adapter it went through and the message's blocks without the button, so that the
 * message can be rewritten later without reading it back from the chat.
 */
export interface AckMessageRecord {
  adapter: string;
  blocks: ChatBlock[];
}

/** The line that takes the button's place once someone picked the incident up. */
export function acknowledgedBlock(name: string): ChatBlock {
  return { type: 'context', text: `Acknowledged by ${escapeChatText(name)}` };
}

/**
 * Handles one `acknowledged` job: every message of the incident that carried the *Acknowledge*
 * button is rewritten with "Acknowledged by <name>" in its place, so nobody clicks a button that
 * can only answer "already". It reads the incident as it is now, so a repeated job writes the same.
 */
export async function handleAcknowledgedJob(services: Services, job: Job): Promise<JobOutcome> {
  const { incidentId } = job.payload as { incidentId: string };
  const incident = await services.store.getIncident(incidentId);
  if (!incident?.acknowledgedBy) return;
  for (const entry of await services.store.listTimeline(incidentId)) {
    const record = entry.data?.acknowledge as AckMessageRecord | undefined;
    const channel = entry.data?.channel;
    const id = entry.data?.messageId;
    if (entry.kind !== 'message' || !record || typeof channel !== 'string' || typeof id !== 'string') continue;
    const chat = record.adapter === services.chat.name ? services.chat : services.chats?.[record.adapter];
    await chat?.update({ channel, id }, { text: entry.text, blocks: [...record.blocks, acknowledgedBlock(incident.acknowledgedBy)] });
  }
}
