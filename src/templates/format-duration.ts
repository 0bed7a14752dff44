const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `P1DT2H30M`, `PT45S`, `P2W`; years and months count as 365 and 30 days (only an estimate is shown). */
const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const ISO_DURATION_UNITS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, HOUR, MINUTE, SECOND];

/** Anything longer than this is not an incident duration but bad data. */
const MAX_MS = 100 * 365 * DAY;

/**
 * Reads a length of time in milliseconds from a number of ms, a numeric string, an ISO 8601
 * duration (`PT31M`), an ISO 8601 interval of two instants (`2026-01-01T04:00Z/2026-01-01T04:31Z`)
 * or, when `until` is given, the time from the instant `value` to the instant `until`.
 * Returns undefined when the input is none of these.
 */
export function readDurationMs(value: unknown, until?: unknown): number | undefined {
  if (until !== undefined && until !== null) {
    const start = readInstantMs(value);
    const end = readInstantMs(until);
    return start === undefined || end === undefined ? undefined : end - start;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const iso = ISO_DURATION.exec(text);
  if (iso && text !== 'P' && !text.endsWith('T')) {
    return ISO_DURATION_UNITS.reduce((sum, unit, i) => sum + Number(iso[i + 1] ?? 0) * unit, 0);
  }
  const parts = text.split('/');
  if (parts.length === 2) {
    const start = readInstantMs(parts[0]);
    const end = readInstantMs(parts[1]);
    if (start !== undefined && end !== undefined) return end - start;
  }
  return undefined;
}

/**
 * Writes a length of time the way responders say it: `45 s`, `31 min`, `2 h 5 min`, `3 d 4 h`.
 * Rounds down (elapsed time is never overstated); negative lengths keep their sign.
 * @example formatDuration(31 * 60_000) // "31 min"
 */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${sign}${Math.floor(abs / SECOND)} s`;
  if (abs < HOUR) return `${sign}${Math.floor(abs / MINUTE)} min`;
  if (abs < DAY) {
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    return `${sign}${Math.floor(abs / HOUR)} h${minutes ? ` ${minutes} min` : ''}`;
  }
  const hours = Math.floor((abs % DAY) / HOUR);
  return `${sign}${Math.floor(abs / DAY)} d${hours ? ` ${hours} h` : ''}`;
}

/** The `duration` filter: undefined (shown as missing) when the input is not a length of time. */
export function describeDuration(value: unknown, until?: unknown): string | undefined {
  const ms = readDurationMs(value, until);
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return undefined;
  return formatDuration(ms);
}

function readInstantMs(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  // Only ISO-looking strings: Date.parse accepts many loose formats that would surprise authors.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    return undefined;
  }
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : ms;
}
