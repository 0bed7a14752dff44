/**
 * Autocomplete for template fields: the variables a flow's templates can read, with the alert's
 * fields taken from a sample payload, and where in the text a variable is being typed.
 */
import type { FlowLike } from './flow-yaml.js';
import type { BoxInfo } from '../api/types.js';

export interface Suggestion {
  path: string;
  /** A short example value or what the variable is. */
  hint: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PATHS = 400;

const FIXED: Suggestion[] = [
  { path: 'alert.title', hint: 'the alert title' },
  { path: 'alert.severity', hint: 'critical, high, warning or info' },
  { path: 'alert.status', hint: 'firing or resolved' },
  { path: 'alert.source', hint: 'datadog, alertmanager, …' },
  { path: 'alert.labels', hint: 'labels and tags' },
  { path: 'alert.links', hint: 'links the monitor sent' },
  { path: 'alert.dedup_key', hint: 'the monitor’s key for this problem' },
  { path: 'alert.starts_at', hint: 'when it started' },
  { path: 'incident.number', hint: 'INC number' },
  { path: 'incident.title', hint: 'incident title' },
  { path: 'incident.severity', hint: 'incident severity' },
  { path: 'incident.status', hint: 'investigating, mitigated, resolved' },
  { path: 'incident.url', hint: 'link to the incident room' },
  { path: 'incident.meeting_url', hint: 'the meeting link' },
  { path: 'incident.responders', hint: 'people responding' },
  { path: 'flow.name', hint: 'this flow' },
  { path: 'now', hint: 'the current time' },
];

function preview(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (typeof value === 'object') return 'object';
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Every path into a payload (`alert.raw.tags[0]`, `alert.raw["host-name"]`), capped for huge payloads. */
export function pathsOfValue(value: unknown, prefix: string, out: Suggestion[] = [], depth = 0): Suggestion[] {
  if (out.length >= MAX_PATHS || depth > 8) return out;
  if (Array.isArray(value)) {
    if (value.length > 0) {
      out.push({ path: `${prefix}[0]`, hint: preview(value[0]) });
      pathsOfValue(value[0], `${prefix}[0]`, out, depth + 1);
    }
    return out;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (out.length >= MAX_PATHS) break;
      const path = IDENTIFIER.test(key) ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
      out.push({ path, hint: preview(child) });
      pathsOfValue(child, path, out, depth + 1);
    }
  }
  return out;
}

/**
 * Everything a template in this flow can read, given the sample alert payload; each box's output
 * fields as its type declares them (`produces` in `/api/boxes`).
 */
export function templateSuggestions(flow: FlowLike | undefined, payload: unknown, infos?: ReadonlyMap<string, BoxInfo>): Suggestion[] {
  const list = [...FIXED];
  pathsOfValue(payload, 'alert.raw', list);
  for (const [name, value] of Object.entries(flow?.vars ?? {})) {
    if (IDENTIFIER.test(name)) list.push({ path: `vars.${name}`, hint: preview(value) });
  }
  for (const box of flow?.boxes ?? []) {
    if (!IDENTIFIER.test(box.id)) continue;
    list.push({ path: `boxes.${box.id}`, hint: `output of box ${box.id}` });
    for (const field of infos?.get(box.type)?.produces ?? []) list.push({ path: `boxes.${box.id}.${field}`, hint: `from box ${box.id}` });
  }
  return list;
}

/** The variable being typed at `caret` inside an open `{{ … }}` or `{% … %}`, if any. */
export function partialAt(text: string, caret: number): { start: number; partial: string } | undefined {
  const before = text.slice(0, caret);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (open === -1) return undefined;
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  if (close > open) return undefined;
  const match = /[A-Za-z0-9_.[\]"'-]*$/.exec(before.slice(open + 2));
  const partial = match ? match[0] : '';
  return { start: caret - partial.length, partial };
}

/** Suggestions for a partial path: prefix matches first, then others containing it. */
export function filterSuggestions(list: Suggestion[], partial: string, limit = 12): Suggestion[] {
  const needle = partial.toLowerCase();
  const prefix = list.filter((item) => item.path.toLowerCase().startsWith(needle));
  const inside = needle ? list.filter((item) => !item.path.toLowerCase().startsWith(needle) && item.path.toLowerCase().includes(needle)) : [];
  return [...prefix, ...inside].slice(0, limit);
}

/** Puts `path` in place of the partial and closes the tag when it is not closed yet. */
export function applySuggestion(text: string, caret: number, start: number, path: string): { text: string; caret: number } {
  const after = text.slice(caret);
  const openTag = text.lastIndexOf('{{', start) > text.lastIndexOf('{%', start) ? '}}' : '%}';
  const closed = /^[A-Za-z0-9_.[\]"'-]*\s*(\||}}|%})/.test(after) || after.trimStart().startsWith(openTag);
  const rest = after.replace(/^[A-Za-z0-9_.[\]"'-]*/, '');
  const insert = closed ? path : `${path} ${openTag}`;
  return { text: text.slice(0, start) + insert + rest, caret: start + insert.length };
}
