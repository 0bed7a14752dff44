/** Undo and redo over the flow's YAML text: every edit is a new text, so history is a list of texts. */

export interface EditHistory {
  past: string[];
  present: string;
  future: string[];
  /** Edits with the same key in a row (typing in one field) become one undo step. */
  lastKey?: string;
}

const LIMIT = 200;

/** A history that starts at `text`. */
export function startHistory(text: string): EditHistory {
  return { past: [], present: text, future: [] };
}

/** Records a new text; a repeated `coalesceKey` replaces the last step instead of adding one. */
export function recordEdit(history: EditHistory, text: string, coalesceKey?: string): EditHistory {
  if (text === history.present) return history;
  if (coalesceKey !== undefined && coalesceKey === history.lastKey) {
    return { past: history.past, present: text, future: [], lastKey: coalesceKey };
  }
  return { past: [...history.past, history.present].slice(-LIMIT), present: text, future: [], lastKey: coalesceKey };
}

/** Steps back one edit (no-op at the start). */
export function undoEdit(history: EditHistory): EditHistory {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

/** Steps forward one undone edit (no-op at the end). */
export function redoEdit(history: EditHistory): EditHistory {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
