import { SEVERITIES, type Severity } from '../alert.js';
import { lookup } from './json-value.js';

// Words monitors and people use for urgency. Vendors that have their own scale (Datadog and
// Opsgenie P1–P5, PagerDuty priorities) go through `severityFromPriority` instead.
const WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  fatal: 'critical',
  disaster: 'critical',
  page: 'critical',
  sev0: 'critical',
  sev1: 'critical',
  p0: 'critical',
  high: 'high',
  error: 'high',
  err: 'high',
  major: 'high',
  alert: 'high',
  urgent: 'high',
  sev2: 'high',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  moderate: 'warning',
  minor: 'warning',
  average: 'warning',
  sev3: 'warning',
  info: 'info',
  informational: 'info',
  information: 'info',
  low: 'info',
  notice: 'info',
  none: 'info',
  debug: 'info',
  ok: 'info',
  sev4: 'info',
  sev5: 'info',
};

/** Maps `P1`…`P5` onto the four severities (P1 critical, P2 high, P3 warning, P4 and P5 info). */
export function severityFromPriority(value: unknown): Severity | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const match = /^p?([0-5])$/i.exec(String(value).trim());
  if (!match) return undefined;
  return (['critical', 'critical', 'high', 'warning', 'info', 'info'] as const)[Number(match[1])];
}

/** Maps a severity word (`critical`, `warn`, `error`, `P2`…) onto the four severities, if known. */
export function severityFromWord(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(word)) return word as Severity;
  return lookup(WORDS, word) ?? (/^p\d$/.test(word) ? severityFromPriority(word) : undefined);
}
