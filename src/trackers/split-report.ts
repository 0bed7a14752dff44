/**
 * Splits a report into pieces that each fit a size limit (GitHub: 65,536 characters per issue
 * body or comment), on line boundaries, preferring section boundaries, never losing a line.
 * A code fence cut in two is closed at the end of one piece and reopened at the start of the next,
 * so every piece renders on its own.
 */

/** Room kept in each piece for the marker, the "part k of n" line and a reopened fence. */
const OVERHEAD = 1_000;

export interface SplitOptions {
  /** The most characters (UTF-16 code units, which never undercount) one piece may hold. */
  maxChars: number;
}

/** Splits `markdown` into pieces of at most `maxChars - 1000` characters each. */
export function splitReport(markdown: string, options: SplitOptions): string[] {
  const budget = options.maxChars - OVERHEAD;
  if (budget < 200) throw new Error(`maxChars ${options.maxChars} leaves no room for content`);
  if (markdown.length <= budget) return [markdown];
  const lines = markdown.split('\n').flatMap((line) => splitLongLine(line, budget - 200));
  const sections = sectionStarts(lines);

  const pieces: string[] = [];
  let current: string[] = [];
  let size = 0;
  let fence: Fence | undefined;
  const flush = () => {
    if (fence) current.push(`${fence.indent}${fence.marker}`);
    pieces.push(current.join('\n'));
    current = fence ? [`${fence.indent}${fence.marker}${fence.info}`] : [];
    size = current.reduce((n, l) => n + l.length + 1, 0);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Start a new piece at a section heading when the whole section would fit there but not here.
    const sectionSize = sections.get(i);
    if (sectionSize !== undefined && size > 0 && size + sectionSize > budget && sectionSize <= budget) flush();
    if (size > 0 && size + line.length + 1 > budget) flush();
    current.push(line);
    size += line.length + 1;
    fence = nextFence(fence, line);
  }
  if (current.length > 0) {
    fence = undefined;
    pieces.push(current.join('\n'));
  }
  return pieces;
}

interface Fence {
  indent: string;
  marker: string;
  info: string;
}

/** Fence state after `line`: opens on ``` or ~~~, closes on a run of the same character at least as long. */
function nextFence(open: Fence | undefined, line: string): Fence | undefined {
  const match = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return open;
  const [, indent, marker, info] = match;
  if (!open) return marker[0] === '`' && info.includes('`') ? undefined : { indent, marker, info };
  return marker[0] === open.marker[0] && marker.length >= open.marker.length && info.trim() === '' ? undefined : open;
}

/** Line index of each `## ` heading outside code fences → the size of its section. */
function sectionStarts(lines: string[]): Map<number, number> {
  const starts: number[] = [];
  let fence: Fence | undefined;
  lines.forEach((line, i) => {
    if (!fence && /^#{1,2} /.test(line)) starts.push(i);
    fence = nextFence(fence, line);
  });
  const sizes = new Map<number, number>();
  starts.forEach((start, k) => {
    const end = starts[k + 1] ?? lines.length;
    let size = 0;
    for (let i = start; i < end; i++) size += lines[i].length + 1;
    sizes.set(start, size);
  });
  return sizes;
}

/** A line longer than `max` is cut hard, never inside a surrogate pair. */
function splitLongLine(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = max;
    const code = rest.charCodeAt(cut);
    if (code >= 0xdc00 && code <= 0xdfff) cut--;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}
