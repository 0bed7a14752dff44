import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { errorBody } from './http-error.js';
import { parseBody } from './parse-body.js';
import { needsSession } from './auth.js';
import { LoginThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottleOptions } from './login-throttle.js';
import { readSession, readValue, signSession, signValue } from './session-cookie.js';
import { verifyPassword } from '../people/hash-password.js';
import { ANONYMOUS, type Person } from '../people/user.js';
import type { Store } from '../store/store.js';
import { cleanDisplayName } from '../people/clean-display-name.js';
import type { Session } from './api-types.js';

const COOKIE = 'sidekick_session';
/** The display name given on an open (loopback, no login) installation. */
const NAME_COOKIE = 'sidekick_name';
const SESSION_MS = 12 * 60 * 60 * 1000;
/** Set on the Fastify scope whose routes the session guard protects (and on its children). */
const GUARDED = 'sidekickSessionGuard';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who makes the request: set by the guard on every protected route. */
    person?: Person;
  }
}

export interface AuthOptions {
  required: boolean;
  /** The shared web password: logs in as `admin`. */
  password?: string;
  secret: string;
  secure: boolean;
  store: Store;
  /** Single sign-on is configured: the login page offers it. */
  sso: boolean;
  now: () => Date;
  log: FastifyBaseLogger;
  throttle?: Partial<Omit<LoginThrottleOptions, 'now'>>;
}

export interface Auth {
  /**
   * Puts every route registered in `scope` (now or later, nested plugins included) behind the
   * session and CSRF checks, and names the person on each request. The check runs on the route
   * the router matched, so no spelling of a path gets around it.
   */
  guard(scope: FastifyInstance): void;
  /** Starts a session for `person` (after a password or a single sign-on login). */
  startSession(reply: FastifyReply, person: Person, epoch: number): void;
  /** Signs a short-lived value for a cookie (the single sign-on round trip). */
  sign(purpose: string, value: unknown): string;
  read<T>(purpose: string, cookie: string | undefined): T | undefined;
  secure: boolean;
}

