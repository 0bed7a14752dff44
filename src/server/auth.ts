import { isIP } from 'node:net';

/**
 * True when `host` (a bind address or a URL's host name) only reaches this machine: `localhost`,
 * 127.0.0.0/8, `::1` and IPv4-mapped 127.x. Compares addresses, never prefixes, so
 * `127.example.com` is not loopback.
 */
export function isLoopback(host: string): boolean {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  if (name.endsWith('.') && !isIP(name)) name = name.slice(0, -1);
  if (name === 'localhost') return true;
  const version = isIP(name);
  if (version === 4) return name.split('.')[0] === '127';
  if (version !== 6) return false;
  let canonical: string;
  try {
    canonical = new URL(`http://[${name}]/`).hostname.slice(1, -1);
  } catch {
    return false; // a scoped address (fe80::1%eth0) is a real interface
  }
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canonical);
}

/** True when the URL's host is loopback (`http://127.1/` and `http://[::1]:8080` are; a name that merely starts with 127 is not). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopback(new URL(url).hostname);
  } catch {
    return false;
  }
}

export interface Access {
  /** Every `/api/` route (but session, login and logout) and the UI's data need a session. */
  loginRequired: boolean;
  /** One line for the start-up log. */
  summary: string;
}

/**
 * Who may reach the web UI and the API. A login (the web password, local accounts or single
 * sign-on) is required whenever one is configured; with none, Sidekick only starts when nothing but
 * this machine can reach it (loopback bind and no public URL beyond loopback): the quick start.
 * Anything else refuses with a fix-it message. `localAccounts` says whether `sidekick users add`
 * made any.
 */
export function decideAccess(config: { server: { host: string; publicUrl?: string }; web: { password?: string; oidc?: { issuer: string } } }, localAccounts = false): Access {
  const { host, publicUrl } = config.server;
  const ways = [config.web.password && 'the web password', localAccounts && 'local accounts', config.web.oidc && 'single sign-on'].filter(Boolean);
  if (ways.length > 0) {
    return { loginRequired: true, summary: `web access: login required for the UI and /api/ (${ways.join(', ')}); listening on ${host}` };
  }
  const fix = 'set SIDEKICK_WEB_PASSWORD, add an account (`sidekick users add <name>`) or configure single sign-on (SIDEKICK_OIDC_ISSUER)';
  if (!isLoopback(host)) {
    throw new Error(`refusing to listen on ${host} without a web login: ${fix}, or bind to 127.0.0.1`);
  }
  if (publicUrl && !isLoopbackUrl(publicUrl)) {
    throw new Error(
      `refusing to start: the public URL ${publicUrl} says Sidekick is reached from beyond this machine (a reverse proxy), but no web login is configured. ` +
        `${fix[0]!.toUpperCase()}${fix.slice(1)} (SIDEKICK_WEB_PASSWORD or web.password in sidekick.yaml), or unset SIDEKICK_PUBLIC_URL for a loopback-only setup`,
    );
  }
  return { loginRequired: false, summary: `web access: open without login (loopback bind ${host}, no web login configured, no public URL beyond loopback)` };
}

/** Paths that must sit behind the login: the JSON API and the MCP endpoint, in any case. */
export function needsSession(path: string): boolean {
  return /^\/(api|mcp)(\/|$)/i.test(path);
}

/**
 * True when a request path, however spelled (percent-encoded once or more, any case, doubled
 * slashes, dot segments, `;` parameters), names the API or MCP. For answering unmatched paths
 * with a plain 404 instead of the web app; never used to grant access.
 */
export function spellsProtectedPath(url: string): boolean {
  let path = url.split(/[?#]/)[0] ?? '';
  for (let round = 0; round < 4; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      break;
    }
    if (decoded === path) break;
    path = decoded;
  }
  path = path
    .replace(/\\/g, '/')
    .replace(/;[^/]*/g, '')
    .replace(/\/{2,}/g, '/');
  try {
    path = new URL(path.startsWith('/') ? path : `/${path}`, 'http://sidekick.invalid').pathname;
  } catch {
    /* keep what we have */
  }
  return needsSession(path.toLowerCase());
}
