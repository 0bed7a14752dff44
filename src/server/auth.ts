import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { errorBody } from './http-error.js';
import { parseBody } from './parse-body.js';
import { LoginThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottleOptions } from './login-throttle.js';
import type { Session } from './api-types.js';

const COOKIE = 'sidekick_session';
const SESSION_MS = 12 * 60 * 60 * 1000;
/** Set on the Fastify scope whose routes the session guard protects (and on its children). */
const GUARDED = 'sidekickSessionGuard';

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
 * Who may reach the web UI and the API. A configured password is always required; with no
 * password, Sidekick only starts when nothing but this machine can reach it (loopback bind and no
 * public URL beyond loopback): the quick start. Anything else refuses with a fix-it message.
 */
export function decideAccess(config: { server: { host: string; publicUrl?: string }; web: { password?: string } }): Access {
  const { host, publicUrl } = config.server;
  if (config.web.password) {
    return { loginRequired: true, summary: `web access: login required for the UI and /api/ (a web password is set); listening on ${host}` };
  }
  if (!isLoopback(host)) {
    throw new Error(`refusing to listen on ${host} without a web login: set SIDEKICK_WEB_PASSWORD (or web.password in sidekick.yaml), or bind to 127.0.0.1`);
  }
  if (publicUrl && !isLoopbackUrl(publicUrl)) {
    throw new Error(
      `refusing to start: the public URL ${publicUrl} says Sidekick is reached from beyond this machine (a reverse proxy), but no web password is set. ` +
        'Set SIDEKICK_WEB_PASSWORD (or web.password in sidekick.yaml), or unset SIDEKICK_PUBLIC_URL for a loopback-only setup',
    );
  }
  return { loginRequired: false, summary: `web access: open without login (loopback bind ${host}, no web password, no public URL beyond loopback)` };
}

export interface AuthOptions {
  required: boolean;
  password?: string;
  secret: string;
  secure: boolean;
  now: () => Date;
  log: FastifyBaseLogger;
  throttle?: Partial<Omit<LoginThrottleOptions, 'now'>>;
}

export interface Auth {
  /**
   * Puts every route registered in `scope` (now or later, nested plugins included) behind the
   * session and CSRF checks. The check runs on the route the router matched, so no spelling of
   * a path (percent-encoding, case, dot segments…) gets around it.
   */
  guard(scope: FastifyInstance): void;
}

/**
 * The web login: `/api/session`, `/api/login` (throttled) and `/api/logout` on `app`, and a guard
 * for the protected scope. Sessions are stateless signed cookies (http-only, SameSite=Strict,
 * Secure on https), so any instance can check them; changes also need the `X-Sidekick-CSRF`
 * header, which a cross-site form cannot send.
 *
 * A route whose path is `/api/…` or `/mcp…` registered outside a guarded scope (and not marked
 * `config: { public: true }`) makes the server refuse to start: a forgotten guard fails loudly.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): Auth {
  const sign = (expires: number) => createHmac('sha256', options.secret).update(`session:${expires}`).digest('base64url');
  const valid = (cookie: string | undefined) => {
    if (!cookie) return false;
    const [expires, mac] = cookie.split('.');
    if (!expires || !mac || Number(expires) < options.now().getTime()) return false;
    const expected = Buffer.from(sign(Number(expires)));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  const throttle = new LoginThrottle({ ...DEFAULT_LOGIN_THROTTLE, ...options.throttle, now: () => options.now().getTime() });

  app.addHook('onRoute', function (this: FastifyInstance, route: RouteOptions) {
    const config = route.config as { public?: boolean } | undefined;
    if (needsSession(route.url) && !config?.public && !this.hasDecorator(GUARDED)) {
      throw new Error(`${String(route.method)} ${route.url} must be registered in the protected scope (see createServer) or marked config.public`);
    }
  });

  const open = { config: { public: true } };
  app.get('/api/session', open, async (request) => ({ required: options.required, authenticated: !options.required || valid(request.cookies[COOKIE]) }) satisfies Session);

  app.post('/api/login', open, async (request, reply) => {
    if (!options.required) return { ok: true };
    const client = request.ip;
    const wait = throttle.waitMs(client);
    if (wait.ms > 0) {
      const seconds = Math.ceil(wait.ms / 1000);
      options.log.warn({ client, retryAfterSeconds: seconds, scope: wait.scope }, 'web login refused: too many failed attempts');
      return reply
        .code(429)
        .header('retry-after', String(seconds))
        .send(errorBody('LOGIN_THROTTLED', `too many failed logins ${wait.scope === 'client' ? 'from this address' : 'overall'}; try again in ${seconds} s`));
    }
    const { password } = parseBody(z.object({ password: z.string().max(10_000) }), request.body);
    if (!options.password || !equal(password, options.password)) {
      const failures = throttle.failed(client);
      options.log.warn({ client, failures: failures.client, failuresOverall: failures.overall }, 'web login failed: wrong password');
      return reply.code(401).send(errorBody('LOGIN_FAILED', 'wrong password'));
    }
    throttle.succeeded(client);
    const expires = options.now().getTime() + SESSION_MS;
    reply.setCookie(COOKIE, `${expires}.${sign(expires)}`, { httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', maxAge: SESSION_MS / 1000 });
    return { ok: true };
  });

  app.post('/api/logout', open, async (_request, reply) => {
    reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true };
  });

  const check = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.required) return;
    if (!valid(request.cookies[COOKIE])) return reply.code(401).send(errorBody('LOGIN_REQUIRED', 'log in first (POST /api/login)'));
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers['x-sidekick-csrf'] !== '1') {
      return reply.code(403).send(errorBody('CSRF_HEADER_MISSING', 'send the header X-Sidekick-CSRF: 1 with changes'));
    }
  };

  return {
    guard(scope) {
      scope.decorate(GUARDED, true);
      scope.addHook('onRequest', check);
    },
  };
}

/** Paths that must sit behind the login: the JSON API and the MCP endpoint, in any case. */
export function needsSession(path: string): boolean {
  return /^\/(api|mcp)(\/|$)/i.test(path);
}

function equal(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
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
  path = path.replace(/\\/g, '/').replace(/;[^/]*/g, '').replace(/\/{2,}/g, '/');
  try {
    path = new URL(path.startsWith('/') ? path : `/${path}`, 'http://sidekick.invalid').pathname;
  } catch {
    /* keep what we have */
  }
  return needsSession(path.toLowerCase());
}
