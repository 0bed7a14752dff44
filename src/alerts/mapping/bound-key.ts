import { createHash } from 'node:crypto';

/**
 * Keeps an identifier (dedup key, group key) at most `max` characters: longer ones keep a
 * readable head and end in a hash of the whole, so distinct long keys stay distinct. Keys name
 * job queues, index rows and appear in the UI, so a hostile payload must not make them unbounded.
 */
export function boundKey(key: string, max = 256): string {
  if (key.length <= max) return key;
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 32);
  // Cut by code points, so the head never ends in half an emoji.
  let head = '';
  for (const char of key) {
    if (head.length + char.length > max - 34) break;
    head += char;
  }
  return `${head}…#${digest}`;
}
