import { query, type JsonValue } from 'jsonpath-rfc9535';
import type { Liquid } from 'liquidjs';
import { encodeUrlValue, quoteShell } from './escape-value.js';
import { describeDuration } from './format-duration.js';
import { stringifyValue } from './stringify-value.js';
import { slugify } from '../util/slugify.js';

/** Filters Sidekick adds to Liquid's standard ones. None runs code or touches the file system. */
export const SIDEKICK_FILTERS = ['jsonpath', 'jsonpath_all', 'shell', 'url', 'duration', 'slugify'] as const;

/** Filters that escape their input for a place; ending an output with the place's own one is not escaped twice. */
export const ESCAPING_FILTERS = { shell: 'shell', url: 'url' } as const;

/**
 * Registers Sidekick's filters on a Liquid instance. Liquid's own `json`, `raw`, `default` and
 * `date` are kept as they are (`date` reads ISO strings).
 */
export function registerTemplateFilters(liquid: Liquid): void {
  liquid.registerFilter('jsonpath', (value: unknown, expression: unknown) => selectJson(value, expression)[0]);
  liquid.registerFilter('jsonpath_all', (value: unknown, expression: unknown) => selectJson(value, expression));
  liquid.registerFilter('shell', (value: unknown) => quoteShell(stringifyValue(value)));
  liquid.registerFilter('url', (value: unknown) => encodeUrlValue(stringifyValue(value)));
  liquid.registerFilter('duration', (value: unknown, until?: unknown) => describeDuration(value, until));
  // Channel and file names from titles: `inc-42-{{ incident.title | slugify }}`.
  liquid.registerFilter('slugify', (value: unknown, max?: unknown) => slugify(stringifyValue(value), typeof max === 'number' ? max : 48, 'incident'));
}

/**
 * Every match of an RFC 9535 JSONPath in a value, in document order; an empty list for a missing
 * value. Throws on a malformed expression (an authoring mistake `checkTemplate` reports first).
 */
export function selectJson(value: unknown, expression: unknown): JsonValue[] {
  if (typeof expression !== 'string') throw new TypeError("jsonpath needs an expression such as '$.tags[0]'");
  if (value === undefined || value === null) return [];
  try {
    return query(value as JsonValue, expression);
  } catch {
    // The parser quotes the expression back, and an expression built from a variable may hold
    // payload text; the details come from `checkTemplate` on the literal instead.
    throw new TypeError('jsonpath: the expression is not valid RFC 9535 JSONPath; run validate for details');
  }
}
