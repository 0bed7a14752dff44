import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './http-error.js';

const COOKIE = 'sidekick_session';
const SESSION_MS = 12 * 60 * 60 * 1000;

/** True when the address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Locks the web UI and `/api/` behind a password unless Sidekick listens on loopback only.
 * Sessions are stateless signed cookies (http-only, SameSite=Strict, Secure on https), so any
 * instance can check them; mutations also need the `X-Sidekick-CSRF` header, which a cross-site
 * form cannot send.
 */
export function registerAuth(app: FastifyInstance, options: { required: boolean; password?: string; secret: string; secure: boolean; now: () => Date }) {
  const sign = (expires: number) => createHmac('sha256', options.secret).update(`session:${expires}`).digest('base64url');
  const valid = (cookie: string | undefined) => {
    if (!cookie) return false;
    const [expires, mac] = cookie.split('.');
    if (!expires || !mac || Number(expires) < options.now().getTime()) return false;
    const expected = Buffer.from(sign(Number(expires)));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };

  app.get('/api/session', async (request) => ({ required: options.required, authenticated: !options.required || valid(request.cookies[COOKIE]) }));

  app.post('/api/login', async (request, reply) => {
    const password = (request.body as { password?: unknown } | undefined)?.password;
    if (!options.required) return { ok: true };
    if (typeof password !== 'string' || !options.password || !equal(password, options.password)) {
      return reply.code(401).send(errorBody('LOGIN_FAILED', 'wrong password'));
    }
    const expires = options.now().getTime() + SESSION_MS;
    reply.setCookie(COOKIE, `${expires}.${sign(expires)}`, { httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', maxAge: SESSION_MS / 1000 });
    return { ok: true };
  });

  app.post('/api/logout', async (_request, reply) => {
    reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true };
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/api/') || path === '/api/session' || path === '/api/login') return;
    if (!options.required) return;
    if (!valid(request.cookies[COOKIE])) return reply.code(401).send(errorBody('LOGIN_REQUIRED', 'log in first (POST /api/login)'));
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers['x-sidekick-csrf'] !== '1') {
      return reply.code(403).send(errorBody('CSRF_HEADER_MISSING', 'send the header X-Sidekick-CSRF: 1 with changes'));
    }
  });
}

function equal(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}
