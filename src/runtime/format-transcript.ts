import type { RoomMessage } from '../chat/room/room-queries.js';

/** A chat message as a person would read it in a terminal: text, commands, buttons as [labels]. */
export function formatMessage(message: RoomMessage): string {
  const lines: string[] = [];
  const who = message.userName;
  const blocks = message.blocks ?? [{ type: 'text' as const, text: message.text }];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(`== ${unescape(block.text)} ==`);
        break;
      case 'text':
      case 'context':
        lines.push(unescape(block.text));
        break;
      case 'code':
        lines.push(...block.text.split('\n').map((line) => `  $ ${line}`));
        break;
      case 'buttons':
        lines.push(block.buttons.map((button) => `[${button.label}]`).join(' '));
        break;
      case 'link':
        lines.push(`${block.label}: ${block.url}`);
        break;
      case 'divider':
        lines.push('—');
        break;
    }
  }
  return `${who}${message.editedAt ? ' (updated)' : ''}: ${lines.join('\n')}`;
}

function unescape(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
