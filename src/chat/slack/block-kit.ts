import type { ChatBlock, ChatButton, ChatMessage } from '../chat.js';
import { escapeSlackText, hasVisibleText, splitMrkdwn, splitSlackText, truncateSlackText } from './slack-text.js';

/**
 * Translates our neutral `ChatBlock[]` into Block Kit. Every Slack limit is respected by splitting,
 * never by dropping content: long text becomes several sections, many blocks several messages.
 */

/** Slack's documented limits (docs.slack.dev/reference/block-kit), plus one of our own. */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonLabel: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  /** Slack truncates top-level `text` past 40,000 and advises ≤ 4,000 for notifications. */
  fallbackText: 4000,
  /**
   * Total block text per message. Slack documents no total, but answers `msg_blocks_too_long` to
   * payloads around 13k characters (bolt-js #2509), so we stay below that.
   */
  charactersPerMessage: 12_000,
} as const;

export type SlackText = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji: boolean };
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'actions'; elements: SlackButton[] }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

/** One Slack message worth of content. */
export interface SlackMessagePart {
  text: string;
  blocks?: SlackBlock[];
}

export interface TranslateOptions {
  /** Called for a button value longer than Slack's 2000; returns a short stand-in (see SlackChat). */
  shortenButtonValue?: (value: string) => string;
  /** Override per-message character budget (tests). */
  charactersPerMessage?: number;
  /** Fewer blocks per message than Slack's 50, to leave room for a block added later. */
  maxBlocks?: number;
}

/** Translates a neutral message into one or more Slack messages, in order. */
export function translateToBlockKit(message: ChatMessage, options: TranslateOptions = {}): SlackMessagePart[] {
  const fallback = truncateSlackText(message.text, BLOCK_KIT_LIMITS.fallbackText);
  const source: ChatBlock[] = message.blocks && message.blocks.length > 0 ? message.blocks : message.text.length > BLOCK_KIT_LIMITS.fallbackText ? [{ type: 'text', text: message.text }] : [];
  const blocks = source.flatMap((block) => translateBlock(block, options));
  if (blocks.length === 0) return [{ text: hasVisibleText(fallback) ? fallback : ' ' }];
  const groups = groupIntoMessages(
    blocks,
    options.charactersPerMessage ?? BLOCK_KIT_LIMITS.charactersPerMessage,
    Math.min(options.maxBlocks ?? BLOCK_KIT_LIMITS.blocksPerMessage, BLOCK_KIT_LIMITS.blocksPerMessage),
  );
  return groups.map((group, index) => ({
    text: groups.length === 1 ? fallback : `${truncateSlackText(fallback, BLOCK_KIT_LIMITS.fallbackText - 12)} (${index + 1}/${groups.length})`,
    blocks: group,
  }));
}

/** One neutral block becomes zero or more Slack blocks, each within its own limits. */
export function translateBlock(block: ChatBlock, options: TranslateOptions = {}): SlackBlock[] {
  switch (block.type) {
    case 'header':
      return translateHeader(block.text);
    case 'text':
      return sections(splitMrkdwn(block.text, BLOCK_KIT_LIMITS.sectionText));
    case 'code':
      return translateCode(block.text, block.sources);
    case 'buttons':
      return translateButtons(block.buttons, options);
    case 'context':
      return translateContext(block.text);
    case 'link': {
      const url = encodeLinkUrl(block.url);
      const label = truncateSlackText(escapeSlackText(block.label.replace(/\s+/g, ' ')).replace(/\|/g, '¦'), BLOCK_KIT_LIMITS.sectionText - url.length - 3);
      return sections([`<${url}|${hasVisibleText(label) ? label : url}>`]);
    }
    case 'divider':
      return [{ type: 'divider' }];
    default:
      return [];
  }
}

