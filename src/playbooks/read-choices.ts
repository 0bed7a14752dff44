import type { Token, Tokens } from 'marked';
import { countNewlines } from './count-newlines.js';
import { MAX_INLINE_CHARS } from './markdown-lexer.js';
import { readPageLink } from './page-id.js';
import { readPlainText } from './plain-text.js';

/** A choice as written, before its target is checked against the playbook's pages. */
export interface WrittenChoice {
  label: string;
  to: string;
  line: number;
}

/**
 * The choices of a list whose every item is only a link to a page (`- [Yes, rising](#tunnel)`),
 * or undefined when the list is ordinary text (any item with other words, an outside link, a task box).
 * `line` is the 1-based line the list starts on.
 */
export function readChoices(list: Tokens.List, line: number, readInline: (text: string) => Token[] | undefined): WrittenChoice[] | undefined {
  if (list.items.length === 0) return undefined;
  const choices: WrittenChoice[] = [];
  let cursor = 0;
  for (const item of list.items) {
    if (item.task) return undefined;
    const link = findOnlyLink(item.tokens, readInline);
    if (!link) return undefined;
    const to = readPageLink(link.href);
    if (to === undefined) return undefined;
    const at = list.raw.indexOf(item.raw, cursor);
    const offset = at >= 0 ? at : cursor;
    cursor = offset + item.raw.length;
    choices.push({ label: readPlainText(link.tokens, link.text), to, line: line + countNewlines(list.raw, offset) });
  }
  return choices;
}

/** The link when a list item holds nothing but one link (blank text around it is fine). */
function findOnlyLink(tokens: Token[], readInline: (text: string) => Token[] | undefined): Tokens.Link | undefined {
  const meaningful = tokens.filter((token) => !isBlank(token));
  if (meaningful.length !== 1) return undefined;
  const [only] = meaningful;
  if (only.type === 'link') return only as Tokens.Link;
  if (only.type !== 'text' && only.type !== 'paragraph') return undefined;
  const text = (only as Tokens.Text).text.trim();
  // Cheap shape test first: most list items are prose and need no inline lexing at all.
  if (text.length > MAX_INLINE_CHARS || !/^\[[\s\S]*\]\(\s*<?#[\s\S]*\)$/.test(text)) return undefined;
  const inline = readInline(text);
  return inline ? findOnlyLink(inline, readInline) : undefined;
}

function isBlank(token: Token): boolean {
  return token.type === 'space' || (token.type === 'text' && token.raw.trim() === '');
}
