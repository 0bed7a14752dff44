/**
 * `text` as an absolute http(s) URL, or undefined for anything else: empty, longer than
 * `maxLength`, relative, or another scheme (a `javascript:`, `data:` or `file:` URL must never
 * become a link people click).
 */
export function parseHttpUrl(text: string | undefined, maxLength: number): URL | undefined {
  if (!text || text.length > maxLength) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}
