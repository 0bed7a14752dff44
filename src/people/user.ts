/** A person who logs in to the web UI: a local account or a single sign-on identity. */
export interface User {
  /** `user:<login>` for local accounts, `oidc:<hash of issuer and subject>` for single sign-on. */
  id: string;
  /** What a person types to log in (lower case); for single sign-on, the provider's user name. */
  login: string;
  displayName: string;
  /** argon2id PHC string; never leaves the server. */
  passwordHash?: string;
  oidc?: { issuer: string; subject: string };
  /** Sessions carry the epoch they were made in; raising it ends them all. */
  sessionEpoch: number;
  createdAt: string;
  updatedAt: string;
}

/** Login names: short, lower case, no spaces, so they read well in `@mentions` and the CLI. */
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The person acting on a request: whom the timeline, messages and clicks name. */
export interface Person {
  /** Stable id: `user:alice`, `oidc:…`, `admin` (the shared web password) or `web:<name>` (open loopback). */
  userId: string;
  name: string;
}

/** The person a request is made by when nobody logged in and no display name was given. */
export const ANONYMOUS: Person = { userId: 'web:web', name: 'web' };
