import type { Meeting, MeetingProvider } from './meeting-provider.js';
import type { Store } from '../store/store.js';
import { MeetingError } from './meeting-error.js';
import { MeetingOnce } from './create-meeting-once.js';
import type { TeamsCaller } from '../chat/teams/teams-caller.js';
import { GRAPH_SCOPE } from '../chat/teams/teams-token.js';

export interface TeamsMeetingsOptions {
  caller: TeamsCaller;
  graphUrl: string;
  /** TEAMS_MEETING_ORGANIZER: the user (object id or UPN) whose meetings these are. */
  organizer: string;
  store?: Pick<Store, 'getEffect' | 'putEffect'>;
  now?: () => Date;
}

/**
 * Teams online meetings through Graph `POST /users/{organizer}/onlineMeetings` (application
 * permission OnlineMeetings.ReadWrite.All plus an application access policy granted to the
 * organizer: without it Graph answers 403 and the meeting box falls back to Jitsi).
 */
export class TeamsMeetings implements MeetingProvider {
  readonly name = 'teams';
  private readonly once: MeetingOnce;

  constructor(private readonly options: TeamsMeetingsOptions) {
    this.once = new MeetingOnce(this.name, options.store, () => options.now?.() ?? new Date());
  }

  async create(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting> {
    return this.once.create(idempotencyKey, () => this.postMeeting(request));
  }

  private async postMeeting(request: { title: string; incidentId: string }): Promise<Meeting> {
    const now = this.options.now?.() ?? new Date();
    let created: { id?: string; joinWebUrl?: string };
    try {
      created = await this.options.caller.call({
        method: 'POST',
        url: `${this.options.graphUrl}/users/${encodeURIComponent(this.options.organizer)}/onlineMeetings`,
        scope: GRAPH_SCOPE,
        body: {
          subject: (request.title.trim() || `Incident ${request.incidentId}`).slice(0, 255),
          startDateTime: now.toISOString(),
          endDateTime: new Date(now.getTime() + 4 * 3_600_000).toISOString(),
          // Responders from the organisation walk in; guests wait in the lobby.
          lobbyBypassSettings: { scope: 'organization' },
        },
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'TEAMS_FORBIDDEN' || code === 'TEAMS_HTTP_403') {
        throw new MeetingError(
          'MEETING_AUTH_FAILED',
          'Graph refused to create the meeting: grant OnlineMeetings.ReadWrite.All with admin consent and an application access policy for TEAMS_MEETING_ORGANIZER (docs/teams.md)',
          { status: 403 },
        );
      }
      if (code.startsWith('TEAMS_LOGIN')) throw new MeetingError('MEETING_AUTH_FAILED', (error as Error).message);
      if (code === 'TEAMS_RATE_LIMITED') throw new MeetingError('MEETING_RATE_LIMITED', (error as Error).message);
      if (code === 'TEAMS_UNAVAILABLE') throw new MeetingError('MEETING_UNAVAILABLE', (error as Error).message);
      throw new MeetingError('MEETING_REJECTED', (error as Error).message);
    }
    if (!created.joinWebUrl || !/^https:\/\//.test(created.joinWebUrl)) throw new MeetingError('MEETING_REJECTED', 'Graph created a meeting without a joinWebUrl');
    return { provider: this.name, id: String(created.id), joinUrl: created.joinWebUrl };
  }
}
