import type { ConversationView } from './report-view.js';
import { SafeMarkdown, escapeInline, indentMarkdown } from './markdown.js';
import { chatToMarkdown } from './chat-markdown.js';
import { formatClock } from './format-time.js';

/**
 * The conversation as a Markdown list, replies indented under the message that started their
 * thread. Written in TypeScript rather than the template: thousands of messages through Liquid
 * take seconds of CPU, this takes milliseconds. Templates can still loop over `conversation`.
 */
export function renderConversation(conversation: ConversationView[], day: string): SafeMarkdown {
  const lines: string[] = [];
  const line = (m: ConversationView, depth: number) => {
    const pad = '  '.repeat(depth);
    const notes = `${m.fromBot ? ' (bot)' : ''}${m.edited ? ' (edited)' : ''}${m.orphanReply ? ' (reply in an older thread)' : ''}`;
    const text = chatToMarkdown(m.text, pad.length + 2).markdown;
    lines.push(`${pad}- **${formatClock(m.at, day)} ${escapeInline(m.user)}**${notes}: ${text}`);
  };
  for (const message of conversation) {
    line(message, 0);
    for (const reply of message.replies) line(reply, 1);
  }
  return new SafeMarkdown(lines.join('\n'));
}

/** The timeline as a Markdown list (same reason as the conversation: speed on long incidents). */
export function renderTimeline(timeline: { at: string; kind: string; actor: string; text: string }[], day: string): SafeMarkdown {
  return new SafeMarkdown(timeline.map((e) => `- ${formatClock(e.at, day)} · ${e.kind} · ${escapeInline(e.actor)}: ${indentMarkdown(e.text, 2).markdown}`).join('\n'));
}
