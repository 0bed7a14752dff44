/** Pure helpers that keep the room's messages and timeline in order as live events arrive. */
import type { RoomMessage, TimelineEntry } from '../api/types.js';

/** Adds or replaces a message by id, keeping channel sequence order. */
export function upsertMessage(list: RoomMessage[], message: RoomMessage): RoomMessage[] {
  const index = list.findIndex((item) => item.id === message.id);
  if (index !== -1) {
    const copy = list.slice();
    copy[index] = message;
    return copy;
  }
  return [...list, message].sort((a, b) => a.seq - b.seq || a.at.localeCompare(b.at));
}

/** Adds a timeline entry once, in time order. */
export function upsertTimeline(list: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  if (list.some((item) => item.id === entry.id)) return list.map((item) => (item.id === entry.id ? entry : item));
  return [...list, entry].sort((a, b) => a.at.localeCompare(b.at));
}

export interface ThreadedMessage {
  message: RoomMessage;
  replies: RoomMessage[];
}

/** Top-level messages of a channel with their thread replies; a reply whose parent is unknown stands alone. */
export function threadMessages(messages: RoomMessage[], channel: string): ThreadedMessage[] {
  const inChannel = messages.filter((message) => message.channel === channel);
  const ids = new Set(inChannel.map((message) => message.id));
  const threads: ThreadedMessage[] = [];
  const byId = new Map<string, ThreadedMessage>();
  for (const message of inChannel) {
    if (message.threadId && message.threadId !== message.id && ids.has(message.threadId)) continue;
    const thread = { message, replies: [] };
    threads.push(thread);
    byId.set(message.id, thread);
  }
  for (const message of inChannel) {
    if (message.threadId && message.threadId !== message.id && ids.has(message.threadId)) {
      byId.get(message.threadId)?.replies.push(message);
    }
  }
  return threads;
}
