/**
 * A readable, ASCII-only slug of a title: lowercase letters, digits and single hyphens, at most
 * `max` characters, never empty. Safe in file names and URL paths (no dots, slashes or NULs).
 */
export function slugify(title: string, max = 48, fallback = 'incident'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || fallback;
}
