/**
 * Finds where each interpolated value sits inside a rendered command, so the UI can show on hover
 * which alert field it came from (`db-7` ← `alert.raw.host`).
 */

export interface SourcedSegment {
  text: string;
  /** The template path the text came from, when it is an interpolated value. */
  path?: string;
}

/** Splits `text` into plain and sourced segments; longer values win so `db-70` is not marked as `db-7`. */
export function markSources(text: string, sources: { path: string; value: string }[] = []): SourcedSegment[] {
  const candidates = sources.filter((source) => typeof source.value === 'string' && source.value.length > 0).sort((a, b) => b.value.length - a.value.length);
  if (candidates.length === 0) return text ? [{ text }] : [];
  const owner: (string | undefined)[] = new Array(text.length);
  for (const { path, value } of candidates) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      let free = true;
      for (let k = at; k < at + value.length; k++) if (owner[k] !== undefined) free = false;
      if (free) for (let k = at; k < at + value.length; k++) owner[k] = path;
    }
  }
  const segments: SourcedSegment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || owner[i] !== owner[start]) {
      const path = owner[start];
      segments.push(path === undefined ? { text: text.slice(start, i) } : { text: text.slice(start, i), path });
      start = i;
    }
  }
  return segments;
}
