import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { User } from './user.js';
import { cleanDisplayName } from './clean-display-name.js';

/** The ID token claims Sidekick reads. */
export interface OidcClaims {
  sub: string;
  name?: unknown;
  preferred_username?: unknown;
  email?: unknown;
}

/**
 * The account of a single sign-on identity, made on its first login and its name refreshed from
 * the provider at each later one. Keyed by issuer and subject (never by e-mail, which can change
 * hands); the login name is the provider's user name unless a local account already has it.
 */
export async function findOrAddOidcUser(store: Store, issuer: string, claims: OidcClaims, now: string): Promise<User> {
  const id = `oidc:${createHash('sha256').update(`${issuer}\u0000${claims.sub}`).digest('base64url').slice(0, 22)}`;
  const handle = text(claims.preferred_username) ?? text(claims.email) ?? claims.sub;
  const displayName = cleanDisplayName(text(claims.name) ?? handle) ?? id;
  const existing = await store.getUser(id);
  if (existing) {
    if (existing.displayName !== displayName) await store.setUserDisplayName(id, displayName, now);
    return { ...existing, displayName };
  }
  const login = handle.toLowerCase().slice(0, 64);
  const taken = await store.getUserByLogin(login);
  const fields = { id, displayName, oidc: { issuer, subject: claims.sub }, createdAt: now, updatedAt: now };
  try {
    return await store.addUser({ ...fields, login: taken ? id : login });
  } catch (error) {
    // Two first logins of one person at once: the other one added it.
    const raced = await store.getUser(id);
    if (raced) return raced;
    throw error;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
