import { errorKind } from '../../errors/sidekick-error.js';
import { errors as joseErrors, importJWK, jwtVerify, type JWK } from 'jose';

/** Tokens issued a little in the future or expired a moment ago are still accepted (clocks drift). */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * A Teams request whose token does not verify (401). Stable codes: TEAMS_AUTH_MISSING, TEAMS_AUTH_INVALID,
 * TEAMS_AUTH_EXPIRED, TEAMS_AUTH_AUDIENCE, TEAMS_AUTH_ISSUER, TEAMS_AUTH_SERVICE_URL, TEAMS_AUTH_KEY, TEAMS_AUTH_METADATA.
 */
export class TeamsAuthError extends errorKind<`TEAMS_AUTH_${string}`>('TeamsAuthError') {}

interface JwkWithEndorsements extends JWK {
  endorsements?: string[];
}

export interface TeamsTokenVerifierOptions {
  /** TEAMS_OPENID_METADATA_URL: its `issuer` is the only accepted `iss`, its `jwks_uri` the keys. */
  openIdMetadataUrl: string;
  appId: string;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * Checks the bearer token on every activity the Bot Connector sends, as the Bot Framework
 * protocol requires: an RS256 signature by a key of the metadata's JWKS that is endorsed for the
 * activity's channel (`msteams`), the metadata's issuer, the app id as audience, expiry with
 * `CLOCK_SKEW_SECONDS` of skew, and a `serviceurl` claim equal to the activity's serviceUrl (so a
 * token for one tenant's service cannot steer our replies elsewhere).
 *
 * Keys are cached for a day; an unknown `kid` refetches them, at most every five minutes.
 */
export class TeamsTokenVerifier {
  private keys?: { issuer: string; keys: JwkWithEndorsements[]; fetchedAt: number };
  private loading?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: TeamsTokenVerifierOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves with the claims, or rejects with a `TeamsAuthError`. */
  async verify(authorization: string | undefined, activity: { channelId?: unknown; serviceUrl?: unknown }): Promise<Record<string, unknown>> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new TeamsAuthError('TEAMS_AUTH_MISSING', 'no Bearer token in the Authorization header');
    const token = match[1];
    const header = decodeHeader(token);
    if (!header || header.alg !== 'RS256' || typeof header.kid !== 'string') throw new TeamsAuthError('TEAMS_AUTH_INVALID', 'the token is not an RS256 JWT with a key id');
    const jwk = await this.findKey(header.kid);
    if (!jwk) throw new TeamsAuthError('TEAMS_AUTH_KEY', 'the token was signed by a key the Bot Framework metadata does not list');
    const channelId = typeof activity.channelId === 'string' ? activity.channelId : '';
    if (Array.isArray(jwk.endorsements) && !jwk.endorsements.includes(channelId)) {
      throw new TeamsAuthError('TEAMS_AUTH_KEY', `the signing key is not endorsed for channel "${channelId.slice(0, 40)}"`);
    }
    const key = await importJWK({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'RS256').catch(() => undefined);
    if (!key) throw new TeamsAuthError('TEAMS_AUTH_KEY', 'the signing key in the metadata is not a usable RSA key');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: this.keys!.issuer,
        audience: this.options.appId,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(this.now()),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw toAuthError(error);
    }
    const claimed = typeof payload.serviceurl === 'string' ? payload.serviceurl : undefined;
    const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : undefined;
    if (!claimed || !serviceUrl || normaliseServiceUrl(claimed) !== normaliseServiceUrl(serviceUrl)) {
      throw new TeamsAuthError('TEAMS_AUTH_SERVICE_URL', "the token's serviceurl claim does not match the activity's serviceUrl");
    }
    return payload;
  }

  private async findKey(kid: string): Promise<JwkWithEndorsements | undefined> {
    const stale = !this.keys || this.now() - this.keys.fetchedAt > 24 * 3_600_000;
    if (stale) await this.load();
    let key = this.keys?.keys.find((k) => k.kid === kid);
    if (!key && this.keys && this.now() - this.keys.fetchedAt > 5 * 60_000) {
      await this.load();
      key = this.keys.keys.find((k) => k.kid === kid);
    }
    return key;
  }

  private load(): Promise<void> {
    this.loading ??= this.fetchKeys().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetchKeys(): Promise<void> {
    const get = async (url: string) => {
      const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    };
    try {
      const metadata = await get(this.options.openIdMetadataUrl);
      if (typeof metadata.issuer !== 'string' || typeof metadata.jwks_uri !== 'string') throw new Error('no issuer or jwks_uri');
      const jwks = await get(metadata.jwks_uri);
      const keys = Array.isArray(jwks.keys) ? (jwks.keys as JwkWithEndorsements[]).filter((k) => k && k.kty === 'RSA' && k.n && k.e && k.kid) : [];
      this.keys = { issuer: metadata.issuer, keys, fetchedAt: this.now() };
    } catch (error) {
      // Fail closed, but keep the last good keys: a metadata hiccup must not reject every click.
      if (this.keys) {
        // Try again in five minutes, not on every activity while the endpoint is down.
        this.keys.fetchedAt = Math.max(this.keys.fetchedAt, this.now() - 24 * 3_600_000 + 5 * 60_000);
        return;
      }
      throw new TeamsAuthError('TEAMS_AUTH_METADATA', `the OpenID metadata could not be read (${(error as Error).message}); check TEAMS_OPENID_METADATA_URL`);
    }
  }
}

function decodeHeader(token: string): { alg?: string; kid?: unknown } | undefined {
  const [encoded] = token.split('.');
  try {
    return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { alg?: string; kid?: unknown };
  } catch {
    return undefined;
  }
}

function normaliseServiceUrl(url: string): string {
  return url.trim().toLowerCase().replace(/\/+$/, '');
}

function toAuthError(error: unknown): TeamsAuthError {
  if (error instanceof joseErrors.JWTExpired) return new TeamsAuthError('TEAMS_AUTH_EXPIRED', 'the token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new TeamsAuthError('TEAMS_AUTH_AUDIENCE', 'the token is not for this bot (audience is not TEAMS_APP_ID)');
    if (error.claim === 'iss') return new TeamsAuthError('TEAMS_AUTH_ISSUER', 'the token was not issued by the Bot Framework issuer');
    return new TeamsAuthError('TEAMS_AUTH_INVALID', `the token's ${error.claim} claim is not acceptable`);
  }
  return new TeamsAuthError('TEAMS_AUTH_INVALID', 'the token signature does not verify');
}
