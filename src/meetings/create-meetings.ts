import type { MeetingProvider } from './meeting-provider.js';
import type { Store } from '../store/store.js';
import { readMeetingsConfig, type MeetingsConfig, type MeetingsConfigInput } from './meetings-config.js';
import { JitsiMeetings } from './jitsi.js';
import { ZoomMeetings } from './zoom.js';
import { MeetingError } from './meeting-error.js';

export interface MeetingDeps {
  /** Derives Jitsi rooms so a retry after a restart returns the same room; keep it stable. */
  jitsiSecret?: string;
  store?: Pick<Store, 'getEffect' | 'putEffect'>;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Where ZOOM_* defaults come from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds the configured meeting provider and the Jitsi fallback the meeting box uses when the
 * configured one fails (Jitsi needs no account, so it cannot fail for credentials). Takes the raw
 * `meetings:` section or a parsed one.
 */
export function createMeetings(input: MeetingsConfig | MeetingsConfigInput | undefined, deps: MeetingDeps = {}): { meetings: MeetingProvider; fallbackMeetings: MeetingProvider } {
  const config = readMeetingsConfig(input, deps.env ?? process.env);
  const jitsi = new JitsiMeetings({ domain: config.jitsi.domain, secret: deps.jitsiSecret });
  if (config.provider === 'jitsi') return { meetings: jitsi, fallbackMeetings: jitsi };
  const { accountId, clientId, clientSecret, apiUrl, oauthUrl, userId } = config.zoom;
  if (!accountId || !clientId || !clientSecret) {
    throw new MeetingError('MEETING_NOT_CONFIGURED', 'meetings.provider is "zoom" but ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID or ZOOM_CLIENT_SECRET is not set; set them or use provider "jitsi"');
  }
  const zoom = new ZoomMeetings({ accountId, clientId, clientSecret, apiUrl, oauthUrl, userId, store: deps.store, now: deps.now, fetch: deps.fetch });
  return { meetings: zoom, fallbackMeetings: jitsi };
}
