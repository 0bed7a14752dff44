/**
 * Slack-style mrkdwn (`*bold*`, `_italic_`, `~strike~`, `` `code` ``, ``` blocks ```, `<url|label>`)
 * parsed into a tree that React renders as text nodes. Nothing here produces HTML, so a message
 * cannot inject markup: entities are decoded once into plain characters and React escapes them.
 */

export type MrkdwnNode =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: MrkdwnNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'pre'; text: string }
  | { kind: 'link'; url: string; label: string }
  | { kind: 'mention'; text: string }
  | { kind: 'break' };

/** Longer messages are cut: a chat message this big is a mistake, and the page must stay responsive. */
export const MRKDWN_MAX_CHARS = 40_000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const STYLES = { '*': 'bold', _: 'italic', '~': 'strike' } as const;

/** Decodes the entities Slack's escaping produces, once (`&amp;lt;` stays `&lt;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!);
}

/** The URL if it is an absolute http(s) URL, otherwise undefined: `javascript:`, `data:` and friends never become links. */
export function safeUrl(raw: string): string | undefined {
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Parses mrkdwn into nodes. */
export function parseMrkdwn(source: string): MrkdwnNode[] {
  const input = source.length > MRKDWN_MAX_CHARS ? `${source.slice(0, MRKDWN_MAX_CHARS)}…` : source;
  const nodes: MrkdwnNode[] = [];
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  for (let match = fence.exec(input); match; match = fence.exec(input)) {
    nodes.push(...parseInline(input.slice(last, match.index)));
    nodes.push({ kind: 'pre', text: decodeEntities(match[1]!.replace(/^\n/, '')) });
    last = match.index + match[0].length;
  }
  nodes.push(...parseInline(input.slice(last)));
  return nodes;
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);

function parseInline(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) nodes.push(...linkBareUrls(decodeEntities(buffer)));
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      flush();
      nodes.push({ kind: 'break' });
      i++;
      continue;
    }
    const lineEnd = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close !== -1 && close < lineEnd && close > i + 1) {
        flush();
        nodes.push({ kind: 'code', text: decodeEntities(text.slice(i + 1, close)) });
        i = close + 1;
        continue;
      }
    } else if (ch === '<') {
      const close = text.indexOf('>', i + 1);
      if (close !== -1 && close < lineEnd) {
        flush();
        nodes.push(parseAngle(text.slice(i + 1, close)));
        i = close + 1;
        continue;
      }
    } else if (ch === '*' || ch === '_' || ch === '~') {
      // Only the next marker on the line can close this one, which keeps parsing linear.
      const close = text.indexOf(ch, i + 1);
      if (!isWordChar(text[i - 1]) && !isSpace(text[i + 1]) && close !== -1 && close < lineEnd && close > i + 1 && !isSpace(text[close - 1]) && !isWordChar(text[close + 1])) {
        flush();
        nodes.push({ kind: STYLES[ch], children: parseInline(text.slice(i + 1, close)) });
        i = close + 1;
        continue;
      }
    }
    buffer += ch;
    i++;
  }
  flush();
  return nodes;
}

/** `<url|label>`, `<@U1|name>`, `<#C1|channel>`, `<!here>`: links only for http(s), everything else is text. */
function parseAngle(inner: string): MrkdwnNode {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeEntities(inner.slice(bar + 1));
  if (target.startsWith('@')) return { kind: 'mention', text: `@${label ?? decodeEntities(target.slice(1))}` };
  if (target.startsWith('#')) return { kind: 'mention', text: `#${label ?? decodeEntities(target.slice(1))}` };
  if (target.startsWith('!')) return { kind: 'mention', text: `@${label ?? decodeEntities(target.slice(1).split('^')[0]!)}` };
  const url = safeUrl(decodeEntities(target));
  if (url) return { kind: 'link', url, label: label || url };
  return { kind: 'text', text: label ?? decodeEntities(target) };
}

/** Plain http(s) URLs in text become links, as chat apps do. */
function linkBareUrls(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  const pattern = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const url = safeUrl(match[0]);
    if (!url) continue;
    if (match.index > last) nodes.push({ kind: 'text', text: text.slice(last, match.index) });
    nodes.push({ kind: 'link', url, label: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push({ kind: 'text', text: text.slice(last) });
  return nodes;
}

/** The text a person reads, without markup (for titles and aria labels). */
export function plainTextOf(nodes: MrkdwnNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'bold':
        case 'italic':
        case 'strike':
          return plainTextOf(node.children);
        case 'link':
          return node.label;
        case 'break':
          return '\n';
        default:
          return node.text;
      }
    })
    .join('');
}
