import { flattenLiquid, PLACEHOLDER } from './liquid-pieces.js';

/**
 * Where a `{{ … }}` lands in a JSON body, read from the template's literal text before it:
 * - `string`: inside a JSON string (`"text": "{{ alert.title }}"`); the value is escaped as string
 *   content, so a `"` or `\` in it cannot end the string.
 * - `value`: where a JSON value goes (`"count": {{ alert.raw.count }}`); the value is written as
 *   JSON: a number stays a number, text becomes a quoted string, lists and objects become JSON.
 * - `escaped`: right after a backslash in a string, where the value's first character would be
 *   read as an escape; refused.
 */
export type JsonContext = 'string' | 'value' | 'escaped';

/**
 * The JSON context at every Liquid output and tag of a body template, keyed by the offset of its
 * `{{` or `{%` in the source.
 * @example jsonContexts('{"a": "{{ v }}", "b": {{ w }}}') // Map { 7 => 'string', 21 => 'value' }
 */
export function jsonContexts(source: string): Map<number, JsonContext> {
  const { flat, pieces } = flattenLiquid(source);
  const contexts = new Map<number, JsonContext>();
  let inString = false;
  let piece = 0;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === PLACEHOLDER) {
      const offset = pieces[piece++]?.offset;
      if (offset !== undefined) contexts.set(offset, inString ? 'string' : 'value');
    } else if (inString && c === '\\') {
      if (flat[i + 1] === PLACEHOLDER) {
        const offset = pieces[piece++]?.offset;
        if (offset !== undefined) contexts.set(offset, 'escaped');
      }
      i += 1;
    } else if (c === '"') {
      inString = !inString;
    }
  }
  return contexts;
}

/**
 * Writes a value for its place in a JSON body. `value` is what the output evaluated to, `text` the
 * same as shown text (what a string place gets).
 * @example escapeForJsonContext('say "hi"', 'say "hi"', 'string') // say \"hi\"
 */
export function escapeForJsonContext(value: unknown, text: string, context: Exclude<JsonContext, 'escaped'>): string {
  if (context === 'string') return JSON.stringify(text).slice(1, -1);
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  if (typeof value === 'boolean') return JSON.stringify(value);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    try {
      const json = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
      if (json !== undefined) return json;
    } catch {
      // A cycle cannot come from a payload; it is written as its text below.
    }
  }
  return JSON.stringify(text);
}
