/** Something wrong (or suspicious) in a flow file, with where it is and how to fix it. */
export interface FlowProblem {
  code: string;
  message: string;
  file: string;
  line: number;
  column?: number;
  boxId?: string;
  severity: 'error' | 'warning';
}

/** `FLOW_UNKNOWN_BOX at flows/db.yaml:12 — box type "pots" is not known; did you mean "post"?` */
export function formatProblem(problem: FlowProblem): string {
  const where = `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}`;
  return `${problem.severity === 'warning' ? 'warning ' : ''}${problem.code} at ${where} — ${problem.message}`;
}

/** The closest candidate by edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}

/** " — did you mean "x"?" or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = closest(word, candidates);
  return hint ? `; did you mean "${hint}"?` : '';
}
