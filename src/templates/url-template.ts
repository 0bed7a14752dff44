import { flattenLiquid, isRawOutput, PLACEHOLDER } from './liquid-pieces.js';

/** What the literal text of a URL template says about where the request goes. */
export interface UrlTemplateOrigin {
  /** `https://api.example.com:8443`, when the template writes scheme and host (and port) itself. */
  literalOrigin?: string;
  /**
   * Liquid pieces that form the scheme, user, host or port, with their offsets. Only those ending in
   * `| raw` are the flow's explicit choice; any other means the data could pick the target.
   */
  hostValues: { offset: number; text: string; raw: boolean }[];
}

/**
 * Reads which part of a URL template forms the origin (scheme, user info, host, port): everything
 * before the first `/`, `?`, `#` or `\` after `scheme://`. Values interpolated there decide where the
 * request goes, which is never something alert data may do.
 * @example urlTemplateOrigin('https://{{ alert.labels.host }}/x').hostValues[0].raw // false
 */
export function urlTemplateOrigin(source: string): UrlTemplateOrigin {
  const { flat, pieces } = flattenLiquid(source);
  const separator = flat.indexOf('://');
  // `\` ends the host too: URL parsers read it as `/` in http(s) URLs.
  const authorityStart = separator !== -1 && !/[/?#\\]/.test(flat.slice(0, separator)) ? separator + 3 : 0;
  const rest = flat.slice(authorityStart).search(/[/?#\\]/);
  const authorityEnd = rest === -1 ? flat.length : authorityStart + rest;
  const hostValues: UrlTemplateOrigin['hostValues'] = [];
  let index = 0;
  for (let i = 0; i < authorityEnd; i++) {
    if (flat[i] !== PLACEHOLDER) continue;
    const piece = pieces[index++];
    if (piece) hostValues.push({ offset: piece.offset, text: piece.text, raw: isRawOutput(piece.text) });
  }
  if (hostValues.length > 0) return { hostValues };
  const literal = flat.slice(0, authorityEnd);
  try {
    const url = new URL(literal);
    return { literalOrigin: url.origin === 'null' ? undefined : url.origin, hostValues };
  } catch {
    return { hostValues };
  }
}

/**
 * Whether a URL's path holds a `.` or `..` segment, also percent-encoded: URL parsers resolve them
 * (`/api/%2e%2e/admin` is `/admin`), so a value could climb out of the path the template wrote.
 */
export function hasDotSegment(url: string): boolean {
  const afterScheme = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '');
  const path = afterScheme.split(/[?#]/, 1)[0] ?? '';
  return path.split(/[/\\]/).some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
