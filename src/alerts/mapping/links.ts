import type { AlertLink } from '../alert.js';
import { nonEmpty } from './json-value.js';
import { parseHttpUrl } from '../../util/parse-http-url.js';

const MAX_URL = 4096;
const MAX_TITLE = 200;

/**
 * A link safe to show in chat: only absolute http(s) URLs, because a `javascript:` or `file:`
 * URL from a payload would otherwise become a clickable button.
 */
export function safeLink(title: unknown, url: unknown): AlertLink | undefined {
  const href = nonEmpty(url);
  const parsed = parseHttpUrl(href, MAX_URL);
  if (!href || !parsed) return undefined;
  const name = (nonEmpty(title) ?? parsed.hostname).replace(/\s+/g, ' ').slice(0, MAX_TITLE);
  return { title: name, url: href };
}

/** Collects links, dropping unsafe ones and repeats of the same URL. */
export function collectLinks(candidates: [title: unknown, url: unknown][]): AlertLink[] {
  const links: AlertLink[] = [];
  const seen = new Set<string>();
  for (const [title, url] of candidates) {
    const link = safeLink(title, url);
    if (link && !seen.has(link.url)) {
      seen.add(link.url);
      links.push(link);
    }
  }
  return links;
}
