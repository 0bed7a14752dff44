import type { ChatHistoryMessage } from '../chat.js';
import type { TeamsCaller } from './teams-caller.js';
import { GRAPH_SCOPE } from './teams-token.js';

/** The parts of a Graph `chatMessage` the report needs. */
export interface GraphChatMessage {
  id: string;
  replyToId?: string | null;
  messageType?: string;
  createdDateTime: string;
  lastModifiedDateTime?: string | null;
  deletedDateTime?: string | null;
  from?: { user?: { id?: string; displayName?: string } | null; application?: { id?: string; displayName?: string } | null } | null;
  body?: { contentType?: string; content?: string };
  attachments?: { contentType?: string; content?: string | null }[];
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/** Follows `@odata.nextLink` to the end (Graph pages channel messages 50 at a time). */
export async function readAllPages<T>(caller: TeamsCaller, firstUrl: string, thread?: string): Promise<T[]> {
  const items: T[] = [];
  let url: string | undefined = firstUrl;
  for (let pages = 0; url && pages < 1000; pages++) {
    const page: Page<T> = await caller.call<Page<T>>({ method: 'GET', url, scope: GRAPH_SCOPE, thread });
    items.push(...(page.value ?? []));
    url = page['@odata.nextLink'];
  }
  return items;
}

/**
 * Every message of a channel since a time, replies included, oldest first: top-level messages
 * (`/messages`, which never carries replies), then each one's `/replies`, both paginated.
 */
export async function readTeamsHistory(caller: TeamsCaller, graphUrl: string, teamId: string, channelId: string, since?: string): Promise<ChatHistoryMessage[]> {
  const base = `${graphUrl}/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`;
  // Reads are not paced per thread (Graph allows 20 reads a second per app and tenant); a 429 still waits for its Retry-After.
  const roots = await readAllPages<GraphChatMessage>(caller, `${base}?$top=50`);
  const sinceMs = since ? Date.parse(since) : undefined;
  const out: ChatHistoryMessage[] = [];
  for (const root of roots) {
    const replies = await readAllPages<GraphChatMessage>(caller, `${base}/${encodeURIComponent(root.id)}/replies?$top=50`);
    for (const message of [root, ...replies]) {
      if (message.messageType && message.messageType !== 'message') continue;
      if (message.deletedDateTime) continue;
      if (sinceMs !== undefined && Date.parse(message.createdDateTime) < sinceMs) continue;
      const text = messageText(message);
      if (!text) continue;
      out.push({
        id: message.id,
        channel: channelId,
        userId: message.from?.user?.id ?? message.from?.application?.id ?? 'unknown',
        userName: message.from?.user?.displayName ?? message.from?.application?.displayName ?? 'unknown',
        text,
        at: message.createdDateTime,
        ...(message.replyToId ? { threadId: message.replyToId } : {}),
        fromBot: Boolean(message.from?.application),
        ...(message.lastModifiedDateTime && message.lastModifiedDateTime !== message.createdDateTime ? { edited: true } : {}),
      });
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The words of a message: its HTML body as plain text (a bot's card shows as its summary). */
export function messageText(message: GraphChatMessage): string {
  const content = message.body?.content ?? '';
  const text = message.body?.contentType === 'html' ? htmlToText(content) : content;
  return text.trim();
}

export function htmlToText(html: string): string {
  return html
    .replace(/<at[^>]*>(.*?)<\/at>/gi, '@$1')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<attachment[^>]*><\/attachment>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n');
}
