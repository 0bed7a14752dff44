import { expect } from 'vitest';

/**
 * Asserts every line of `original` appears in `pieces`, in order. A line longer than a piece may
 * arrive cut into consecutive lines, which must join back into it. Extra lines (markers, part
 * headings, reopened fences) are allowed between.
 */
export function expectLinesInOrder(original: string, pieces: string[]): void {
  const have = pieces.join('\n').split('\n');
  let p = 0;
  const lines = original.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let found = false;
    while (p < have.length) {
      if (have[p] === line) {
        found = true;
        p++;
        break;
      }
      if (line.length > 0 && have[p].length > 0 && line.startsWith(have[p]) && have[p].length < line.length) {
        let joined = have[p];
        let q = p + 1;
        while (q < have.length && joined.length < line.length && line.startsWith(joined + have[q])) joined += have[q++];
        if (joined === line) {
          found = true;
          p = q;
          break;
        }
      }
      p++;
    }
    if (!found) expect.fail(`line ${i + 1} of ${lines.length} is missing or out of order: ${JSON.stringify(line.slice(0, 120))}`);
  }
}
