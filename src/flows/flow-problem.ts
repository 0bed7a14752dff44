import { findClosest } from '../util/find-closest.js';

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

/** " — did you mean "x"?" or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = findClosest(word, candidates, { ignoreCase: true });
  return hint ? `; did you mean "${hint}"?` : '';
}
