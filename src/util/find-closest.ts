/**
 * The candidate most like `wanted`, for "did you mean" hints (flow box types, box ids, outputs,
 * playbook pages), or undefined when nothing is close enough to be a plausible typo (a hint that
 * points somewhere random is worse than none). `ignoreCase` compares without case.
 */
export function findClosest(wanted: string, candidates: Iterable<string>, options: { ignoreCase?: boolean } = {}): string | undefined {
  // Ids this long are not typos of each other, and comparing them would cost length squared.
  if (wanted.length > MAX_COMPARED_LENGTH) return undefined;
  const fold = (text: string) => (options.ignoreCase ? text.toLowerCase() : text);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.length > MAX_COMPARED_LENGTH) continue;
    const distance = measureEditDistance(fold(wanted), fold(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Longest id compared character by character. */
const MAX_COMPARED_LENGTH = 200;

/**
 * Levenshtein distance. Beyond 200 characters it answers the longer length, an upper bound,
 * instead of spending length-squared time on a hostile megabyte-long "id".
 */
export function measureEditDistance(a: string, b: string): number {
  if (a.length > MAX_COMPARED_LENGTH || b.length > MAX_COMPARED_LENGTH) return a === b ? 0 : Math.max(a.length, b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
