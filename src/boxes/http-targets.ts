import { z } from 'zod';

/**
 * One entry of `http.allow` in sidekick.yaml:
 * - a URL prefix, `https://hooks.example.com/services/`: same scheme, host and port, and a path
 *   that is the prefix's or below it (`/services` also allows `/services/x`, never `/services-x`);
 * - a host, `status.example.com` or `[::1]`, any port and path; with a port, `api.internal:8443`,
 *   only that port;
 * - a domain wildcard, `*.example.com`: any host below it (not `example.com` itself).
 */
export type HttpTarget = { kind: 'prefix'; origin: string; path: string } | { kind: 'host'; hostname: string; port?: string; subdomains: boolean };

/** Reads an allow-list entry; throws with a message for the config error when it is not one. */
export function parseHttpTarget(entry: string): HttpTarget {
  const text = entry.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) && text.includes('://')) {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${entry}" is not an http(s) URL`);
    if (url.search || url.hash || url.username || url.password) throw new Error(`"${entry}": a URL prefix has no query, fragment or user`);
    return { kind: 'prefix', origin: url.origin, path: url.pathname };
  }
  const subdomains = text.startsWith('*.');
  const hostPart = subdomains ? text.slice(2) : text;
  if (hostPart === '' || /[/?#@*\s]/.test(hostPart)) throw new Error(`"${entry}" is neither a host (api.example.com[:port], *.example.com) nor a URL prefix`);
  const url = new URL(`http://${hostPart}`);
  const port = /:(\d+)$/.exec(hostPart)?.[1];
  return { kind: 'host', hostname: url.hostname, subdomains, ...(port !== undefined ? { port: String(Number(port)) } : {}) };
}

/** Whether a URL is one of the allowed targets. */
export function isAllowedTarget(url: URL, targets: readonly HttpTarget[]): boolean {
  return targets.some((target) => {
    if (target.kind === 'prefix') {
      if (url.origin !== target.origin) return false;
      const base = target.path.endsWith('/') ? target.path : `${target.path}/`;
      return url.pathname === target.path || url.pathname.startsWith(base);
    }
    const hostMatches = target.subdomains ? url.hostname.endsWith(`.${target.hostname}`) : url.hostname === target.hostname;
    if (!hostMatches) return false;
    return target.port === undefined || effectivePort(url) === target.port;
  });
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** The `http` section of sidekick.yaml. */
export const httpConfigSchema = z
  .object({
    /**
     * Where http-request boxes may send requests: hosts, `*.domain` wildcards or URL prefixes.
     * Absent: anywhere the flow's URL template names. Redirects are held to the same list.
     */
    allow: z
      .array(
        z.string().superRefine((entry, ctx) => {
          try {
            parseHttpTarget(entry);
          } catch (error) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
          }
        }),
      )
      .optional(),
  })
  .strict()
  .default({});
