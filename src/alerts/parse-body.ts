import { AlertIntakeError } from './errors.js';

// Monitors nest a few levels at most; a body nested thousands deep is an attack on every
// recursive step after us (JSON.stringify, templates), so it is refused here.
const MAX_DEPTH = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a webhook body: JSON, or a flat URL-encoded form (Datadog's "Encode as form" option).
 * Throws `ALERT_BAD_JSON` with the parser's message for anything else.
 */
export function parseBody(rawBody: Buffer, contentType?: string): unknown {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new AlertIntakeError('ALERT_BAD_JSON', 'the body is not valid UTF-8; expected JSON');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new AlertIntakeError('ALERT_BAD_JSON', 'the body is empty; expected JSON');
  if (contentType && /^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new AlertIntakeError('ALERT_BAD_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
  // Every level of nesting opens with its own bracket, so a body with few brackets (any monitor's)
  // is not walked: the walk allocated per object on every webhook of a storm.
  if (bracketsAtLeast(text, MAX_DEPTH + 1) && depthOf(payload) > MAX_DEPTH) {
    throw new AlertIntakeError('ALERT_UNMAPPABLE', `the JSON is nested deeper than ${MAX_DEPTH} levels`);
  }
  return payload;
}

/** Whether the text holds at least `count` opening brackets (`{` or `[`, inside strings too). */
function bracketsAtLeast(text: string, count: number): boolean {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code === 0x7b || code === 0x5b) && ++seen >= count) return true;
  }
  return false;
}

// Iterative, so measuring a hostile document cannot itself overflow the stack.
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}