/**
 * The web login: `/api/session`, `/api/login` (throttled; a local account's name and password, or
 * the shared web password alone), `/api/session/name` (an open installation's display name) and
 * `/api/logout` on `app`, and a guard for the protected scope. Sessions are signed cookies
 * (http-only, SameSite=Lax so a single sign-on redirect keeps them, Secure on https) naming one
 * person; changes also need the `X-Sidekick-CSRF` header, which a cross-site form cannot send.
 *
 * A route whose path is `/api/…` or `/mcp…` registered outside a guarded scope (and not marked
 * `config: { public: true }`) makes the server refuse to start: a forgotten guard fails loudly.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): Auth {
  const { store, secret } = options;
  const now = () => options.now().getTime();
  const throttle = new LoginThrottle({ ...DEFAULT_LOGIN_THROTTLE, ...options.throttle, now });
  // The admin session is bound to the password: changing SIDEKICK_WEB_PASSWORD ends those sessions.
  const adminEpoch = options.password ? createHash('sha256').update(`${secret}:${options.password}`).digest().readUInt32BE(0) : -1;

  /** The logged-in person, or undefined when the cookie is missing, forged, expired or revoked. */
  const sessionPerson = async (request: FastifyRequest): Promise<Person | undefined> => {
    const claims = readSession(secret, request.cookies[COOKIE], now());
    if (!claims) return undefined;
    if (claims.userId === 'admin') return claims.epoch === adminEpoch ? { userId: 'admin', name: claims.name } : undefined;
    const user = await store.getUser(claims.userId);
    if (!user || user.sessionEpoch !== claims.epoch) return undefined;
    return { userId: user.id, name: user.displayName };
  };
  /** Open installations: the name the browser gave (cookie), or the header scripts may send. */
  const openPerson = (request: FastifyRequest): Person => {
    const name = readValue<string>(secret, 'name', request.cookies[NAME_COOKIE]) ?? headerName(request.headers['x-sidekick-user']);
    return name ? { userId: `web:${name}`, name } : ANONYMOUS;
  };
  const startSession = (reply: FastifyReply, person: Person, epoch: number) => {
    const expires = now() + SESSION_MS;
    const cookie = signSession(secret, { userId: person.userId, epoch, name: person.name, expires });
    reply.setCookie(COOKIE, cookie, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/', maxAge: SESSION_MS / 1000 });
  };

  app.addHook('onRoute', function (this: FastifyInstance, route: RouteOptions) {
    const config = route.config as { public?: boolean } | undefined;
    if (needsSession(route.url) && !config?.public && !this.hasDecorator(GUARDED)) {
      throw new Error(`${String(route.method)} ${route.url} must be registered in the protected scope (see createServer) or marked config.public`);
    }
  });

  const open = { config: { public: true } };
  app.get('/api/session', open, async (request) => {
    const person = options.required ? await sessionPerson(request) : openPerson(request);
    const named = !options.required && readValue<string>(secret, 'name', request.cookies[NAME_COOKIE]) !== undefined;
    return {
      required: options.required,
      authenticated: !options.required || person !== undefined,
      person,
      login: { password: Boolean(options.password), accounts: options.required && (await store.countUsers()) > 0, sso: options.sso },
      // An open installation asks once for a name, so the room says who wrote what.
      askName: !options.required && !named,
    } satisfies Session;
  });

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
    const body = parseBody(z.object({ user: z.string().max(200).optional(), password: z.string().max(10_000) }).strict(), request.body);
    const login = body.user?.trim().toLowerCase();
    let person: Person | undefined;
    let epoch = adminEpoch;
    if (login) {
      const user = await store.getUserByLogin(login);
      // Single sign-on users have no password here; verifyPassword spends the same time either way.
      if ((await verifyPassword(user?.passwordHash, body.password)) && user) {
        person = { userId: user.id, name: user.displayName };
        epoch = user.sessionEpoch;
      }
    } else if (options.password && sameSecret(body.password, options.password)) {
      person = { userId: 'admin', name: 'admin' };
    }
    if (!person) {
      const failures = throttle.failed(client);
      options.log.warn({ client, user: login?.slice(0, 64), failures: failures.client, failuresOverall: failures.overall }, 'web login failed');
      return reply.code(401).send(errorBody('LOGIN_FAILED', login ? 'wrong name or password' : 'wrong password'));
    }
    throttle.succeeded(client);
    startSession(reply, person, epoch);
    options.log.info({ client, userId: person.userId }, 'web login');
    return { ok: true, person };
  });

  app.post('/api/session/name', open, async (request, reply) => {
    if (options.required) return reply.code(409).send(errorBody('NAME_FROM_ACCOUNT', 'names come from accounts here: log in instead'));
    if (request.headers['x-sidekick-csrf'] !== '1') return reply.code(403).send(errorBody('CSRF_HEADER_MISSING', 'send the header X-Sidekick-CSRF: 1 with changes'));
    const { name } = parseBody(z.object({ name: z.string().max(200) }).strict(), request.body);
    const clean = cleanDisplayName(name);
    if (!clean) return reply.code(400).send(errorBody('NAME_INVALID', 'give a name of 1 to 80 visible characters'));
    reply.setCookie(NAME_COOKIE, signValue(secret, 'name', clean), { httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', maxAge: 365 * 24 * 3600 });
    return { person: { userId: `web:${clean}`, name: clean } };
  });

  app.post('/api/logout', open, async (_request, reply) => {
    reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true };
  });

  const check = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.required) {
      request.person = openPerson(request);
      return;
    }
    const person = await sessionPerson(request);
    if (!person) return reply.code(401).send(errorBody('LOGIN_REQUIRED', 'log in first (POST /api/login)'));
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers['x-sidekick-csrf'] !== '1') {
      return reply.code(403).send(errorBody('CSRF_HEADER_MISSING', 'send the header X-Sidekick-CSRF: 1 with changes'));
    }
    request.person = person;
  };

  return {
    guard(scope) {
      scope.decorate(GUARDED, true);
      scope.addHook('onRequest', check);
    },
    startSession,
    sign: (purpose, value) => signValue(secret, purpose, value),
    read: (purpose, cookie) => readValue(secret, purpose, cookie),
    secure: options.secure,
  };
}

/** The person a guarded request is made by. */
export function personOf(request: FastifyRequest): Person {
  return request.person ?? ANONYMOUS;
}

function headerName(value: unknown): string | undefined {
  return typeof value === 'string' ? cleanDisplayName(value) : undefined;
}

/** Constant-time comparison of the shared password (digests first, so lengths do not leak). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'compare').update(given).digest();
  const b = createHmac('sha256', 'compare').update(expected).digest();
  return timingSafeEqual(a, b);
}
