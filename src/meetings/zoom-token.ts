import { MeetingError } from './meeting-error.js';

export interface ZoomCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

interface TokenSourceOptions extends ZoomCredentials {
  oauthUrl: string;
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
}

/** Refresh this long before Zoom's expiry, as Zoom's own SDK does, so a token never dies mid-call. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Server-to-Server OAuth access tokens (one hour, no refresh token): fetched on first use, cached
 * until shortly before they expire, shared by concurrent callers, dropped on request after a 401.
 */
export class ZoomTokenSource {
  private token?: { value: string; expiresAt: number };
  private pending?: Promise<string>;

  constructor(private readonly options: TokenSourceOptions) {}

  /** A token valid for at least another minute. */
  async get(): Promise<string> {
    if (this.token && this.token.expiresAt - EXPIRY_MARGIN_MS > this.options.now().getTime()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets `token` (if still current) so the next `get` fetches a new one. */
  invalidate(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { accountId, clientId, clientSecret, oauthUrl } = this.options;
    const base = oauthUrl.replace(/\/+$/, '');
    // Zoom's SDK sends the grant in the form body; the query-string form was reported to start
    // failing with 400, so the body it is.
    const form = new URLSearchParams({ grant_type: 'account_credentials', account_id: accountId });
    let response: Response;
    try {
      response = await this.options.fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new MeetingError('MEETING_UNAVAILABLE', `Zoom OAuth at ${base} did not answer: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const { message, code } = await readZoomError(response);
      const status = response.status;
      if (status === 400 || status === 401 || status === 403) {
        throw new MeetingError(
          'MEETING_AUTH_FAILED',
          `Zoom refused the Server-to-Server OAuth credentials (${status}: "${message}"); check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET and that the app is activated`,
          { status, vendorCode: code },
        );
      }
      throw new MeetingError(status === 429 ? 'MEETING_RATE_LIMITED' : 'MEETING_UNAVAILABLE', `Zoom OAuth answered ${status}: "${message}"`, { status });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new MeetingError('MEETING_UNAVAILABLE', 'Zoom OAuth answered without access_token and expires_in');
    }
    this.token = { value: body.access_token, expiresAt: this.options.now().getTime() + body.expires_in * 1000 };
    return body.access_token;
  }
}

/** Zoom's error bodies: `{code, message}` for the API, `{reason, error}` for OAuth. Never echoes secrets. */
export async function readZoomError(response: Response): Promise<{ code?: number; message: string }> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; reason?: unknown; error?: unknown; errors?: { field?: string; message?: string }[] };
    const parts = [body.message ?? body.reason ?? body.error].filter((p): p is string => typeof p === 'string');
    if (Array.isArray(body.errors)) parts.push(...body.errors.map((e) => `${e.field ?? ''}: ${e.message ?? ''}`.trim()));
    return { code: typeof body.code === 'number' ? body.code : undefined, message: parts.join('; ').slice(0, 500) || response.statusText };
  } catch {
    return { message: text.slice(0, 200) || response.statusText };
  }
}
