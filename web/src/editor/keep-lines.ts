/**
 * The `yaml` printer keeps comments, key order and quoting, but normalises spacing (`a:   # note`
 * becomes `a: # note`, runs of blank lines shrink). So that saving a flow changes only the lines
 * the person edited, lines the edit did not touch are copied back from the original file.
 */
import { parse } from 'yaml';

/** The edited text with every untouched line spelled as in `original`. `printed` is `original` as printed before the edit. */
export function keepOriginalLines(original: string, printed: string, edited: string): string {
  if (original === printed) return edited;
  const O = original.split('\n');
  const B = printed.split('\n');
  const N = edited.split('\n');
  const { pairOf, extrasBefore, trailing } = alignNormalised(O, B);
  const fromBase = matchLines(B, N);
  const out: string[] = [];
  let lastBase = -1;
  N.forEach((line, n) => {
    const b = fromBase[n]!;
    if (b === -1) {
      out.push(line);
      return;
    }
    if (b === lastBase + 1 || lastBase === -1) for (const extra of extrasBefore[b]!) out.push(O[extra]!);
    out.push(pairOf[b]! >= 0 ? O[pairOf[b]!]! : line);
    lastBase = b;
  });
  if (lastBase === B.length - 1) for (const extra of trailing) out.push(O[extra]!);
  const merged = out.join('\n');
  // The copy-back must never change meaning; if it would, the printer's text is the safe answer.
  try {
    return JSON.stringify(parse(merged, { maxAliasCount: 100 })) === JSON.stringify(parse(edited, { maxAliasCount: 100 })) ? merged : edited;
  } catch {
    return edited;
  }
}

/** For each line of `b`, the index of the equal line of `a` on a longest common subsequence, or -1. */
function matchLines(a: string[], b: string[]): number[] {
  const pairs = lcs(a, b, (x, y) => x === y);
  const result = new Array<number>(b.length).fill(-1);
  for (const [i, j] of pairs) result[j] = i;
  return result;
}

/** Pairs original lines with printed lines, equal once whitespace is ignored; unpaired originals ride along with the next pair. */
function alignNormalised(O: string[], B: string[]) {
  const squash = (line: string) => line.replace(/\s+/g, '');
  const pairs = lcs(O, B, (x, y) => x === y || squash(x) === squash(y));
  const pairOf = new Array<number>(B.length).fill(-1);
  const extrasBefore: number[][] = B.map(() => []);
  const trailing: number[] = [];
  let o = 0;
  for (const [i, j] of pairs) {
    for (; o < i; o++) if (O[o]!.trim() === '') extrasBefore[j]!.push(o);
    pairOf[j] = i;
    o = i + 1;
  }
  for (; o < O.length; o++) if (O[o]!.trim() === '') trailing.push(o);
  // Blank lines the printer kept are paired already; only the extra blank lines are carried over.
  return { pairOf, extrasBefore, trailing };
}

function lcs(a: string[], b: string[], equal: (x: string, y: string) => boolean): [number, number][] {
  // Flow files are small (hundreds of lines); a plain table is fine and simplest to trust.
  if (a.length * b.length > 4_000_000) return [];
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] = equal(a[i]!, b[j]!) ? table[(i + 1) * cols + j + 1]! + 1 : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (equal(a[i]!, b[j]!) && table[i * cols + j] === table[(i + 1) * cols + j + 1]! + 1) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  return pairs;
}
