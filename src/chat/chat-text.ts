/**
 * Text in the neutral block model (`chat.ts`): markdown-ish, with `<url|label>` links, so `&`, `<`
 * and `>` in values are escaped as entities, which each adapter renders back. Text from the
 * template engine already is, so escaping leaves existing entities alone (escaping twice would
 * show `&amp;lt;` to people).
 */

const BARE_AMPERSAND = /&(?!(?:amp|lt|gt);)/g;

/** Escapes `&`, `<`, `>`, leaving `&amp;`, `&lt;`, `&gt;` as they are (idempotent). */
export function escapeChatText(text: string): string {
  return text.replace(BARE_AMPERSAND, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
