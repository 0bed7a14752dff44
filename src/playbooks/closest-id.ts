/**
 * The candidate most like `wanted`, for "did you mean" hints, or undefined when nothing is close
 * enough to be a plausible typo (a hint that points somewhere random is worse than none).
 */
export function findClosestId(wanted: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = measureEditDistance(wanted, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance; ids are short, so the quadratic cost is irrelevant — but cap it anyway. */
export function measureEditDistance(a: string, b: string): number {
  // Hostile documents can carry megabyte-long "ids"; beyond this they are not typos of each other.
  const limit = 200;
  if (a.length > limit || b.length > limit) return Math.abs(a.length - b.length) + limit;
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
