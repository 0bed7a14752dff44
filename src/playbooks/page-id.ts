/** Longest id a slug may produce: ids travel inside button values, which Slack caps. */
const MAX_SLUG_LENGTH = 80;

const EXPLICIT_ID = /\s*\{#([^\s{}]+)\}\s*$/u;

/** Splits `Check the tunnel {#tunnel}` into its title and explicit id, when it has one. */
export function splitHeadingId(heading: string): { title: string; id?: string } {
  const match = EXPLICIT_ID.exec(heading);
  if (!match) return { title: heading.trim() };
  return { title: heading.slice(0, match.index).trim(), id: match[1] };
}

/**
 * GitHub's anchor for a heading (lower case, punctuation dropped, each space a hyphen), so that
 * `[Yes](#is-the-tunnel-up)` works both in Sidekick and when the playbook is read on GitHub.
 */
export function slugHeading(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
    .slice(0, MAX_SLUG_LENGTH);
}

/** The page id a choice's link points at: `#check-tunnel` → `check-tunnel`; undefined if not a page link. */
export function readPageLink(href: string): string | undefined {
  if (!href.startsWith('#')) return undefined;
  const fragment = href.slice(1);
  try {
    return decodeURIComponent(fragment);
  } catch {
    // A stray `%` is not an encoding; the author meant the text as written.
    return fragment;
  }
}
