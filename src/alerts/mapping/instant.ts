/**
 * Reads a time the way monitors send it — ISO 8601, or epoch seconds / milliseconds /
 * nanoseconds as a number or a string — and returns ISO 8601 UTC. Go's zero time
 * (`0001-01-01T00:00:00Z`, Alertmanager's "no end yet") and unreadable values give undefined.
 */
export function toInstant(value: unknown): string | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = epochToMs(value);
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    ms = /^\d+(\.\d+)?$/.test(text) ? epochToMs(Number(text)) : Date.parse(text);
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  // Years before 1971 are Go zero times or epoch-0 placeholders, never a real alert.
  if (ms < 31_536_000_000 || ms > 32_503_680_000_000) return undefined;
  return new Date(ms).toISOString();
}

// Epoch units told apart by magnitude: below 1e11 seconds (until year 5138), below 1e14
// milliseconds, then microseconds, then nanoseconds (Opsgenie's `updatedAt`).
function epochToMs(value: number): number {
  if (value < 1e11) return value * 1000;
  if (value < 1e14) return value;
  if (value < 1e17) return value / 1000;
  return value / 1e6;
}
