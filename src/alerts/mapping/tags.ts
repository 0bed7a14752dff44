import { textOf } from './json-value.js';

/**
 * Turns `key:value` tags (Datadog's `$TAGS`, Opsgenie's `tags`) into labels. A tag without a
 * colon becomes a label with an empty value; a key seen twice keeps both values, comma-joined
 * (Datadog allows `team:a,team:b`). Accepts a comma-separated string or an array.
 */
export function labelsFromTags(tags: unknown): Record<string, string> {
  // A Map, then fromEntries: a tag named `__proto__` must stay a label, not touch the prototype.
  const labels = new Map<string, string>();
  const list = Array.isArray(tags) ? tags.map((tag) => textOf(tag) ?? '') : typeof tags === 'string' ? tags.split(',') : [];
  for (const entry of list) {
    const tag = entry.trim();
    if (tag === '') continue;
    const colon = tag.indexOf(':');
    const key = (colon === -1 ? tag : tag.slice(0, colon)).trim();
    const value = colon === -1 ? '' : tag.slice(colon + 1).trim();
    if (key === '') continue;
    const previous = labels.get(key);
    if (previous === undefined) labels.set(key, value);
    else if (value !== '' && !previous.split(',').includes(value)) labels.set(key, previous === '' ? value : `${previous},${value}`);
  }
  return Object.fromEntries(labels);
}
