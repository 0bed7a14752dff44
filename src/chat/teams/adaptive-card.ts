import type { ChatBlock, ChatButton, ChatMessage } from '../chat.js';

/**
 * Translates our neutral `ChatBlock[]` into Adaptive Cards 1.5 (the highest version Teams renders).
 * Buttons are `Action.Execute` (Universal Actions): a click arrives as an `adaptiveCard/action`
 * invoke that we answer at once, and the box's own update replaces the card in place for everyone.
 *
 * Teams refuses a bot message above 40 KB counted as UTF-16 and advises cards under 28 KB, so a
 * card is kept under `CARD_LIMITS.cardChars` characters of JSON (2 bytes each): long content is
 * split into several cards, never cut.
 */
export const CARD_LIMITS = {
  version: '1.5',
  /** 28 KB of UTF-16 is 14,336 characters; leave room for the activity around the card. */
  cardChars: 13_000,
  /** Longest single TextBlock before it is split (keeps one huge log line from filling a card). */
  textChars: 4_000,
  /** Plain-text fallback shown in notifications. */
  fallbackText: 1_000,
} as const;

/** The verb of every Sidekick button; the signed value travels in `data.sidekick`. */
export const ACTION_VERB = 'sidekick';

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  msteams: { width: 'Full'; entities?: unknown[] };
}

/** One Teams message worth of content. */
export interface TeamsMessagePart {
  text: string;
  card?: AdaptiveCard;
  /** `mention` entities for `<at>…</at>` in the text or card. */
  mentions?: unknown[];
}

/** Translates a neutral message into one or more Teams messages, in order. */
export function translateToCards(message: ChatMessage, options: { cardChars?: number } = {}): TeamsMessagePart[] {
  const fallback = truncate(toTeamsMarkdown(message.text), CARD_LIMITS.fallbackText);
  const source: ChatBlock[] = message.blocks && message.blocks.length > 0 ? message.blocks : [{ type: 'text', text: message.text }];
  const elements = source.flatMap(translateBlock);
  if (elements.length === 0) return [{ text: fallback || ' ' }];
  const budget = options.cardChars ?? CARD_LIMITS.cardChars;
  const groups: CardElement[][] = [];
  let current: CardElement[] = [];
  let size = 0;
  for (const element of elements) {
    const length = JSON.stringify(element).length;
    if (current.length > 0 && size + length > budget) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(element);
    size += length;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((body, index) => ({
    text: groups.length === 1 ? fallback : `${truncate(fallback, CARD_LIMITS.fallbackText - 12)} (${index + 1}/${groups.length})`,
    card: card(body),
  }));
}

export function card(body: CardElement[]): AdaptiveCard {
  const [first, ...rest] = body;
  // A separator on the first element draws a stray line at the top of the card.
  const cleaned = first && 'separator' in first ? [{ ...first, separator: undefined }, ...rest] : body;
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_LIMITS.version,
    body: JSON.parse(JSON.stringify(cleaned)) as CardElement[],
    msteams: { width: 'Full' },
  };
}

function translateBlock(block: ChatBlock, index: number, all: ChatBlock[]): CardElement[] {
  const separated = all[index - 1]?.type === 'divider' ? { separator: true, spacing: 'Medium' } : {};
  switch (block.type) {
    case 'header':
      return textBlocks(toTeamsMarkdown(block.text.replace(/\s+/g, ' ')), { size: 'Large', weight: 'Bolder', ...separated });
    case 'text':
      return textBlocks(toTeamsMarkdown(block.text), separated);
    case 'code': {
      // A RichTextBlock's TextRun is never read as Markdown: the command shows exactly as it will run.
      const runs = split(block.text, CARD_LIMITS.textChars).map((chunk) => ({
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: chunk, fontType: 'Monospace' }],
        ...separated,
      }));
      const sources = block.sources?.length ? textBlocks(block.sources.map((s) => `\`${s.value}\` ← ${s.path}`).join(' · '), { isSubtle: true, size: 'Small' }) : [];
      return [...runs, ...sources];
    }
    case 'buttons':
      return [{ type: 'ActionSet', actions: block.buttons.map(translateButton), ...separated }];
    case 'context':
      return textBlocks(toTeamsMarkdown(block.text), { isSubtle: true, size: 'Small', ...separated });
    case 'link':
      return [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: truncate(block.label.replace(/\s+/g, ' '), 100) || block.url, url: safeUrl(block.url) }], ...separated }];
    case 'divider':
    default:
      return [];
  }
}

function translateButton(button: ChatButton): CardElement {
  return {
    type: 'Action.Execute',
    title: truncate(button.label.replace(/\s+/g, ' ').trim() || '…', 100),
    verb: ACTION_VERB,
    data: { sidekick: button.value },
    ...(button.style === 'primary' ? { style: 'positive' } : button.style === 'danger' ? { style: 'destructive' } : {}),
  };
}

function textBlocks(text: string, extra: Record<string, unknown>): CardElement[] {
  if (!text.trim()) return [];
  return split(text, CARD_LIMITS.textChars).map((chunk, i) => ({ type: 'TextBlock', text: chunk, wrap: true, ...(i === 0 ? extra : { ...extra, separator: undefined }) }));
}

/**
 * Our block text is Slack-flavoured (`*bold*`, `<url|label>`); Teams reads CommonMark-like
 * Markdown (`**bold**`, `[label](url)`). Only http(s) links become links.
 */
export function toTeamsMarkdown(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]*)>/g, (_m, url: string, label: string) => `[${label.replace(/[[\]]/g, '')}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`)
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1**$2**');
}

function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : 'https://invalid.invalid/?unsafe-link';
}

function split(text: string, size: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > size) {
    // Prefer a line break, so a command or a paragraph is not cut mid-line.
    const cut = rest.lastIndexOf('\n', size);
    const at = cut > size / 2 ? cut : size;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  chunks.push(rest);
  return chunks.filter((c) => c.length > 0);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
