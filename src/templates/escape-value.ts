import type { EscapeMode } from './render.js';

/**
 * Words made only of these characters mean the same to a POSIX shell quoted or not, so they stay
 * bare and commands read naturally (`ssh db-7.example.com -p 3306`). `=` is left out because a bare
 * `NAME=value` at the start of a command is an assignment, and `~`, `*`, `?`, `[` because the shell
 * expands them.
 */
const SHELL_BARE_WORD = /^[A-Za-z0-9_@%+:,./][A-Za-z0-9_@%+:,./-]*$/;

/** A lone UTF-16 surrogate: `encodeURIComponent` throws on it, so it becomes U+FFFD first. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Quotes a value as exactly one POSIX shell word: `'…'` with `'\''` for each quote.
 * Safe plain words stay bare; anything else, the empty string and words starting with `-` are quoted.
 * Quoting cannot stop a program from reading `-rf` as an option: put `--` before interpolated
 * arguments in commands. NUL cannot travel in an argument at all, so it is dropped.
 * @example quoteShell("it's") // 'it'\''s'
 */
export function quoteShell(value: string): string {
  const word = value.includes('\0') ? value.replaceAll('\0', '') : value;
  if (SHELL_BARE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Percent-encodes a value for one URL component (path segment or query value), RFC 3986 strict:
 * also `!'()*`, which `encodeURIComponent` leaves alone.
 * @example encodeUrlValue('a b&c') // a%20b%26c
 */
export function encodeUrlValue(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Escapes a value for chat text the way Slack mrkdwn expects: `&`, `<`, `>` only. A value can then
 * not open a link, a mention (`<!channel>`) or a user reference.
 * @example escapeChatText('<!channel>') // &lt;!channel&gt;
 */
export function escapeChatText(value: string): string {
  return value.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Escapes one interpolated value for the place it goes. */
export function escapeValue(value: string, mode: EscapeMode): string {
  switch (mode) {
    case 'shell':
      return quoteShell(value);
    case 'url':
      return encodeUrlValue(value);
    case 'text':
      return escapeChatText(value);
    case 'json':
      // Without knowing the place, the one that is always safe: content of a JSON string.
      return JSON.stringify(value).slice(1, -1);
    case 'plain':
      return value;
  }
}
