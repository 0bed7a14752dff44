/**
 * Turns a value into the text a template shows. Objects and arrays become JSON, not Liquid's
 * `[object Object]` or glued-together items, so `{{ alert.raw.tags }}` shows what the payload held.
 * @example stringifyValue(['db', 'prod']) // ["db","prod"]
 */
export function stringifyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) ?? '';
    } catch {
      // A cycle can only come from objects built in code, never from a JSON payload.
      return '[unprintable]';
    }
  }
  return String(value);
}
