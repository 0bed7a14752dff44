import { SafeMarkdown, escapeMarkdown, fenceCode, inlineCode } from './markdown.js';

/**
 * Chat formatting (`*bold*`, `_italic_`, `~struck~`, `` `code` ``, ``` ```blocks``` ```) turned
 * into the same formatting in Markdown; everything else escaped as usual. Without this a message
 * that said *high* would show in the report as `\*high\*` or with its stars, not as what people
 * saw. Continuation lines are indented by `spaces` so a message stays inside its list item.
 */
export function chatToMarkdown(text: string, spaces = 0): SafeMarkdown {
  const pad = ' '.repeat(Math.max(0, Math.min(spaces, 64)));
  const parts: string[] = [];
  // Code blocks first: nothing inside them is formatting.
  const blocks = /```([\s\S]*?)```/g;
  let last = 0;
  for (let match = blocks.exec(text); match; match = blocks.exec(text)) {
    parts.push(inlineOf(text.slice(last, match.index), last === 0));
    const code = match[1]!.replace(/^\n/, '');
    parts.push(code.includes('\n') ? `\n${fenceCode(code, '', 0).markdown}\n` : inlineCode(code).markdown);
    last = match.index + match[0].length;
  }
  parts.push(inlineOf(text.slice(last), last === 0));
  const lines = parts.join('').replace(/\n+$/, '').split('\n');
  return new SafeMarkdown(lines.map((line, i) => (i === 0 || line.trim() === '' ? line.trimEnd() : pad + line)).join('\n'));
}

/**
 * Escapes a stretch that may begin mid-line: only the lines it starts get the line-start escapes
 * (headings, lists, indentation), not its first one unless it follows a newline.
 */
function escapeStretch(text: string, atLineStart: boolean): string {
  return atLineStart ? escapeMarkdown(text) : escapeMarkdown(`x${text}`).slice(1);
}

/** Inline spans of one stretch of text: code, then emphasis that opens and closes on word edges. */
function inlineOf(text: string, startsLine: boolean): string {
  const spans = /`([^`\n]+)`|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w_])_([^_\n]+)_(?![\w_])|(?<![\w~])~([^~\n]+)~(?![\w~])/g;
  let out = '';
  let last = 0;
  for (let match = spans.exec(text); match; match = spans.exec(text)) {
    out += escapeStretch(text.slice(last, match.index), last === 0 ? startsLine : text[last - 1] === '\n');
    const [, code, bold, italic, struck] = match;
    if (code !== undefined) out += inlineCode(code).markdown;
    else if (bold !== undefined) out += bold.trim() ? `**${escapeMarkdown(bold)}**` : escapeMarkdown(match[0]);
    else if (italic !== undefined) out += italic.trim() ? `_${escapeMarkdown(italic)}_` : escapeMarkdown(match[0]);
    else if (struck !== undefined) out += struck.trim() ? `~~${escapeMarkdown(struck)}~~` : escapeMarkdown(match[0]);
    last = match.index + match[0].length;
  }
  return out + escapeStretch(text.slice(last), last === 0 ? startsLine : text[last - 1] === '\n');
}