function sections(texts: string[]): SlackBlock[] {
  return texts.filter(hasVisibleText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function translateHeader(text: string): SlackBlock[] {
  if (!hasVisibleText(text)) return [];
  const flat = text.replace(/\s+/g, ' ').trim();
  const header: SlackBlock = {
    type: 'header',
    text: { type: 'plain_text', text: truncateSlackText(flat, BLOCK_KIT_LIMITS.headerText), emoji: true },
  };
  // A header is plain text of 150 characters at most; the full title follows rather than being lost.
  return flat.length <= BLOCK_KIT_LIMITS.headerText ? [header] : [header, ...sections(splitMrkdwn(`*${flat}*`, BLOCK_KIT_LIMITS.sectionText))];
}

/** Commands arrive raw (shell-quoted, not chat-escaped), so this is text we escape ourselves. */
function translateCode(text: string, sources?: { path: string; value: string }[]): SlackBlock[] {
  // Three backticks inside the command would close the fence early; a zero-width space keeps them apart.
  const escaped = escapeSlackText(text).replace(/```/g, '`\u200b`\u200b`');
  const chunks = splitSlackText(escaped, BLOCK_KIT_LIMITS.sectionText - 8);
  const blocks = sections(chunks.map((chunk) => '```\n' + chunk.replace(/^\n+|\n+$/g, '') + '\n```'));
  if (sources && sources.length > 0) {
    const described = sources.map((source) => `\`${escapeSlackText(source.value).replace(/`/g, "'")}\` ← ${escapeSlackText(source.path).replace(/`/g, "'")}`).join(' · ');
    blocks.push(...translateContext(described));
  }
  return blocks;
}

function translateContext(text: string): SlackBlock[] {
  const pieces = splitMrkdwn(text, BLOCK_KIT_LIMITS.sectionText).filter(hasVisibleText);
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < pieces.length; i += BLOCK_KIT_LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: pieces.slice(i, i + BLOCK_KIT_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: t })) });
  }
  return blocks;
}

function translateButtons(buttons: ChatButton[], options: TranslateOptions): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < buttons.length; i += BLOCK_KIT_LIMITS.actionsElements) {
    const elements = buttons.slice(i, i + BLOCK_KIT_LIMITS.actionsElements).map((button, j) => translateButton(button, i + j, options));
    blocks.push({ type: 'actions', elements });
  }
  return blocks;
}

function translateButton(button: ChatButton, index: number, options: TranslateOptions): SlackButton {
  let value = button.value;
  if (value.length > BLOCK_KIT_LIMITS.buttonValue) {
    if (!options.shortenButtonValue) throw new RangeError('a button value is longer than Slack allows and no shortener was given');
    value = options.shortenButtonValue(value);
  }
  const label = button.label.replace(/\s+/g, ' ').trim() || '…';
  return {
    type: 'button',
    // Unique within the message, so one actions block never repeats an action_id.
    action_id: `sidekick_${index}`,
    text: { type: 'plain_text', text: truncateSlackText(label, BLOCK_KIT_LIMITS.buttonLabel), emoji: true },
    value,
    ...(button.style ? { style: button.style } : {}),
  };
}

/** Only http(s) links are linked; the characters that end a Slack link are percent-encoded. */
function encodeLinkUrl(url: string): string {
  const safe = /^https?:\/\//i.test(url) ? url : `https://invalid.invalid/?unsafe-link`;
  // `&` is written as `&amp;` like everywhere else in mrkdwn; Slack decodes it before opening the link.
  return safe
    .replace(/[<>| ]/g, (c) => encodeURIComponent(c))
    .slice(0, 2000)
    .replace(/&(?!(?:amp|lt|gt);)/g, '&amp;');
}

/** Characters of text a block carries, for the per-message budget. */
export function blockTextLength(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
    case 'section':
      return block.text.text.length;
    case 'context':
      return block.elements.reduce((sum, element) => sum + element.text.length, 0);
    case 'actions':
      return block.elements.reduce((sum, element) => sum + element.text.text.length + (element.value?.length ?? 0), 0);
    default:
      return 0;
  }
}

/** Greedy packing into messages; a header or divider never ends a message when more follows. */
function groupIntoMessages(blocks: SlackBlock[], budget: number, maxBlocks: number): SlackBlock[][] {
  const groups: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  let characters = 0;
  for (const block of blocks) {
    const size = blockTextLength(block);
    if (current.length > 0 && (current.length >= maxBlocks || characters + size > budget)) {
      const carried: SlackBlock[] = [];
      while (current.length > 1 && (current[current.length - 1].type === 'header' || current[current.length - 1].type === 'divider')) {
        carried.unshift(current.pop()!);
      }
      groups.push(current);
      current = carried;
      characters = carried.reduce((sum, b) => sum + blockTextLength(b), 0);
    }
    current.push(block);
    characters += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
