import type { Meeting, MeetingProvider } from './meeting-provider.js';
import type { Store } from '../store/store.js';
import { MeetingError } from './meeting-error.js';
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
  private readonly inFlight = new Map<string, Promise<Meeting>>();

  constructor(private readonly options: TeamsMeetingsOptions) {}

  async create(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting> {
    const pending = this.inFlight.get(idempotencyKey);
    if (pending) return pending;
    const work = this.createOnce(request, idempotencyKey).finally(() => this.inFlight.delete(idempotencyKey));
    this.inFlight.set(idempotencyKey, work);
    return work;
  }

  private async createOnce(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting> {
    const effectKey = `teams-meeting:${idempotencyKey}`;
    const known = (await this.options.store?.getEffect(effectKey)) as Meeting | undefined;
    if (known?.joinUrl) return known;
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
        throw new MeetingError('MEETING_AUTH_FAILED', 'Graph refused to create the meeting: grant OnlineMeetings.ReadWrite.All with admin consent and an application access policy for TEAMS_MEETING_ORGANIZER (docs/teams.md)', { status: 403 });
      }
      if (code.startsWith('TEAMS_LOGIN')) throw new MeetingError('MEETING_AUTH_FAILED', (error as Error).message);
      if (code === 'TEAMS_RATE_LIMITED') throw new MeetingError('MEETING_RATE_LIMITED', (error as Error).message);
      if (code === 'TEAMS_UNAVAILABLE') throw new MeetingError('MEETING_UNAVAILABLE', (error as Error).message);
      throw new MeetingError('MEETING_REJECTED', (error as Error).message);
    }
    if (!created.joinWebUrl || !/^https:\/\//.test(created.joinWebUrl)) throw new MeetingError('MEETING_REJECTED', 'Graph created a meeting without a joinWebUrl');
    const meeting: Meeting = { provider: this.name, id: String(created.id), joinUrl: created.joinWebUrl };
    await this.options.store?.putEffect(effectKey, meeting, now.toISOString());
    return meeting;
  }
}
