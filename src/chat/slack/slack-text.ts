/**
 * Small text helpers for Slack mrkdwn. Slack only needs `&`, `<` and `>` escaped, which is the
 * neutral block model's own escaping (`chat-text.ts`), kept under Slack's name here.
 */

/** Escapes `&`, `<`, `>` for Slack, leaving `&amp;`, `&lt;`, `&gt;` as they are (idempotent). */
export { escapeChatText as escapeSlackText } from '../chat-text.js';

/** True when cutting `text` at `index` would split an entity, a `<link|label>`, or a surrogate pair. */
export function isUnsafeCut(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code >= 0xdc00 && code <= 0xdfff) return true; // low surrogate: its high half is before the cut
  const amp = text.lastIndexOf('&', index - 1);
  if (amp !== -1 && index - amp < 5) {
    const semi = text.indexOf(';', amp);
    if (semi !== -1 && semi >= index && /^&(?:amp|lt|gt);$/.test(text.slice(amp, semi + 1))) return true;
  }
  const open = text.lastIndexOf('<', index - 1);
  if (open !== -1 && text.lastIndexOf('>', index - 1) < open) {
    const close = text.indexOf('>', open);
    // Only a short, well-formed <…> counts as a link/mention worth keeping whole.
    if (close !== -1 && close - open <= 3000 && close >= index) return true;
  }
  return false;
}

/** Moves `index` left to the nearest safe cut (never below 1). */
function safeCut(text: string, index: number): number {
  let cut = index;
  while (cut > 1 && isUnsafeCut(text, cut)) cut -= 1;
  return cut;
}

/**
 * Cuts `text` into chunks of at most `max` characters: at a blank line, else a line end, else a
 * space, else anywhere safe. Nothing is dropped: the chunks joined give the text back.
 */
export function splitSlackText(text: string, max: number): string[] {
  if (max < 8) throw new RangeError('max must be at least 8');
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = -1;
    for (const separator of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(separator);
      // A separator in the first quarter would leave a tiny chunk; a hard cut reads better then.
      if (at >= max / 4) {
        cut = at + separator.length;
        break;
      }
    }
    if (cut === -1 || isUnsafeCut(rest, cut)) cut = safeCut(rest, cut === -1 ? max : cut);
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/**
 * Splits mrkdwn that may contain ``` fences: a chunk cut inside a fence is closed, and the next
 * chunk reopens it, so code stays monospaced on both sides of the cut.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const room = max - 8; // room for a closing "\n```" and an opening "```\n"
  const raw = splitSlackText(text, room);
  const out: string[] = [];
  let open = false;
  for (const chunk of raw) {
    let piece = open ? '```\n' + chunk : chunk;
    const fences = (chunk.match(/```/g) ?? []).length;
    if (fences % 2 === 1) open = !open;
    if (open) piece += '\n```';
    out.push(piece);
  }
  return out;
}

/** Shortens to `max` characters with an ellipsis, never cutting an entity or a surrogate pair. */
export function truncateSlackText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = safeCut(text, max - 1);
  return text.slice(0, cut).trimEnd() + '…';
}

/** True when the text has something visible (Slack rejects empty and blank text objects). */
export function hasVisibleText(text: string): boolean {
  return /\S/.test(text);
}
