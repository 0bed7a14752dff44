import type { Meeting, MeetingProvider } from './meeting-provider.js';
import type { Store } from '../store/store.js';
import { MeetingError } from './meeting-error.js';
import { MeetingOnce } from './create-meeting-once.js';
import { ZoomTokenSource, readZoomError, type ZoomCredentials } from './zoom-token.js';
import { parseRetryAfter } from '../util/http-retry.js';

export interface ZoomOptions extends ZoomCredentials {
  apiUrl?: string;
  oauthUrl?: string;
  /** Whose meeting it is. `me` is the app owner for Server-to-Server apps; an email or user id is safer. */
  userId?: string;
  now?: () => Date;
  /** Remembers created meetings per idempotency key, so a retried box never creates a second one. */
  store?: Pick<Store, 'getEffect' | 'putEffect'>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  durationMinutes?: number;
}

interface ZoomMeetingResponse {
  id?: number | string;
  join_url?: string;
}

/** Zoom's documented limit on a meeting topic. */
const MAX_TOPIC = 200;

/**
 * Zoom meetings through Server-to-Server OAuth and `POST /users/{userId}/meetings`. Plain fetch:
 * Zoom's own SDK hard-codes the OAuth host, which rules out proxies and local fakes.
 */
export class ZoomMeetings implements MeetingProvider {
  readonly name = 'zoom';
  private readonly apiUrl: string;
  private readonly tokens: ZoomTokenSource;
  private readonly fetch: typeof fetch;
  private readonly once: MeetingOnce;

  constructor(private readonly options: ZoomOptions) {
    this.once = new MeetingOnce(this.name, options.store, () => options.now?.() ?? new Date());
    for (const key of ['accountId', 'clientId', 'clientSecret'] as const) {
      if (!options[key]) {
        throw new MeetingError('MEETING_NOT_CONFIGURED', `Zoom needs ${key}: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET, or use provider "jitsi"`);
      }
    }
    this.apiUrl = (options.apiUrl ?? 'https://api.zoom.us/v2').replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
    this.tokens = new ZoomTokenSource({
      ...options,
      oauthUrl: options.oauthUrl ?? 'https://zoom.us',
      fetch: this.fetch,
      now: options.now ?? (() => new Date()),
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  async create(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting> {
    return this.once.create(idempotencyKey, async () => {
      const response = await this.postMeeting(request);
      return { provider: this.name, id: String(response.id), joinUrl: response.join_url! };
    });
  }

  private async postMeeting(request: { title: string; incidentId: string }): Promise<ZoomMeetingResponse> {
    const now = this.options.now?.() ?? new Date();
    const body = JSON.stringify({
      topic: truncate(request.title.trim() || `Incident ${request.incidentId}`, MAX_TOPIC),
      type: 2,
      start_time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      duration: this.options.durationMinutes ?? 60,
      timezone: 'UTC',
      agenda: truncate(`Incident ${request.incidentId}: ${request.title}`, 2000),
      // Responders arrive before the host (a bot), so they must be let in without waiting.
      settings: { join_before_host: true, jbh_time: 0, waiting_room: false, mute_upon_entry: false, host_video: false, participant_video: false },
    });
    const url = `${this.apiUrl}/users/${encodeURIComponent(this.options.userId ?? 'me')}/meetings`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      const response = await this.call(url, token, body);
      // A token can die before its expiry (revoked, rotated secret): refresh once and try again.
      if (response.status === 401 && attempt === 1) {
        this.tokens.invalidate(token);
        continue;
      }
      if (response.status === 201 || response.status === 200) {
        const meeting = (await response.json().catch(() => ({}))) as ZoomMeetingResponse;
        if (meeting.id === undefined || typeof meeting.join_url !== 'string' || !/^https?:\/\//.test(meeting.join_url)) {
          throw new MeetingError('MEETING_UNAVAILABLE', 'Zoom answered without a meeting id or join_url', { status: response.status });
        }
        return meeting;
      }
      throw await this.toError(response);
    }
  }

  private async call(url: string, token: string, body: string): Promise<Response> {
    try {
      return await this.fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new MeetingError('MEETING_UNAVAILABLE', `Zoom API at ${this.apiUrl} did not answer: ${(error as Error).message}`);
    }
  }

  private async toError(response: Response): Promise<MeetingError> {
    const { code, message } = await readZoomError(response);
    const status = response.status;
    const details = { status, vendorCode: code, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    const said = `Zoom answered ${status}${code !== undefined ? `/${code}` : ''}: "${message}"`;
    if (status === 401) return new MeetingError('MEETING_AUTH_FAILED', `${said} even with a fresh token; check the app's scopes (meeting:write)`, details);
    if (status === 429) return new MeetingError('MEETING_RATE_LIMITED', `${said}; Zoom's meeting rate limit is per account`, details);
    if (status === 404 || code === 1001) return new MeetingError('MEETING_REJECTED', `${said}; check meetings.zoom.userId`, details);
    if (status >= 500) return new MeetingError('MEETING_UNAVAILABLE', said, details);
    return new MeetingError('MEETING_REJECTED', said, details);
  }
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
