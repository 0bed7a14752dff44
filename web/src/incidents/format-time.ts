/** Short human durations and clock times for the incident views. */

/** `45s`, `12m`, `3h 5m`, `2d 4h`: how long ago `since` was at `now`. */
export function formatAge(since: string, now: Date): string {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return '?';
  const seconds = Math.max(0, Math.floor((now.getTime() - start) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** `04:12:09 CET` in the viewer's time zone, the zone named (the full ISO time goes in a `title`). */
export function formatClock(at: string, timeZone?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'short', timeZone });
}

/** `3 Dec, 04:12 CET`: a date and time in the viewer's time zone, the zone named. */
export function formatDateTime(at: string, timeZone?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return date.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short', timeZone });
}
