/**
 * A display name as people type it, made safe to show: control and bidi-override characters
 * removed, whitespace folded, at most 80 characters. Undefined when nothing visible is left.
 * Escaping for where the name lands (chat, HTML, Markdown) still happens there.
 */
export function cleanDisplayName(input: string): string | undefined {
  const clean = input
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .trim();
  return clean ? clean : undefined;
}
