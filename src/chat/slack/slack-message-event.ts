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
export function toIncomingMessage(event: SlackMessageEvent, self: { userId?: string; botId?: string }): IncomingMessage | undefined {
  const ours = (m: { user?: string; bot_id?: string } | undefined) => Boolean(m && ((self.userId && m.user === self.userId) || (self.botId && m.bot_id === self.botId)));

  if (event.subtype === 'message_changed') {
    const message = event.message;
    // Unfurls and reply counts also arrive as message_changed; only a real edit has `edited`.
    if (!message || !message.edited || ours(message) || message.text === event.previous_message?.text) return undefined;
    return said(event.channel, message, message.edited.ts ?? event.ts, 'edited');
  }
  if (event.subtype === 'message_deleted') {
    const previous = event.previous_message;
    if (!event.deleted_ts || ours(previous)) return undefined;
    return said(event.channel, { ...previous, ts: event.deleted_ts }, event.ts, 'deleted');
  }
  if (!SPOKEN.has(event.subtype) || ours(event) || typeof event.ts !== 'string' || typeof event.channel !== 'string') return undefined;
  return said(event.channel, event, event.ts, 'new');
}

type IncomingMessage = Omit<ChatIncomingMessage, 'userName'> & { userName?: string };

/** One message as the chat layer knows it: a reply names its thread, a thread's first message does not. */
function said(channel: string, m: { user?: string; bot_id?: string; text?: string; ts: string; thread_ts?: string }, atTs: string, kind: NonNullable<ChatIncomingMessage['kind']>): IncomingMessage {
  return {
    channel,
    userId: m.user ?? m.bot_id ?? 'unknown',
    text: m.text ?? '',
    id: m.ts,
    ...(m.thread_ts && m.thread_ts !== m.ts ? { threadId: m.thread_ts } : {}),
    at: tsToIso(atTs),
    kind,
  };
}
