import { query, type JsonValue } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';

// `labels.service`, `alerts[0].title`, `data.items[2]`: names, and indices in brackets.
const DOTTED = /^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/;

/**
 * Why a mapping path cannot be read, or undefined when it is fine. Paths starting with `$` are
 * JSONPath (RFC 9535); others are dotted paths with `[n]` indices.
 */
export function checkPath(path: string): string | undefined {
  if (path.startsWith('$')) {
    try {
      parseJsonPath(path);
      return undefined;
    } catch (error) {
      return `not a valid JSONPath (RFC 9535): ${(error as Error).message}`;
    }
  }
  return DOTTED.test(path) ? undefined : 'expected a dotted path like labels.service or items[0].title, or a JSONPath starting with $';
}

/**
 * The value at `path` in a parsed JSON document (the first match for JSONPath), or undefined.
 * Only the document's own keys are followed, so `constructor` or `__proto__` never reach
 * JavaScript internals.
 */
export function readPath(document: unknown, path: string): unknown {
  if (path.startsWith('$')) return query(document as JsonValue, path)[0];
  let current: unknown = document;
  for (const segment of path.split('.')) {
    const [name, ...indices] = segment.split('[');
    current = ownValue(current, name);
    for (const index of indices) current = ownValue(current, index.slice(0, -1));
    if (current === undefined) return undefined;
  }
  return current;
}

function ownValue(container: unknown, key: string): unknown {
  if (Array.isArray(container)) return /^\d+$/.test(key) ? container[Number(key)] : undefined;
  if (typeof container === 'object' && container !== null && Object.hasOwn(container, key)) {
    return (container as Record<string, unknown>)[key];
  }
  return undefined;
}
