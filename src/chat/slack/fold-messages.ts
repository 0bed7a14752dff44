import type { ChatBlock, ChatMessage } from '../chat.js';

/** How many waiting posts one message may carry; more wait for the next turn. */
export const MAX_FOLDED = 10;

/**
 * Several waiting posts of one incident as one message, oldest first, a divider between them:
 * the text fallback joins the texts with a blank line, the blocks keep each post's own blocks.
 */
export function foldMessages(messages: readonly ChatMessage[]): ChatMessage {
  const blocks: ChatBlock[] = [];
  for (const [index, message] of messages.entries()) {
    if (index > 0) blocks.push({ type: 'divider' });
    blocks.push(...(message.blocks ?? [{ type: 'text', text: message.text }]));
  }
  const first = messages[0];
  return { text: messages.map((message) => message.text).join('\n\n'), blocks, ...(first?.threadId ? { threadId: first.threadId } : {}) };
}
