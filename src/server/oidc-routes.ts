import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type * as OidcClient from 'openid-client';
import type { Auth } from './register-auth.js';
import type { Store } from '../store/store.js';
import { errorBody } from './http-error.js';
import { isLoopbackUrl } from './auth.js';
import { findOrAddOidcUser, type OidcClaims } from '../people/oidc-user.js';

const PENDING_COOKIE = 'sidekick_oidc';
const PENDING_MS = 10 * 60 * 1000;

export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  /** Read at each login: with no configured public URL it is only known once the server listens. */
  publicUrl: () => string;
  store: Store;
  now: () => Date;
  log: FastifyBaseLogger;
}

/** What the browser carries between the redirect to the provider and the way back. */
interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  expires: number;
}

/**
 * Single sign-on through OpenID Connect: `GET /auth/oidc/login` sends the browser to the provider
 * (authorization code flow with PKCE S256, a fresh state and nonce kept in a signed, short-lived,
 * http-only cookie); `GET /auth/oidc/callback` is public but trusts nothing it is given: the state
 * must match the cookie, the code is exchanged with the PKCE verifier, and the ID token's
 * signature, issuer, audience, expiry and nonce are checked by openid-client before a session
 * starts. The provider's metadata is discovered at the first login (and again after a failure),
 * so Sidekick starts even while the provider is unreachable.
 */
export function registerOidcRoutes(app: FastifyInstance, auth: Auth, options: OidcOptions): void {
  const redirectUri = () => `${options.publicUrl().replace(/\/+$/, '')}/auth/oidc/callback`;
  let configuration: Promise<{ client: typeof OidcClient; config: OidcClient.Configuration }> | undefined;
  const discover = () =>
    (configuration ??= (async () => {
      const client = await import('openid-client');
      // Plain http only for a provider on this machine (a test or a local development provider).
      const insecure = options.issuer.startsWith('http:') && isLoopbackUrl(options.issuer);
      const config = await client.discovery(
        new URL(options.issuer),
        options.clientId,
        options.clientSecret,
        options.clientSecret ? undefined : client.None(),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
      return { client, config };
    })().catch((error: unknown) => {
      configuration = undefined;
      throw error;
    }));

  app.get('/auth/oidc/login', async (_request, reply) => {
    let found;
    try {
      found = await discover();
    } catch (error) {
      options.log.error({ err: error, issuer: options.issuer }, 'single sign-on: the provider could not be discovered');
      return reply.code(502).send(errorBody('OIDC_PROVIDER_UNAVAILABLE', `the sign-on provider ${options.issuer} did not answer its discovery document; check SIDEKICK_OIDC_ISSUER`));
    }
    const { client, config } = found;
    const pending: Pending = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      expires: options.now().getTime() + PENDING_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(),
      scope: [...new Set(['openid', ...options.scopes])].join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    // Lax: the cookie must come back on the provider's top-level redirect to the callback.
    reply.setCookie(PENDING_COOKIE, auth.sign('oidc', pending), { httpOnly: true, sameSite: 'lax', secure: auth.secure, path: '/auth/oidc', maxAge: PENDING_MS / 1000 });
    return reply.redirect(url.href, 302);
  });

  app.get('/auth/oidc/callback', async (request, reply) => {
    const pending = auth.read<Pending>('oidc', request.cookies[PENDING_COOKIE]);
    reply.clearCookie(PENDING_COOKIE, { path: '/auth/oidc' });
    if (!pending || pending.expires < options.now().getTime()) {
      return reply.code(400).send(errorBody('OIDC_STATE_MISSING', 'this sign-on answer matches no login started here (or it took longer than 10 minutes); start again at /auth/oidc/login'));
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    let claims: OidcClaims | undefined;
    try {
      const { client, config } = await discover();
      const tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri()}${query}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as OidcClaims | undefined;
      // Many providers keep the profile out of the ID token: ask the userinfo endpoint (bound to the same subject).
      if (claims?.sub && claims.name === undefined && tokens.access_token) {
        try {
          claims = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims } as OidcClaims;
        } catch (error) {
          options.log.info({ err: error }, 'single sign-on: no userinfo; the name comes from the ID token');
        }
      }
    } catch (error) {
      options.log.warn({ err: error, code: (error as { code?: unknown }).code }, 'single sign-on refused');
      return reply.code(401).send(errorBody('OIDC_LOGIN_FAILED', 'the sign-on answer could not be verified; start again at /auth/oidc/login'));
    }
    if (!claims?.sub) return reply.code(401).send(errorBody('OIDC_LOGIN_FAILED', 'the provider named no subject'));
    const user = await findOrAddOidcUser(options.store, options.issuer, claims, options.now().toISOString());
    auth.startSession(reply, { userId: user.id, name: user.displayName }, user.sessionEpoch);
    options.log.info({ userId: user.id }, 'single sign-on login');
    return reply.redirect('/', 302);
  });
}
