import type { ChatIncomingMessage } from '../chat.js';
import { tsToIso } from './slack-history.js';

/** The fields of a Slack `message` event (and its nested message) that we read. */
export interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  edited?: { ts?: string };
  message?: Omit<SlackMessageEvent, 'type' | 'channel' | 'message'> & { edited?: { ts?: string } };
  previous_message?: { user?: string; text?: string; thread_ts?: string; bot_id?: string };
  deleted_ts?: string;
}

/** Subtypes that are conversation; the rest (joins, topics, pins…) is channel housekeeping. */
const SPOKEN = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message', 'bot_message']);

/**
 * Turns a message event into what `ChatInbound.onMessage` takes, or undefined when it is not
 * something a person said, edited or deleted (or it is our own bot speaking).
 */
export function toIncomingMessage(event: SlackMessageEvent, self: { userId?: string; botId?: string }): (Omit<ChatIncomingMessage, 'userName'> & { userName?: string }) | undefined {
  const ours = (m: { user?: string; bot_id?: string } | undefined) => Boolean(m && ((self.userId && m.user === self.userId) || (self.botId && m.bot_id === self.botId)));
  const thread = (m: { ts?: string; thread_ts?: string }) => (m.thread_ts && m.thread_ts !== m.ts ? { threadId: m.thread_ts } : {});

  if (event.subtype === 'message_changed') {
    const message = event.message;
    // Unfurls and reply counts also arrive as message_changed; only a real edit has `edited`.
    if (!message || !message.edited || ours(message) || message.text === event.previous_message?.text) return undefined;
    return {
      channel: event.channel,
      userId: message.user ?? message.bot_id ?? 'unknown',
      text: message.text ?? '',
      id: message.ts,
      ...thread(message),
      at: tsToIso(message.edited.ts ?? event.ts),
      kind: 'edited',
    };
  }
  if (event.subtype === 'message_deleted') {
    const previous = event.previous_message;
    if (!event.deleted_ts || ours(previous)) return undefined;
    return {
      channel: event.channel,
      userId: previous?.user ?? previous?.bot_id ?? 'unknown',
      text: previous?.text ?? '',
      id: event.deleted_ts,
      ...thread({ ts: event.deleted_ts, thread_ts: previous?.thread_ts }),
      at: tsToIso(event.ts),
      kind: 'deleted',
    };
  }
  if (!SPOKEN.has(event.subtype) || ours(event) || typeof event.ts !== 'string' || typeof event.channel !== 'string') return undefined;
  return {
    channel: event.channel,
    userId: event.user ?? event.bot_id ?? 'unknown',
    text: event.text ?? '',
    id: event.ts,
    ...thread(event),
    at: tsToIso(event.ts),
    kind: 'new',
  };
}
