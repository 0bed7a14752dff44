import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who a session belongs to: a user id (`user:…`, `oidc:…`, `admin`), the epoch it was made in, and the name shown. */
export interface SessionClaims {
  userId: string;
  epoch: number;
  name: string;
  expires: number;
}

/**
 * Sessions are stateless signed cookies, so any instance can check them: `v2.<expires>.<claims>.<mac>`
 * with the claims in base64url JSON. The user's epoch is checked against the store on each
 * request, which is how a password change or `users remove` ends a session before it expires.
 */
export function signSession(secret: string, claims: SessionClaims): string {
  const body = Buffer.from(JSON.stringify({ u: claims.userId, e: claims.epoch, n: claims.name })).toString('base64url');
  return `v2.${claims.expires}.${body}.${mac(secret, 'session', `${claims.expires}.${body}`)}`;
}

/** The claims of a valid, unexpired cookie; undefined for anything else (old formats included). */
export function readSession(secret: string, cookie: string | undefined, now: number): SessionClaims | undefined {
  const parts = cookie?.split('.');
  if (!parts || parts.length !== 4 || parts[0] !== 'v2') return undefined;
  const [, expiresText, body, given] = parts as [string, string, string, string];
  const expires = Number(expiresText);
  if (!Number.isFinite(expires) || expires < now) return undefined;
  if (!same(mac(secret, 'session', `${expiresText}.${body}`), given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown; n?: unknown };
    if (typeof claims.u !== 'string' || typeof claims.e !== 'number' || typeof claims.n !== 'string') return undefined;
    return { userId: claims.u, epoch: claims.e, name: claims.n, expires };
  } catch {
    return undefined;
  }
}

/** A small signed value (the OIDC login's state, a display name): `<base64url value>.<mac>`, bound to its purpose. */
export function signValue(secret: string, purpose: string, value: unknown): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The value of a cookie made by `signValue` for the same purpose; undefined when forged or malformed. */
export function readValue<T>(secret: string, purpose: string, cookie: string | undefined): T | undefined {
  const [body, given, extra] = cookie?.split('.') ?? [];
  if (!body || !given || extra !== undefined || !same(mac(secret, purpose, body), given)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function mac(secret: string, purpose: string, text: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${text}`).digest('base64url');
}

function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
