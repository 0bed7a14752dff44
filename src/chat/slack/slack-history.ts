import type { ChatHistoryMessage } from '../chat.js';
import type { SlackCaller } from './slack-caller.js';
import type { SlackUserDirectory } from './slack-user-directory.js';
import { escapeSlackText } from './slack-text.js';

/**
 * Reads a channel back for the report: conversations.history to the end, then
 * conversations.replies for every thread, all pages, oldest first.
 */

export interface SlackHistoryMessage {
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  reply_count?: number;
  edited?: unknown;
  username?: string;
  bot_profile?: { name?: string };
}

/** Channel housekeeping, not conversation. */
const SYSTEM_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'channel_archive',
  'channel_unarchive',
  'channel_posting_permissions',
  'group_join',
  'group_leave',
  'group_topic',
  'group_purpose',
  'group_name',
  'pinned_item',
  'unpinned_item',
  'bot_add',
  'bot_remove',
]);

type Page = { messages?: SlackHistoryMessage[] };

/** Every message of every page of a history or replies read. */
async function readAll(caller: SlackCaller, method: string, args: Record<string, unknown>): Promise<SlackHistoryMessage[]> {
  return (await caller.readPages<Page>(method, args)).flatMap((page) => page.messages ?? []);
}

/** Slack `ts` (seconds.micros) to ISO 8601. */
export function tsToIso(ts: string): string {
  const [seconds, micros = '0'] = ts.split('.');
  return new Date(Number(seconds) * 1000 + Math.floor(Number(micros.padEnd(6, '0').slice(0, 6)) / 1000)).toISOString();
}

/** ISO 8601 to the `oldest` argument. */
export function isoToTs(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '0' : (ms / 1000).toFixed(6);
}

/** Every message since `since`, thread replies included, oldest first; names resolved, mentions readable. */
export async function readSlackHistory(caller: SlackCaller, users: SlackUserDirectory, channel: string, since?: string): Promise<ChatHistoryMessage[]> {
  const oldest = since ? isoToTs(since) : '0';
  const top = await readAll(caller, 'conversations.history', { channel, oldest, inclusive: true });
  const byTs = new Map<string, SlackHistoryMessage>();
  for (const message of top) byTs.set(message.ts, message);
  for (const parent of top) {
    if (!parent.reply_count || parent.thread_ts !== parent.ts) continue;
    // Replies can be newer than the parent's page cut-off; no `oldest` here so a thread is whole.
    const thread = await readAll(caller, 'conversations.replies', { channel, ts: parent.ts });
    for (const reply of thread) if (!byTs.has(reply.ts)) byTs.set(reply.ts, reply);
  }
  const messages = [...byTs.values()].filter((m) => !SYSTEM_SUBTYPES.has(m.subtype ?? '')).sort((a, b) => compareTs(a.ts, b.ts));
  const result: ChatHistoryMessage[] = [];
  for (const message of messages) {
    const fromBot = Boolean(message.bot_id) || message.subtype === 'bot_message';
    const userId = message.user ?? message.bot_id ?? 'unknown';
    const userName = message.user ? await users.nameOf(message.user) : (message.bot_profile?.name ?? message.username ?? userId);
    result.push({
      id: message.ts,
      channel,
      userId,
      userName,
      text: await readableMentions(message.text ?? '', users),
      at: tsToIso(message.ts),
      ...(message.thread_ts && message.thread_ts !== message.ts ? { threadId: message.thread_ts } : {}),
      fromBot,
      ...(message.edited ? { edited: true } : {}),
    });
  }
  return result;
}

/** `ts` strings compared as numbers without float rounding (same length after the dot). */
export function compareTs(a: string, b: string): number {
  const [as, am = ''] = a.split('.');
  const [bs, bm = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(am.padEnd(6, '0')) - Number(bm.padEnd(6, '0'));
}

/** `<@U123>` → `@alice`, so the report reads without a Slack client. */
async function readableMentions(text: string, users: SlackUserDirectory): Promise<string> {
  const ids = [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]))].slice(0, 50);
  let out = text;
  for (const id of ids) {
    const name = await users.nameOf(id);
    out = out.replace(new RegExp(`<@${id}(?:\\|[^>]*)?>`, 'g'), () => `@${escapeSlackText(name)}`);
  }
  return out;
}
