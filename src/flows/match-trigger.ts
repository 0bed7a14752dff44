import type { FlowTrigger } from './flow-schema.js';

/** What a trigger's `match` is compared with: an alert, or the incident an event happened to. */
export interface MatchSubject {
  source?: string;
  title: string;
  severity: string;
  labels: Record<string, string>;
}

/** True when every condition of the trigger's `match` holds for the subject. */
export function matchesTrigger(trigger: FlowTrigger, subject: MatchSubject): boolean {
  const { match } = trigger;
  if (match.source !== undefined && !matchText(match.source, subject.source ?? '')) return false;
  if (match.title !== undefined && !matchText(match.title, subject.title)) return false;
  if (match.severity !== undefined) {
    const wanted = Array.isArray(match.severity) ? match.severity : [match.severity];
    if (!(wanted as string[]).includes(subject.severity)) return false;
  }
  for (const [label, pattern] of Object.entries(match.labels ?? {})) {
    const value = subject.labels[label];
    if (value === undefined || !matchText(pattern, value)) return false;
  }
  return true;
}

/** An exact value, a glob with `*` (case-insensitive), a `/regex/flags`, or a list of those. */
export function matchText(pattern: string | string[], value: string): boolean {
  if (Array.isArray(pattern)) return pattern.some((one) => matchText(one, value));
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    try {
      return new RegExp(regex[1]!, regex[2]!.replace(/[^imsu]/g, '')).test(value);
    } catch {
      return false;
    }
  }
  if (pattern.includes('*')) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${source}$`, 'is').test(value);
  }
  return pattern.toLowerCase() === value.toLowerCase();
}
