/**
 * Block Kit checks the way Slack applies them on chat.postMessage / chat.update. Independent of
 * our translator on purpose: it is the referee, not a copy of the player.
 * Sources: docs.slack.dev/reference/block-kit (limits table in integrations.md §1.4).
 */

type Json = Record<string, unknown>;

function isText(value: unknown, types: string[], max: number): boolean {
  if (!value || typeof value !== 'object') return false;
  const text = value as Json;
  return types.includes(String(text.type)) && typeof text.text === 'string' && text.text.length >= 1 && text.text.length <= max;
}

function checkButton(element: Json): boolean {
  if (!isText(element.text, ['plain_text'], 75)) return false;
  if (element.value !== undefined && (typeof element.value !== 'string' || element.value.length > 2000)) return false;
  if (element.url !== undefined && (typeof element.url !== 'string' || element.url.length > 3000)) return false;
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') return false;
  return typeof element.action_id !== 'string' || element.action_id.length <= 255;
}

function checkBlock(block: Json): boolean {
  if (block.block_id !== undefined && (typeof block.block_id !== 'string' || block.block_id.length > 255)) return false;
  switch (block.type) {
    case 'header':
      return isText(block.text, ['plain_text'], 150);
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return false;
      if (block.text !== undefined && !isText(block.text, ['plain_text', 'mrkdwn'], 3000)) return false;
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10) return false;
        if (!block.fields.every((f) => isText(f, ['plain_text', 'mrkdwn'], 2000))) return false;
      }
      return true;
    }
    case 'actions': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length < 1 || elements.length > 25) return false;
      const ids = elements.map((e: Json) => e.action_id).filter((id) => id !== undefined);
      if (new Set(ids).size !== ids.length) return false;
      return elements.every((e: Json) => e && e.type === 'button' && checkButton(e));
    }
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length < 1 || elements.length > 10) return false;
      return elements.every((e: Json) => isText(e, ['plain_text', 'mrkdwn'], 3000) || e?.type === 'image');
    }
    case 'divider':
      return true;
    case 'rich_text':
      return Array.isArray(block.elements);
    default:
      return false;
  }
}

/** Characters of text in blocks, for Slack's undocumented total (`msg_blocks_too_long`, bolt-js #2509). */
function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum, v) => sum + textLength(v), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce((sum, [key, v]) => sum + (key === 'text' || key === 'value' || typeof v === 'object' ? textLength(v) : 0), 0);
  }
  return 0;
}

/** The error code Slack answers for these blocks, or undefined when they are acceptable. */
export function checkBlocks(raw: unknown): string | undefined {
  let blocks = raw;
  if (typeof raw === 'string') {
    try {
      blocks = JSON.parse(raw);
    } catch {
      return 'invalid_blocks_format';
    }
  }
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  if (!blocks.every((b) => b && typeof b === 'object' && checkBlock(b as Json))) return 'invalid_blocks';
  if (textLength(blocks) > 13_000) return 'msg_blocks_too_long';
  return undefined;
}

/** Parses blocks as the fake stores them (after `checkBlocks` accepted them). */
export function parseBlocks(raw: unknown): unknown[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as unknown[];
}
