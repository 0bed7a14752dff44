/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON scalar as text; objects and arrays as compact JSON; null and undefined as undefined. */
export function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** A non-empty trimmed string, or undefined. */
export function nonEmpty(value: unknown): string | undefined {
  const text = textOf(value)?.trim();
  return text ? text : undefined;
}

/** An object's entries as string labels; values that are not text are stored as compact JSON. */
export function labelsOf(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const labels: [string, string][] = [];
  for (const [name, raw] of Object.entries(value)) {
    const text = textOf(raw);
    if (text !== undefined && name !== '') labels.push([name, text]);
  }
  // fromEntries defines own properties, so a label named `__proto__` stays a label.
  return Object.fromEntries(labels);
}

/** The value of a header, whatever its case; repeated headers are joined with `, ` as Node does. */
export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

/** `table[key]` for own keys only, so `constructor` or `__proto__` from a payload finds nothing. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
