import { parseHttpUrl } from '../util/parse-http-url.js';

/**
 * Markdown that user-provided text cannot break. Everything people typed in chat, every alert
 * field and every command goes through one of these before it reaches the report, so a message
 * holding ``` or <script> or "@everyone" shows as written and does nothing else.
 */

/** Markdown produced by these helpers, passed through the report template's auto-escaping as is. */
export class SafeMarkdown {
  constructor(readonly markdown: string) {}
  toString(): string {
    return this.markdown;
  }
}

// C0 controls except tab and newline, DEL, and the bidirectional overrides of "Trojan Source".
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
// Punctuation that opens inline Markdown anywhere in a line (emphasis, code, links, tables, strikethrough).
const INLINE = /[\\`*_[\]|~]/g;
// What makes a line a heading, list item or setext underline (`*` and `>` are handled inline).
const BLOCK_MARK = /^(\s*)([#+\-=])/;
// What makes a line an ordered list item: `1.` or `1)`.
const ORDERED_MARK = /^(\s*\d{1,9})([.)])/;
// Four leading spaces would start a code block; no-break spaces keep the indentation visible
// (pasted stack traces) without meaning anything to Markdown.
const LEADING_SPACE = /^[ \t]+/;
const keepIndent = (space: string) => space.replace(/\t/g, '    ').replace(/ /g, '\u00a0');
// GitHub notifies every @user and @org/team named in an issue; a zero-width space keeps the
// text readable and the notification away.
const MENTION = /@(?=[A-Za-z0-9_-])/g;

/** Removes control and bidi-override characters and normalises line endings. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/** Escapes text so it renders literally, line structure kept: no headings, lists, links, HTML or mentions. */
export function escapeMarkdown(value: unknown): string {
  if (value instanceof SafeMarkdown) return value.markdown;
  const text = cleanText(stringOf(value)).replace(INLINE, '\\$&').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(MENTION, '@\u200b');
  return text
    .split('\n')
    .map((line) => line.replace(BLOCK_MARK, '$1\\$2').replace(ORDERED_MARK, '$1\\$2').replace(LEADING_SPACE, keepIndent))
    .join('\n');
}

/** Escaped text on one line (titles, names, labels): newlines become spaces. */
export function escapeInline(value: unknown): string {
  return escapeMarkdown(stringOf(value).replace(/\s*[\r\n]+\s*/g, ' '));
}

/**
 * Escaped text whose continuation lines are indented by `spaces`, so a multi-line message stays
 * inside its list item. Blank lines are kept blank (the item continues across them).
 */
export function indentMarkdown(value: unknown, spaces: number): SafeMarkdown {
  const pad = ' '.repeat(Math.max(0, Math.min(spaces, 64)));
  const lines = escapeMarkdown(value).replace(/\n+$/, '').split('\n');
  return new SafeMarkdown(lines.map((line, i) => (i === 0 || line.trim() === '' ? line.trimEnd() : pad + line)).join('\n'));
}

/**
 * A fenced code block that nothing inside can close: the fence is one backtick longer than the
 * longest backtick run in the text. Every line is indented by `spaces` (for list items).
 */
export function fenceCode(value: unknown, language = '', spaces = 0): SafeMarkdown {
  const text = cleanText(stringOf(value)).replace(/\n+$/, '');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const info = language.replace(/[^A-Za-z0-9_+-]/g, '').slice(0, 20);
  const pad = ' '.repeat(Math.max(0, Math.min(spaces, 64)));
  const body = text === '' ? [] : text.split('\n');
  return new SafeMarkdown([`${fence}${info}`, ...body, fence].map((line) => (line === '' ? '' : pad + line)).join('\n'));
}

/** An inline code span that nothing inside can close. */
export function inlineCode(value: unknown): SafeMarkdown {
  const text = cleanText(stringOf(value)).replace(/\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return new SafeMarkdown(`${ticks}${pad}${text}${pad}${ticks}`);
}

/** An absolute http(s) URL made safe inside `(...)`, or undefined for anything else (javascript:, data:). */
export function safeUrl(value: unknown): string | undefined {
  const url = parseHttpUrl(stringOf(value).trim(), 8192);
  if (!url) return undefined;
  return url.href.replace(/[()<>\s"'`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[title](url)`, or the escaped title alone when the URL is not safe to link. */
export function markdownLink(title: unknown, url: unknown): SafeMarkdown {
  const href = safeUrl(url);
  const label = escapeInline(title) || escapeInline(url);
  return new SafeMarkdown(href ? `[${label}](${href})` : label);
}

/** `![title](url)` for an image, or the escaped title alone when the URL is not safe. */
export function markdownImage(title: unknown, url: unknown): SafeMarkdown {
  const href = safeUrl(url);
  const label = escapeInline(title);
  return new SafeMarkdown(href ? `![${label}](${href})` : label);
}

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeMarkdown) return value.markdown;
  return typeof value === 'string' ? value : String(value);
}
