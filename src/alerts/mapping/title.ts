const MAX_TITLE = 1000;

/**
 * A title fit for a channel topic or a message heading: control characters and line breaks
 * become spaces, runs of spaces collapse, and very long titles are cut (the full text stays in
 * `raw`). Bidirectional overrides are dropped so a title cannot display reversed text
 * ("Trojan Source"). Template syntax like `{{ }}` is kept as text; it is never evaluated.
 */
export function cleanTitle(value: string): string {
  const flat = value
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= MAX_TITLE) return flat;
  // Cut by code points so an emoji is never split into a lone surrogate.
  return `${Array.from(flat)
    .slice(0, MAX_TITLE - 1)
    .join('')}…`;
}
