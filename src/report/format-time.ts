/** `04:05:00` on the incident's first day (UTC), `2026-01-02 04:05:00` on any other; `—` if not a time. */
export function formatClock(value: unknown, day: string): string {
  const at = isoOf(value);
  if (!at) return '—';
  return at.slice(0, 10) === day ? at.slice(11, 19) : `${at.slice(0, 10)} ${at.slice(11, 19)}`;
}

/** `2026-01-01 04:05:00 UTC`, or `—` if not a time. */
export function formatDateTime(value: unknown): string {
  const at = isoOf(value);
  return at ? `${at.slice(0, 10)} ${at.slice(11, 19)} UTC` : '—';
}

function isoOf(value: unknown): string | undefined {
  const t = Date.parse(String(value ?? ''));
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}
