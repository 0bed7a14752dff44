import { createHash } from 'node:crypto';

/**
 * The content hash alerts are deduplicated by within the dedup window: sha256 of the source and
 * the canonical JSON (keys sorted at every level) of the raw payload, so that a monitor resending
 * the same body with its keys in another order is still recognised.
 */
export function hashAlertContent(source: string, raw: unknown): string {
  return createHash('sha256').update(source).update('\n').update(canonicalJson(raw)).digest('hex');
}

/** JSON with object keys sorted at every level; undefined and functions vanish as in JSON.stringify. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // Honour toJSON (Dates) the way JSON.stringify would, before sorting.
  const plain = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return sortKeys(plain);
  // A null prototype keeps a hostile "__proto__" key an ordinary property that is hashed too.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(plain).sort()) sorted[key] = sortKeys((plain as Record<string, unknown>)[key]);
  return sorted;
}
