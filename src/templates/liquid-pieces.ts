/** One Liquid piece of a template: an output or a tag, at its offset. */
const LIQUID_PIECE = /\{\{[\s\S]*?\}\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}|\{%[\s\S]*?%\}/g;

/** Stands for a Liquid piece in the flattened text: a character that may hold a value. */
export const PLACEHOLDER = '\u0000';

export interface FlatTemplate {
  /** The literal text as it renders, each Liquid piece replaced by one `PLACEHOLDER`. */
  flat: string;
  /** The Liquid pieces in order: offset of their `{{` / `{%` in the source, and their text. */
  pieces: { offset: number; text: string }[];
}

/**
 * The literal text of a template with its Liquid pieces marked, for scanners that decide how a
 * value must be escaped from what the template writes around it (shell quoting, JSON strings, URL
 * parts). `{% raw %}` blocks count as their literal text, `{% comment %}` blocks as nothing, and
 * whitespace control (`{{-`, `-%}`) trims as Liquid does, line breaks included.
 * @example flattenLiquid('a "{{ v }}"').flat // 'a "\u0000"'
 */
export function flattenLiquid(source: string): FlatTemplate {
  let flat = '';
  const pieces: FlatTemplate['pieces'] = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(LIQUID_PIECE)) {
    const piece = match[0];
    let literal = source.slice(last, match.index).replaceAll(PLACEHOLDER, '');
    if (trimNext) literal = literal.trimStart();
    if (/^\{[{%]-/.test(piece)) literal = literal.trimEnd();
    flat += literal;
    trimNext = /-[}%]\}$/.test(piece);
    if (/^\{%-?\s*raw/.test(piece)) {
      flat += piece
        .replace(/^\{%[\s\S]*?%\}/, '')
        .replace(/\{%[^%]*%\}$/, '')
        .replaceAll(PLACEHOLDER, '');
    } else if (!/^\{%-?\s*comment/.test(piece)) {
      pieces.push({ offset: match.index, text: piece });
      flat += PLACEHOLDER;
    }
    last = match.index + piece.length;
  }
  const rest = source.slice(last).replaceAll(PLACEHOLDER, '');
  flat += trimNext ? rest.trimStart() : rest;
  return { flat, pieces };
}

/** Whether a piece is an output the flow marked `| raw` (only a trailing `raw` counts). */
export function isRawOutput(piece: string): boolean {
  return /^\{\{[\s\S]*\|\s*raw\s*-?\}\}$/.test(piece);
}
