import { ChatError } from '../chat-error.js';

/** The two audiences Sidekick asks Entra for. */
export const BOT_SCOPE = 'https://api.botframework.com/.default';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface TokenSourceOptions {
  loginUrl: string;
  tenantId: string;
  appId: string;
  appPassword: string;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * Client-credentials tokens from `{loginUrl}/{tenant}/oauth2/v2.0/token`, one per scope, cached
 * until a minute before they expire. Plain `fetch` rather than MSAL: MSAL insists on an https
 * authority with instance discovery, which no sovereign-cloud proxy or local fake can offer.
 * Concurrent callers share one request.
 */
export class TokenSource {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly now: () => number;

  constructor(private readonly options: TokenSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  async token(scope: string): Promise<string> {
    const cached = this.cache.get(scope);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    let pending = this.pending.get(scope);
    if (!pending) {
      pending = this.request(scope).finally(() => this.pending.delete(scope));
      this.pending.set(scope, pending);
    }
    return pending;
  }

  /** Forgets a token the service refused (rotated secret, revoked consent). */
  invalidate(scope: string): void {
    this.cache.delete(scope);
  }

  private async request(scope: string): Promise<string> {
    const { loginUrl, tenantId, appId, appPassword } = this.options;
    const url = `${loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: appPassword, scope }).toString(),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new ChatError('TEAMS_LOGIN_UNAVAILABLE', 'the Microsoft login service could not be reached; check MICROSOFT_LOGIN_URL and the network', { method: 'token' });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
    if (!response.ok || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error.replace(/[^a-z_]/gi, '').slice(0, 40) : `http_${response.status}`;
      // Never the error_description: it may echo parts of the request.
      throw new ChatError('TEAMS_LOGIN_FAILED', `Microsoft login refused the bot's credentials (${code}); check TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID`, {
        method: 'token',
        slackError: code,
      });
    }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3599);
    this.cache.set(scope, { token: body.access_token, expiresAt: this.now() + Math.max(0, seconds - 60) * 1000 });
    return body.access_token;
  }
}
